// Fault injection for hybrid parity: the classic z-live bug — z_live of a fast bar computed from the
// indicators of the slow bar HOLDING it (bar k, known only at its close) instead of the last
// completed one (k − 1) — planted in the batch through the test-only indicator hook. The gate must
// fail and name a z-live look-ahead; the faultless run on the same data passes.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, test } from "node:test";
import { configFor } from "../src/rules/config-vector.js";
import type { IndicatorSeries } from "../src/indicators/compute-indicators.js";
import type { BatchFaultHooks } from "../src/parity/batch-trace.js";
import { type HybridParityOutcome, runHybridParity } from "../src/parity/run-hybrid-parity.js";
import { resolveCombination } from "../src/grid-spec/combination.js";
import { synthHybrid } from "./hybrid-synth.js";

const s = await synthHybrid(2, 31, {
  params: { ols_window: 120, zscore_window: 40, z_entry: 1.75, z_exit: 0, z_stop: 3.5, dollar_tp: 250 },
});
after(() => rmSync(s.dir, { recursive: true, force: true }));

async function run(batchHooks?: BatchFaultHooks): Promise<HybridParityOutcome> {
  const combo = resolveCombination(s.spec, []);
  return runHybridParity(s.sp, s.fl.fast, {
    engine: "hybrid_zlive",
    combo,
    settings: { hedge: s.spec.hedge, hurstLags: s.spec.gates.hurst_lags },
    cfg: configFor(s.spec, combo),
    batchHooks,
  });
}

/** x[k] ← x[k + 1] for z_live's inputs: bar k − 1's slot holds bar k's (the current bar's) values. */
function currentBarIndicators(ind: IndicatorSeries): IndicatorSeries {
  const ahead = (a: Float64Array) => {
    const out = new Float64Array(a.length).fill(Number.NaN);
    out.set(a.subarray(1));
    return out;
  };
  return {
    ...ind,
    beta: ahead(ind.beta),
    alpha: ahead(ind.alpha),
    mu: ahead(ind.mu),
    sigma: ahead(ind.sigma),
  };
}

const causes = (out: HybridParityOutcome) =>
  out.findings.filter((f) => f.kind === "cause").map((f) => f.code);

test("the faultless z-live run passes (the baseline)", async () => {
  const out = await run();
  assert.equal(out.comparison.pass, true, out.comparison.failures.join("; "));
  assert.deepEqual(causes(out), []);
});

test("z_live from the CURRENT slow bar's indicators: caught, diagnosed as a z-live look-ahead", async () => {
  const out = await run({ indicators: currentBarIndicators });
  const m = out.comparison.metrics;
  assert.equal(out.comparison.pass, false);
  assert.ok(m.divergentDecisions > 0, `${m.divergentDecisions} divergent decisions`);
  assert.ok(m.zOverTol > 1000 && m.maxAbsDz > 0.01, `|Δz| max ${m.maxAbsDz} at ${m.zOverTol} rows`);
  assert.equal(causes(out)[0], "LOOKAHEAD", JSON.stringify(out.findings));
  const msg = out.findings.find((f) => f.code === "LOOKAHEAD")!.message;
  assert.match(msg, /the batch's beta, alpha, mu and sigma are those of the slow bar HOLDING the fast bar/);
  assert.match(msg, /look-ahead/);
  assert.ok(!causes(out).includes("FLOAT32") && !causes(out).includes("WARMUP_SHORT"), causes(out).join());
});
