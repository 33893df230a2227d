// The hybrid dollar kernel's pruning (ENGINE.md §8 fast scan; issue 8 item 3) is exact: skipping
// a slow bar's fast rows when the bar's fast-close extremes show neither dollar level can be
// reached changes nothing. Pruned (CFG_HYBRID_PRUNE = 1) and unpruned (0) runs must write the same
// §7 row, folds and trade records to the bit, on random data with random levels and on levels
// taken from the data itself: the PnL of an actual fast row (a hit exactly at the level) and a
// bar's bound (the bound equals the level; a row may or may not reach it). On realistic synthetic
// data the pruned kernel must also scan far fewer rows than it holds, else it prunes nothing.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, test } from "node:test";
import fc from "fast-check";
import {
  CFG_DOLLAR_SL,
  CFG_DOLLAR_TP,
  CFG_HYBRID_PRUNE,
  CFG_MULT_A,
  CFG_MULT_B,
  configFor,
} from "../src/rules/config-vector.js";
import { makeKernelScratch } from "../src/kernels/grid-kernel-scratch.js";
import { FOLD_WIDTH, N_STATS } from "../src/statistics/stat-row.js";
import { type FastScanCount, runHybridKernel } from "../src/kernels/hybrid-kernel.js";
import { KernelCall } from "../src/kernels/kernel-call.js";
import { type HybridInputs, hybridInputsFor } from "../src/kernels/hybrid-inputs.js";
import {
  decodeHybridTrades,
  HYBRID_TRADE_RECORD_WIDTH,
  type HybridKernelTrade,
} from "../src/kernels/hybrid-trade-record.js";
import { type SlowFastIndex, slowFastIndex } from "../src/kernels/slow-fast-index.js";
import { resolveCombination } from "../src/grid-spec/combination.js";
import { makeCfg } from "./backtest-fixtures.js";
import { randomHybrid } from "./hybrid-fixtures.js";
import { hybridCombination, randomShape } from "./hybrid-property-arbitraries.js";
import { type SynthHybrid, synthHybrid } from "./hybrid-synth.js";

interface Run {
  nTrades: number;
  row: Float64Array;
  folds: Float64Array;
  trades: Float64Array;
  count: FastScanCount;
}

function run(h: HybridInputs, index: SlowFastIndex, cfg: Float64Array, prune: 0 | 1, nFolds: number): Run {
  const c = Float64Array.from(cfg);
  c[CFG_HYBRID_PRUNE] = prune;
  const row = new Float64Array(N_STATS);
  const folds = new Float64Array(nFolds * FOLD_WIDTH);
  const trades = new Float64Array((h.slow.n + 1) * HYBRID_TRADE_RECORD_WIDTH);
  const count = { rowsInPosition: 0, rowsScanned: 0 };
  const hin = { slow: h.slow, fast: h.fast, source: { kind: "slow_bars", index } } as const;
  const scratch = makeKernelScratch(h.slow.nDays);
  const nTrades = runHybridKernel(new KernelCall(hin, c, row, folds, nFolds, scratch, trades), count);
  return { nTrades, row, folds, trades, count };
}

/** Bit equality (NaN payloads and the sign of zero included), with a readable diff on failure. */
function sameBits(got: Float64Array, want: Float64Array, what: string): void {
  const g = Buffer.from(got.buffer, got.byteOffset, got.byteLength);
  const w = Buffer.from(want.buffer, want.byteOffset, want.byteLength);
  if (!g.equals(w)) assert.deepEqual(Array.from(got), Array.from(want), `${what}: not bit-identical`);
  assert.ok(g.equals(w), `${what}: not bit-identical (NaN payload or −0)`);
}

/** Pruned and unpruned runs of `cfg` agree to the bit; returns both. */
function assertPruneExact(h: HybridInputs, index: SlowFastIndex, cfg: Float64Array, nFolds: number) {
  const pruned = run(h, index, cfg, 1, nFolds);
  const full = run(h, index, cfg, 0, nFolds);
  assert.equal(pruned.nTrades, full.nTrades, "trade count");
  sameBits(pruned.row, full.row, "§7 row");
  sameBits(pruned.folds, full.folds, "folds");
  sameBits(pruned.trades, full.trades, "trade records");
  assert.equal(pruned.count.rowsInPosition, full.count.rowsInPosition, "same positions, same held rows");
  assert.ok(pruned.count.rowsScanned <= full.count.rowsScanned, "pruning never scans more");
  return { pruned, full };
}

