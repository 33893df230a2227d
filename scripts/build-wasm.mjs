// Compiles the AssemblyScript kernels (libs/engine/assembly/*.ts) into libs/engine/dist/wasm/*.wasm
// with SIMD, when a source is newer than its module (so `npm test` after an edit rebuilds it, and a
// clean tree builds them all). Run before `tsc -b` by the build, prepare and test scripts.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "libs", "engine", "assembly");
const out = join(root, "libs", "engine", "dist", "wasm");
const asc = join(root, "node_modules", "assemblyscript", "bin", "asc.js");

mkdirSync(out, { recursive: true });
for (const file of readdirSync(src).filter((f) => f.endsWith(".ts"))) {
  const from = join(src, file);
  const to = join(out, file.replace(/\.ts$/, ".wasm"));
  if (existsSync(to) && statSync(to).mtimeMs >= statSync(from).mtimeMs) continue;
  // -O3, SIMD on (Node 20 has it), the stub runtime: the kernels never allocate; --noAssert: no
  // bounds assertions in the hot loops (the caller lays out the memory)
  const args = [asc, from, "-O3", "--enable", "simd", "--runtime", "stub", "--noAssert", "--outFile", to];
  const run = spawnSync(process.execPath, args, { stdio: "inherit" });
  if (run.status !== 0) {
    process.stderr.write(`build-wasm: asc failed on ${from}\n`);
    process.exit(1);
  }
}
