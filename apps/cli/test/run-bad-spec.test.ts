// `pairgrid run` refuses bad input before any work: exit 2, one line naming the field, and no
// results file created. A grid over the maximum is refused from its axis lengths alone, so even
// a grid of trillions of combinations is turned away at once.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { pairgrid } from "./cli-helpers.js";
import { makeRunDir, specObject, writeSpec } from "./run-fixtures.js";

const rd = makeRunDir("run-bad", 3, 1);
const params = { ols_window: [120, 240], zscore_window: 40, z_entry: [1.5, 2], z_exit: [0, 0.5] };

/** Runs the spec and checks the refusal: exit 2, one stderr line matching `field`, no file. */
function refused(name: string, spec: object, field: RegExp, extra: string[] = []): string {
  const file = writeSpec(rd, `${name}.json`, spec);
  const db = join(rd.dir, `${name}.duckdb`);
  const r = pairgrid(["run", file, "--db", db, ...extra], rd.env);
  assert.equal(r.status, 2, `${name}: ${r.stderr}`);
  assert.equal(r.stdout, "", `${name}: nothing on stdout`);
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `${name}: one line: ${r.stderr}`);
  assert.match(lines[0]!, /^pairgrid: /);
  assert.match(lines[0]!, field, name);
  assert.ok(!existsSync(db), `${name}: no results file`);
  return lines[0]!;
}

test("an unknown key is refused with its path", () => {
  refused("unknown-top", { ...specObject(params), sesion: {} }, /: sesion: unknown key 'sesion'/);
  const costs = { commission: 2, slipage_ticks: 1 };
  refused("unknown-nested", specObject(params, { costs }), /costs\.slipage_ticks: unknown key/);
  refused("unknown-param", specObject({ ...params, z_entryy: 2 }), /params\.z_entryy: unknown parameter/);
});

test("a wrong type is refused with its path", () => {
  refused("type-axis", specObject({ ...params, z_entry: "2" }), /params\.z_entry: /);
  const data = { ...(specObject(params) as { data: object }).data, bar_minutes: "5" };
  refused("type-data", specObject(params, { data }), /data\.bar_minutes: /);
});

test("a fixed z_exit ≥ z_entry is refused (no valid combination)", () => {
  const line = refused(
    "exit-entry",
    specObject({ ...params, z_entry: 1.5, z_exit: [1.5, 2] }),
    /params\.z_exit: /,
  );
  assert.match(line, /z_entry/);
});

test("a malformed constraint is refused with its index", () => {
  refused(
    "constraint",
    specObject(params, { constraints: ["z_exit < z_entry", "z_stop >>= 3"] }),
    /constraints\[1\]: unexpected/,
  );
  refused("constraint-param", specObject(params, { constraints: ["z_exitt < 1"] }), /constraints\[0\]: /);
});

test("a missing data file is refused with its leg", () => {
  const data = (specObject(params) as { data: { a: object } }).data;
  const spec = specObject(params, { data: { ...data, a: { ...data.a, slow: "data/NOPE.csv" } } });
  refused("missing-file", spec, /data\.a\.slow: file not found: .*NOPE\.csv/);
});

test("a grid over the maximum is refused: --max-combos, and a huge grid in well under a second", () => {
  const sixteen = specObject({ ...params, z_stop: [null, 4] });
  refused(
    "max-combos",
    sixteen,
    /params: the grid has 16 \(16 valid\) combinations, over the maximum of 10 /,
    ["--max-combos", "10"],
  );
  // 2000 × 2000 × 1000 × 1000 = 4·10¹² combinations: refused from the axis lengths alone
  const huge = specObject({
    ols_window: { from: 100, to: 1099, step: 1 },
    zscore_window: { from: 20, to: 1019, step: 1 },
    z_entry: { from: 1, to: 20.99, step: 0.01 },
    z_exit: { from: -0.5, to: 0.4995, step: 0.0005 },
  });
  // timed against `run --help`, which starts the same process and loads the same modules
  const timed = (f: () => void) => {
    const t0 = performance.now();
    f();
    return performance.now() - t0;
  };
  const startup = timed(() => assert.equal(pairgrid(["run", "--help"], rd.env).status, 0));
  const ms = timed(() =>
    refused("huge", huge, /params: the grid has 4000000000000 combinations, over the maximum of 50000000/),
  );
  // The refusal itself is milliseconds; walking 4·10¹² combinations would take hours. Start-up is
  // one sample taken while other test files load both cores, so it can read low: a fresh-clone
  // CI saw 952 ms against a 640 ms start-up. The bounds leave that room and still catch any walk.
  assert.ok(
    ms < 2 * startup + 500,
    `refused in ${ms.toFixed(0)} ms (start-up alone ${startup.toFixed(0)} ms)`,
  );
  assert.ok(ms < 3000, `refused in ${ms.toFixed(0)} ms`);
});

test("bad flags and an unknown job are refused naming the flag", () => {
  const ok = writeSpec(rd, "ok.json", specObject(params));
  for (const [flag, value] of [
    ["--threads", "0"],
    ["--chunk-size", "-5"],
    ["--max-combos", "lots"],
  ] as const) {
    const r = pairgrid(["run", ok, "--db", join(rd.dir, "flags.duckdb"), flag, value], rd.env);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`^pairgrid: ${flag} ${value}: `));
  }
  const r = pairgrid(["run", ok, "--db", join(rd.dir, "resume.duckdb"), "--resume", "deadbeef"], rd.env);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--resume deadbeef: no such job/);
});