/** u of a trade at leg prices (a, b), grouped as the kernel writes it (§6). */
function pnlAt(h: HybridInputs, cfg: Float64Array, t: HybridKernelTrade, a: number, b: number): number {
  const kA = t.n_a * cfg[CFG_MULT_A];
  const kB = (t.beta_entry < 0 ? -1 : 1) * t.n_b * cfg[CFG_MULT_B];
  const ea = h.slow.closeA[t.entry_i];
  const eb = h.slow.closeB[t.entry_i];
  return t.side * (kA * (a - ea) - kB * (b - eb));
}

/**
 * Candidate levels from the data, given the trades of the run without dollar exits: the PnL at
 * every fast row of every held bar, and each held bar's two bounds from its extremes.
 */
function levelsFromData(
  h: HybridInputs,
  index: SlowFastIndex,
  cfg: Float64Array,
  trades: HybridKernelTrade[],
) {
  const rows: number[] = [];
  const bounds: number[] = [];
  for (const t of trades) {
    for (let j = t.entry_i + 1; j <= t.exit_i; j++) {
      const lo = index.fastLo[j];
      const hi = index.fastHi[j];
      if (lo >= hi) continue;
      for (let r = lo; r < hi; r++) rows.push(pnlAt(h, cfg, t, h.fast.closeA[r], h.fast.closeB[r]));
      for (const a of [index.maxA[j], index.minA[j]])
        for (const b of [index.maxB[j], index.minB[j]]) bounds.push(pnlAt(h, cfg, t, a, b));
    }
  }
  const usable = (v: number) => Number.isFinite(v) && v !== 0;
  return { rows: rows.filter(usable), bounds: bounds.filter(usable) };
}

const pick = fc.record({
  source: fc.constantFrom("random", "row", "row", "bound", "bound"),
  which: fc.nat(),
  other: fc.boolean(),
});

const scenario = randomShape.chain((shape) =>
  fc.record({
    shape: fc.constant(shape),
    combos: fc.array(fc.tuple(hybridCombination(shape.gates, "any"), pick), { minLength: 1, maxLength: 3 }),
    nFolds: fc.integer({ min: 1, max: 8 }),
  }),
);

test("pruned = unpruned, to the bit: random data, random levels and levels at a row's PnL or a bound", () => {
  const seen = { atRow: 0, atBound: 0, fastExits: 0, skipped: 0 };
  fc.assert(
    fc.property(scenario, ({ shape, combos, nFolds }) => {
      const h = randomHybrid(shape);
      const index = slowFastIndex(h.slow.ts, h.slow.barMs, h.fast);
      for (const [c, p] of combos) {
        const cfg = makeCfg(c);
        if (p.source !== "random") {
          // levels off: the positions whose held fast rows the levels are taken from
          const off = Float64Array.from(cfg);
          off[CFG_DOLLAR_TP] = Number.NaN;
          off[CFG_DOLLAR_SL] = Number.NaN;
          const base = run(h, index, off, 1, nFolds);
          const data = levelsFromData(h, index, cfg, decodeHybridTrades(base.trades, base.nTrades));
          const pool = p.source === "row" ? data.rows : data.bounds;
          if (pool.length > 0) {
            const v = pool[p.which % pool.length];
            // a positive PnL is a take-profit level, a negative one a stop; the other level is
            // either the combination's own or off
            if (v > 0) {
              cfg[CFG_DOLLAR_TP] = v;
              if (p.other) cfg[CFG_DOLLAR_SL] = Number.NaN;
            } else {
              cfg[CFG_DOLLAR_SL] = -v;
              if (p.other) cfg[CFG_DOLLAR_TP] = Number.NaN;
            }
            if (p.source === "row") seen.atRow++;
            else seen.atBound++;
          }
        }
        const { pruned } = assertPruneExact(h, index, cfg, nFolds);
        for (const t of decodeHybridTrades(pruned.trades, pruned.nTrades))
          if (t.exit_ts !== h.slow.ts[t.exit_i] + h.slow.barMs) seen.fastExits++;
        seen.skipped += pruned.count.rowsInPosition - pruned.count.rowsScanned;
      }
    }),
    { numRuns: 300 },
  );
  assert.ok(seen.atRow > 50, `levels at a fast row's PnL (${seen.atRow})`);
  assert.ok(seen.atBound > 50, `levels at a bar's bound (${seen.atBound})`);
  assert.ok(seen.fastExits > 50, `the runs exercise fast exits (${seen.fastExits})`);
  assert.ok(seen.skipped > 0, `the runs exercise skipped bars (${seen.skipped} rows)`);
});

