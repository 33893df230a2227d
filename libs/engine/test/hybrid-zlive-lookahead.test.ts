// No look-ahead in z-live mode (ENGINE.md §8): a fast bar inside slow bar k only ever sees the
// indicators of bar k−1. On synthetic data through the real pipeline (indicators recomputed from
// the closes), changing slow bar k's close changes no decision taken up to bar k's close — for
// every bar where the baseline run enters or exits — while it does change z_live inside bar k+1,
// so the check has teeth.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, test } from "node:test";
import type { Trade } from "../src/reference/trade.js";
import { configFor } from "../src/rules/config-vector.js";
import type { SlowPair } from "../src/loaders/load-slow-pair.js";
import { resolveCombination } from "../src/grid-spec/combination.js";
import { hybridInputsFor } from "../src/kernels/hybrid-inputs.js";
import { zLiveAt } from "../src/reference/decision-rows.js";
import { runHybridZLiveReference } from "../src/reference/reference-engine.js";
import { slowFastIndex } from "../src/kernels/slow-fast-index.js";
import { type SynthHybrid, synthHybrid } from "./hybrid-synth.js";

let data: SynthHybrid;
before(async () => {
  data = await synthHybrid(3, 11);
});
after(() => rmSync(data.dir, { recursive: true, force: true }));

/** Every decision of a run as [fill time, what], in time order. */
function decisions(trades: Trade[]): [number, string][] {
  const out: [number, string][] = [];
  for (const t of trades) {
    out.push([
      t.entry_ts,
      `enter ${t.side} ${t.n_a}x${t.n_b} beta ${t.beta_entry} at ${t.entry_a}/${t.entry_b}`,
    ]);
    out.push([t.exit_ts, `exit ${t.reason} ${t.pnl_gross}`]);
  }
  return out.sort((x, y) => x[0] - y[0]);
}

/** The slow pair with bar k's close of leg A moved by `factor`. */
function withCloseMoved(sp: SlowPair, k: number, factor: number): SlowPair {
  const close = Float64Array.from(sp.pair.a.close);
  close[k] *= factor;
  return { ...sp, pair: { ...sp.pair, a: { ...sp.pair.a, close } } };
}

test("changing slow bar k's close changes no decision up to bar k's close", () => {
  const { spec, sp, fl } = data;
  const combo = resolveCombination(spec, []);
  const cfg = configFor(spec, combo);
  const base = runHybridZLiveReference(hybridInputsFor(spec, sp, fl.fast, combo), cfg);
  assert.ok(base.trades.length >= 5, `enough trades to test (${base.trades.length})`);
  const bars = [...new Set(base.trades.flatMap((t) => [t.entry_i, t.exit_i]))].slice(0, 12);
  const index = slowFastIndex(sp.pair.ts, sp.barMs, fl.fast);
  for (const k of bars) {
    const closeK = sp.pair.ts[k] + sp.barMs;
    const moved = withCloseMoved(sp, k, 1.004);
    const h2 = hybridInputsFor(spec, moved, fl.fast, combo);
    const run2 = runHybridZLiveReference(h2, cfg);
    const upTo = (ds: [number, string][]) => ds.filter(([t]) => t <= closeK);
    const before = upTo(decisions(base.trades));
    assert.ok(
      before.some(([t]) => t > sp.pair.ts[k]),
      `bar ${k} holds a decision`,
    );
    assert.deepEqual(upTo(decisions(run2.trades)), before, `decisions up to bar ${k}'s close`);

    // the change is real: bar k+1's fast bars see other indicators
    if (k + 1 < sp.pair.ts.length) {
      const h1 = hybridInputsFor(spec, sp, fl.fast, combo);
      let changed = 0;
      for (let j = index.fastLo[k + 1]; j < index.fastHi[k + 1]; j++) {
        const a = fl.fast.closeA[j];
        const b = fl.fast.closeB[j];
        const z1 = zLiveAt(h1, k, a, b);
        if (Number.isFinite(z1) && z1 !== zLiveAt(h2, k, a, b)) changed++;
      }
      assert.ok(changed > 0, `z_live inside bar ${k + 1} moves with bar ${k}'s close`);
    }
  }
});
