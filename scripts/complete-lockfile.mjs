// Completes package-lock.json with the other platforms' optional binary packages.
//
// Why: npm 11 leaves out optional platform packages (@duckdb/node-bindings-darwin-arm64, …) it
// cannot resolve from the registry mirror this project is developed against (it serves only the
// Linux builds), and `npm ci` then refuses the lockfile as out of sync (npm/cli #8320, #9342).
// An entry with the version, os/cpu/libc and `optional: true` is enough: on every machine whose
// platform does not match, npm skips it exactly as it would with the full entry.
// Run after any dependency change: `npm install … && node scripts/complete-lockfile.mjs`.
import { readFileSync, writeFileSync } from "node:fs";
const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const pk = lock.packages;
const guess = (name) => {
  const os = /darwin/.test(name)
    ? "darwin"
    : /win32/.test(name)
      ? "win32"
      : /linux/.test(name)
        ? "linux"
        : /android/.test(name)
          ? "android"
          : null;
  const cpu = /arm64/.test(name) ? "arm64" : /x64/.test(name) ? "x64" : null;
  return { os, cpu, musl: /musl/.test(name) };
};
let added = 0;
for (const meta of Object.values(pk)) {
  for (const [dep, ver] of Object.entries(meta.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    if (pk[key]) continue;
    const g = guess(dep);
    const entry = { version: ver, optional: true };
    if (meta.dev) entry.dev = true;
    if (g.cpu) entry.cpu = [g.cpu];
    if (g.musl) entry.libc = ["musl"];
    if (g.os) entry.os = [g.os];
    pk[key] = entry;
    added++;
  }
}
writeFileSync("package-lock.json", JSON.stringify(lock, null, 2) + "\n");
console.log(`added ${added} platform entries`);
