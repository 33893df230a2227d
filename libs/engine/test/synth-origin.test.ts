// synthOrigin: the label that keeps synthetic figures from passing for real ones — from a
// synth.json next to either leg's data, older files (no model) as the simple model, a broken file
// still called synthetic, and no label without a synth.json.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { synthOrigin, writeSynthFiles } from "../src/synth/index.js";

const root = mkdtempSync(join(tmpdir(), "pairgrid-synth-origin-"));
after(() => rmSync(root, { recursive: true, force: true }));

const specOver = (dirA: string, dirB: string) => ({
  data: { a: { slow: join(dirA, "NQ.csv") }, b: { slow: join(dirB, "YM.csv") } },
});

test("data synth output: model and seed from its synth.json", () => {
  const dir = join(root, "market");
  writeSynthFiles(dir, { days: 1, seed: 7 });
  assert.deepEqual(synthOrigin(specOver(dir, dir)), {
    model: "market",
    seed: 7,
    days: 1,
    label: "synthetic data (model market, seed 7)",
  });
  const simple = join(root, "simple");
  writeSynthFiles(simple, { days: 1, seed: 3, model: "simple" });
  // only leg b's folder has one
  const real = join(root, "real");
  mkdirSync(real);
  assert.equal(synthOrigin(specOver(real, simple))?.label, "synthetic data (model simple, seed 3)");
});

test("a synth.json from before --model existed is the simple model", () => {
  const dir = join(root, "old");
  mkdirSync(dir);
  const settings = { days: 60, seed: 7, bar_minutes: 5, fast_seconds: null, start: "2024-01-02" };
  writeFileSync(join(dir, "synth.json"), JSON.stringify({ generator: "pairgrid data synth", settings }));
  assert.equal(synthOrigin(specOver(dir, dir))?.label, "synthetic data (model simple, seed 7)");
});

test("a broken synth.json still says synthetic; no synth.json, or no data paths: null", () => {
  const dir = join(root, "broken");
  mkdirSync(dir);
  writeFileSync(join(dir, "synth.json"), "{ not json");
  const o = synthOrigin(specOver(dir, dir));
  assert.equal(o?.model, null);
  assert.match(o!.label, /^synthetic data \(.*synth\.json unreadable\)$/);
  const real = join(root, "real2");
  mkdirSync(real);
  assert.equal(synthOrigin(specOver(real, real)), null);
  assert.equal(synthOrigin({ name: "no data" }), null);
  assert.equal(synthOrigin(null), null);
});