test("a level exactly at a fast row's PnL exits in that row's bar, at the level, pruned or not", () => {
  const h = randomHybrid({
    seed: 11,
    n: 60,
    maxFast: 6,
    eodMode: 0,
    windowMode: 0,
    betaMode: 0,
    nanRate: 0,
    consistent: true,
    gates: false,
    onGrid: true,
  });
  const index = slowFastIndex(h.slow.ts, h.slow.barMs, h.fast);
  const cfg = makeCfg({ z_entry: 1, z_exit: 0.5 });
  const base = run(h, index, cfg, 1, 4);
  // a position whose first held bar (entry + 1, scanned before any slow exit) has fast rows
  const t = decodeHybridTrades(base.trades, base.nTrades).find(
    (x) => index.fastHi[x.entry_i + 1] > index.fastLo[x.entry_i + 1],
  );
  assert.ok(t !== undefined, "a trade whose first held bar has fast rows");
  // take profit at that bar's largest PnL: only rows AT the level reach it, so the exit is there
  const j = t.entry_i + 1;
  let best = -Infinity;
  let at = -1;
  for (let r = index.fastLo[j]; r < index.fastHi[j]; r++) {
    const u = pnlAt(h, cfg, t, h.fast.closeA[r], h.fast.closeB[r]);
    if (u > best) [best, at] = [u, r];
  }
  assert.ok(best > 0, `a positive PnL to take profit at (${best})`);
  const c = Float64Array.from(cfg);
  c[CFG_DOLLAR_TP] = best;
  const { pruned } = assertPruneExact(h, index, c, 4);
  const first = decodeHybridTrades(pruned.trades, pruned.nTrades).find((x) => x.entry_i === t.entry_i);
  assert.ok(first !== undefined);
  assert.equal(first.reason, "TP_DOLLAR");
  assert.equal(first.exit_i, j);
  assert.equal(first.exit_ts, h.fast.ts[at] + h.fast.barMs, "the first row at the level");
  assert.equal(first.pnl_gross, best);
});

let synth: SynthHybrid;
before(async () => {
  synth = await synthHybrid(4, 7, { engine: "hybrid_dollar" });
});
after(() => rmSync(synth.dir, { recursive: true, force: true }));

test("on synthetic NQ/YM data pruning is exact and skips most held fast rows", () => {
  const { spec, sp, fl } = synth;
  const combo = resolveCombination(spec, ["z_entry=2", "z_exit=0.5", "z_stop=null"]);
  const h = hybridInputsFor(spec, sp, fl.fast, combo);
  const index = slowFastIndex(h.slow.ts, h.slow.barMs, h.fast);
  const cfg = configFor(spec, combo);
  assert.equal(cfg[CFG_HYBRID_PRUNE], 1, "fillConfig prunes by default");
  const total = { inPosition: 0, prunedScanned: 0, fullScanned: 0, dollarExits: 0 };
  const wide = { inPosition: 0, prunedScanned: 0 };
  for (const [tp, sl] of [
    [250, 250],
    [500, 1000],
    [1500, 500],
    [2500, 2500],
  ]) {
    const c = Float64Array.from(cfg);
    c[CFG_DOLLAR_TP] = tp;
    c[CFG_DOLLAR_SL] = sl;
    const { pruned, full } = assertPruneExact(h, index, c, spec.rank.folds);
    total.inPosition += pruned.count.rowsInPosition;
    total.prunedScanned += pruned.count.rowsScanned;
    total.fullScanned += full.count.rowsScanned;
    for (const t of decodeHybridTrades(pruned.trades, pruned.nTrades))
      if (t.reason === "TP_DOLLAR" || t.reason === "SL_DOLLAR") total.dollarExits++;
    if (tp === 2500)
      [wide.inPosition, wide.prunedScanned] = [pruned.count.rowsInPosition, pruned.count.rowsScanned];
  }
  const got = JSON.stringify({ total, wide });
  assert.ok(total.inPosition > 100_000, `held fast rows: ${got}`);
  assert.ok(total.dollarExits >= 20, `dollar exits happen: ${got}`);
  // unpruned scans every held row up to a fast exit
  assert.ok(total.fullScanned > 0.9 * total.inPosition, `unpruned scans all: ${got}`);
  // the bound pairs one leg's extreme with the other's, so near a level it is loose (hedged legs
  // move together); far from the levels it skips nearly everything
  assert.ok(total.prunedScanned < 0.5 * total.fullScanned, `pruning skips most rows: ${got}`);
  assert.ok(wide.prunedScanned < 0.05 * wide.inPosition, `levels far away: almost nothing scanned: ${got}`);
});
