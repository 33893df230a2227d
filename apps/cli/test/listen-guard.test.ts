// `pairgrid coordinator` and `pairgrid serve` do not listen beyond this machine without a token
// (issue 16): exit 2 with one line, before they connect to or open anything. --insecure-no-auth or
// a token lets them past that check (the runs below then stop at a missing --data-dir or --db).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { test } from "node:test";
import { repoRoot } from "./cli-helpers.js";

function coordinator(args: string[], token: string) {
  const r = spawnSync(
    process.execPath,
    [resolve(repoRoot, "apps/cli/bin/pairgrid.js"), "coordinator", "--redis", "redis://127.0.0.1:1", ...args],
    // a closed Redis port: a coordinator that got past the checks would hang, and time out here
    { encoding: "utf8", env: { ...process.env, PAIRGRID_TOKEN: token }, timeout: 20_000 },
  );
  return { status: r.status, stderr: r.stderr };
}

test("a non-loopback --host without PAIRGRID_TOKEN is refused: exit 2, one line", () => {
  for (const host of ["0.0.0.0", "::", "192.168.1.10"]) {
    const r = coordinator(["--host", host, "--port", "18099"], "");
    assert.equal(r.status, 2, `${host}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`--host ${host.replace(/\./g, "\\.")}: refusing .*PAIRGRID_TOKEN.*--insecure-no-auth`),
    );
  }
});

test("--insecure-no-auth, a token, or a loopback host pass the check", () => {
  const missing = ["--data-dir", "/nonexistent/pairgrid-data"];
  for (const [args, token] of [
    [["--host", "0.0.0.0", "--insecure-no-auth", ...missing], ""],
    [["--host", "0.0.0.0", ...missing], "a-token"],
    [["--host", "127.0.0.1", ...missing], ""],
  ] as const) {
    const r = coordinator([...args], token);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--data-dir \/nonexistent\/pairgrid-data: not a folder/);
  }
});

function serve(args: string[], token: string) {
  const r = spawnSync(process.execPath, [resolve(repoRoot, "apps/cli/bin/pairgrid.js"), "serve", ...args], {
    encoding: "utf8",
    env: { ...process.env, PAIRGRID_TOKEN: token },
    timeout: 20_000,
  });
  return { status: r.status, stderr: r.stderr };
}

test("serve: a non-loopback --host without a token is refused; a token, the opt-out or loopback pass", () => {
  const missing = ["--db", "/nonexistent/pairgrid.duckdb", "--port", "18098"];
  const refused = serve(["--host", "0.0.0.0", ...missing], "");
  assert.equal(refused.status, 2, refused.stderr);
  assert.equal(refused.stderr.trim().split("\n").length, 1, refused.stderr);
  assert.match(refused.stderr, /--host 0\.0\.0\.0: refusing .*PAIRGRID_TOKEN.*--insecure-no-auth/);
  for (const [args, token] of [
    [["--host", "0.0.0.0", "--insecure-no-auth", ...missing], ""],
    [["--host", "0.0.0.0", ...missing], "a-token"],
    [["--host", "127.0.0.1", ...missing], ""],
  ] as const) {
    const r = serve([...args], token);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--db \/nonexistent\/pairgrid\.duckdb: no such file/);
  }
});
