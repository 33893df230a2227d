// The tree's shape (issue 17) is checked, not just described: scripts/check-architecture.mjs fails on an
// import loop, an app depending on another app (the CLI excepted), or a lib depending on a transport.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { repoRoot } from "./cli-helpers.js";

const script = join(repoRoot, "scripts", "check-architecture.mjs");
const check = (root: string) => spawnSync(process.execPath, [script, root], { encoding: "utf8" });

test("this repository: no import loop, no app→app dependency, no transport in a lib", () => {
  const r = check(repoRoot);
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test("a loop, an app→app dependency and a lib on bullmq are each reported", () => {
  const dir = mkdtempSync(join(tmpdir(), "pairgrid-arch-"));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  try {
    write("package.json", JSON.stringify({ workspaces: ["libs/a", "apps/x", "apps/y"] }));
    write("libs/a/package.json", JSON.stringify({ name: "@t/a", dependencies: { bullmq: "1" } }));
    write("libs/a/src/one.ts", 'import type { Two } from "./two.js";\nexport type One = Two;\n');
    write(
      "libs/a/src/two.ts",
      'import { three } from "./three.js";\nexport type Two = number;\nexport const t = three;\n',
    );
    write("libs/a/src/three.ts", 'import type { One } from "./one.js";\nexport const three: One = 3;\n');
    write("apps/x/package.json", JSON.stringify({ name: "@t/x", dependencies: { "@t/y": "1" } }));
    write("apps/y/package.json", JSON.stringify({ name: "@t/y" }));
    const r = check(dir);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /import loop: libs\/a\/src\/.*\.ts → .*\.ts → .*\.ts/);
    assert.match(r.stdout, /libs\/a depends on bullmq/);
    assert.match(r.stdout, /apps\/x depends on the app apps\/y/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
