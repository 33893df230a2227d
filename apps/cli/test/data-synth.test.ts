// `pairgrid data synth` through the real binary: files, exit codes, one-line errors.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { pairgrid } from "./cli-helpers.js";

let root = "";
before(() => {
  root = mkdtempSync(join(tmpdir(), "pairgrid-cli-synth-"));
});
after(() => rmSync(root, { recursive: true, force: true }));

const lines = (path: string) => readFileSync(path, "latin1").trimEnd().split("\n");

test("data synth --days 3 --seed 5 writes both legs and synth.json, exit 0", () => {
  const out = join(root, "a");
  const r = pairgrid(["data", "synth", "--out", out, "--days", "3", "--seed", "5"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /synthetic data \(model market, seed 5\), 3 trading days 2024-01-02 … 2024-01-04/);
  const meta = JSON.parse(readFileSync(join(out, "synth.json"), "utf8"));
  assert.deepEqual(meta.settings, {
    days: 3,
    seed: 5,
    bar_minutes: 5,
    fast_seconds: null,
    start: "2024-01-02",
    model: "market",
  });
  for (const leg of [meta.legs.a, meta.legs.b]) {
    const rows = lines(join(out, leg.file));
    assert.equal(rows[0], "Date, Time, Open, High, Low, Last, Volume, NumberOfTrades, BidVolume, AskVolume");
    assert.equal(rows.length - 1, leg.bars);
    assert.ok(leg.bars > 3 * 276 * 0.98 && leg.bars <= 3 * 276);
  }
  assert.ok(!existsSync(join(out, "NQ_fast.csv")));
});

test("--model simple: the old OU pair, recorded in synth.json; other closes than the market model", () => {
  const out = join(root, "simple");
  const r = pairgrid(["data", "synth", "--out", out, "--days", "3", "--seed", "5", "--model", "simple"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /synthetic data \(model simple, seed 5\)/);
  const meta = JSON.parse(readFileSync(join(out, "synth.json"), "utf8"));
  assert.equal(meta.settings.model, "simple");
  assert.equal(meta.model.name, "simple");
  assert.equal(meta.model.spread_half_life_minutes, 180);
  assert.ok(!readFileSync(join(out, "NQ.csv")).equals(readFileSync(join(root, "a", "NQ.csv"))));
});

test("same arguments, identical files; --fast-seconds adds fast files", () => {
  const one = join(root, "b1");
  const two = join(root, "b2");
  for (const out of [one, two]) {
    const r = pairgrid(["data", "synth", "--out", out, "--days", "1", "--seed", "5", "--fast-seconds", "1"]);
    assert.equal(r.status, 0, r.stderr);
  }
  for (const f of ["NQ.csv", "YM.csv", "NQ_fast.csv", "YM_fast.csv", "synth.json"]) {
    assert.ok(readFileSync(join(one, f)).equals(readFileSync(join(two, f))), f);
  }
});

test("bad options: exit 2 and one line on stderr", () => {
  const cases = [
    ["--days", "-1"],
    ["--days", "abc"],
    ["--bar-minutes", "7"],
    ["--fast-seconds", "7"],
    ["--start", "2024-13-01"],
    ["--seed", "1.5"],
    ["--model", "textbook"],
  ];
  for (const args of cases) {
    const r = pairgrid(["data", "synth", "--out", join(root, "bad"), ...args]);
    assert.equal(r.status, 2, args.join(" "));
    const err = r.stderr.trimEnd().split("\n");
    assert.equal(err.length, 1, r.stderr);
    assert.match(err[0], new RegExp(args[0]), r.stderr);
  }
  assert.ok(!existsSync(join(root, "bad")), "nothing written on bad input");
  const missing = pairgrid(["data", "synth", "--days", "2"]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /--out/);
});

test("data synth --help documents the options, exit 0", () => {
  const r = pairgrid(["data", "synth", "--help"]);
  assert.equal(r.status, 0);
  for (const flag of ["--out", "--days", "--seed", "--fast-seconds", "--bar-minutes", "--start"]) {
    assert.ok(r.stdout.includes(flag), flag);
  }
});
