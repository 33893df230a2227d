// The comparison and its diagnosis on traces edited by hand, one defect at a time: a bar missing
// from the feed, different prices, a different configuration, a decision that differs with every
// input equal (the state machine itself), and the scale-aware z tolerance at small sigma.
import assert from "node:assert/strict";
import { test } from "node:test";
import { compareTraces, DEFAULT_PARITY_THRESHOLDS, ulp, zTolerance } from "../src/parity/parity-compare.js";
import { diagnose, type DiagnosisContext } from "../src/parity/parity-diagnosis.js";
import { runParity } from "../src/parity/run-parity.js";
import type { SignalTrace } from "../src/parity/signal-trace.js";
import { makeSpec, parityOptions, synthData } from "./replay-fixtures.js";

const CTX: DiagnosisContext = {
  warmupBars: 0,
  plannedWarmupBars: 0,
  warmupBitIdentical: true,
  zDefinedAfterBars: 398,
  scheduleName: "feed look-ahead",
};
const out = await runParity(
  synthData(12, 4),
  parityOptions(makeSpec({ ols_window: 300, zscore_window: 100, z_entry: 1.5 })),
);
const batch = out.batch.traces;
const replay = out.replay;

function codes(b: SignalTrace[], r: SignalTrace[]) {
  const cmp = compareTraces(b, r);
  return { cmp, codes: diagnose(cmp, CTX).map((f) => f.code) };
}

test("a bar the replay never got: a batch-only row, not a shift of every later row", () => {
  const { cmp, codes: c } = codes(
    batch,
    replay.filter((_, k) => k !== 1000),
  );
  assert.equal(cmp.metrics.batchOnly, 1);
  assert.equal(cmp.metrics.replayOnly, 0);
  assert.equal(cmp.metrics.both, batch.length - 1);
  assert.equal(cmp.pass, false);
  assert.ok(c.includes("MISSING_BARS"));
});

test("different prices or configuration: named by their hashes", () => {
  const prices = replay.map((t, k) => (k === 500 ? { ...t, inputs_hash: "0000000000000000" } : t));
  assert.ok(codes(batch, prices).codes.includes("INPUT_MISMATCH"));
  const config = replay.map((t) => ({ ...t, config_hash: "ffffffffffffffff" }));
  const r = codes(batch, config);
  assert.equal(r.codes[0], "CONFIG_MISMATCH");
  assert.match(r.cmp.failures.join(";"), /configuration hashes differ at \d+ bars/);
});

test("a decision that differs with every input and the previous state equal: the state machine", () => {
  const k = batch.findIndex((t, j) => j > 0 && t.decision === "NONE" && t.state === "FLAT" && !t.last);
  const edited = replay.map((t, j) => (j === k ? { ...t, decision: "ENTER_LONG" } : t));
  const { cmp, codes: c } = codes(batch, edited);
  assert.equal(cmp.metrics.divergentDecisions, 1);
  assert.ok(c.includes("STATE_MACHINE"), c.join(","));
  assert.ok(c.includes("FIRST_DIVERGENCE"));
});

test("the z tolerance widens where sigma is tiny, and the report says where", () => {
  const t = batch.find((x) => Number.isFinite(x.z))!;
  assert.equal(zTolerance(t, DEFAULT_PARITY_THRESHOLDS), 1e-9, "sigma ~1e-3: the plain tolerance");
  const tiny = { ...t, sigma: 1e-6 };
  const tol = zTolerance(tiny, DEFAULT_PARITY_THRESHOLDS);
  const scale = Math.max(Math.abs(Math.log(t.a)), Math.abs(t.beta * Math.log(t.b)), Math.abs(t.alpha));
  assert.equal(tol, (32 * ulp(scale)) / 1e-6, "32 ulps of the spread's largest term, over sigma");
  assert.ok(tol > 5e-8 && tol < 1e-7, `tolerance ${tol}`);
  assert.equal(
    zTolerance(tiny, { ...DEFAULT_PARITY_THRESHOLDS, zUlps: 0 }),
    1e-9,
    "z_ulps 0: plain everywhere",
  );

  const b = batch.map((x) => ({ ...x, sigma: x.sigma * 1e-3 }));
  const r = replay.map((x) => ({ ...x, sigma: x.sigma * 1e-3, z: x.z + 5e-9 }));
  const { cmp, codes: c } = codes(b, r);
  assert.ok(cmp.metrics.zTolWidened > 0);
  assert.ok(c.includes("Z_CONDITIONING"));
  assert.equal(cmp.metrics.zOverTol, 0, "5e-9 passes where one ulp moves z by more");
  assert.equal(
    codes(
      batch,
      replay.map((x) => ({ ...x, z: x.z + 5e-9 })),
    ).cmp.metrics.zOverTol > 0,
    true,
    "but not at normal sigma",
  );
});
