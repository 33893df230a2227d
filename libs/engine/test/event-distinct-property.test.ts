// Inert gates and identical combinations (issue 8): a chunk's event path drops the gates of a
// combination when they refuse no entry candidate of its z_entry level (inert-gates.ts), runs each
// distinct configuration once and copies its row to its twins (run-event-distinct.ts). Every row
// must still be the bar-scan kernel's for the combination as the grid gave it — gates intact —
// bit for bit. The correlation gate here refuses at a few chosen bars only, so some z_entry levels
// are above every refusal (inert) and others are not.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { CFG_LENGTH, CFG_Z_ENTRY } from "../src/rules/config-vector.js";
import { BatchScratch } from "../src/kernels/event-batch-kernel.js";
import { FamilyScratch } from "../src/kernels/event-family-kernel.js";
import { gateKeyOf, gateRefusalCeiling, GroupEvents } from "../src/kernels/event-index.js";
import { entryCandidates } from "../src/kernels/entry-candidates.js";
import { GateSet } from "../src/rules/kernel-gates.js";
import { FOLD_WIDTH, N_STATS, statRowToObject } from "../src/statistics/stat-row.js";
import { runEventDistinct } from "../src/chunks/run-event-distinct.js";
import { combination, dataShape, makeData } from "./grid-kernel-arbitraries.js";
import { type ConfigValues, makeConfig, NO_GATES, runKernel } from "./grid-kernel-helpers.js";

const UNGATED = gateKeyOf(makeConfig({ z_entry: 2, ...NO_GATES }), 0);

/** Gate settings a base combination is tried with; the first is no gate at all (the twin). */
const GATE_VARIANTS: Partial<ConfigValues>[] = [
  NO_GATES,
  { ...NO_GATES, min_corr: 0 },
  { ...NO_GATES, min_corr: 0.5 },
  { ...NO_GATES, min_corr: 0.5, min_gates: 0 }, // on, but needs no pass: lets everything through
  { ...NO_GATES, min_corr: 0.5, min_gates: 2 }, // needs more passes than gates on: refuses all
];

test("rows with inert gates dropped and twins copied = bar scan of the grid's combinations", () => {
  let cleared = 0;
  let keptGated = 0;
  let copies = 0;
  fc.assert(
    fc.property(
      dataShape,
      fc.array(
        combination(true).map((c) => ({ ...c, dollar_tp: undefined, dollar_sl: undefined })),
        { minLength: 1, maxLength: 3 },
      ),
      fc.uniqueArray(fc.integer({ min: 0, max: 699 }), { maxLength: 6 }),
      fc.boolean(),
      fc.integer({ min: 1, max: 4 }),
      (shape, bases, refusedBars, randomGatesToo, nFolds) => {
        const data = makeData({ ...shape, gates: true });
        // corr 1 (every min_corr passes) but at the refused bars: NaN or −1 there
        const corr = new Float64Array(data.n).fill(1);
        for (const i of refusedBars) if (i < data.n) corr[i] = i % 2 === 0 ? Number.NaN : -1;
        const inp = { ...data, corr };
        const list: ConfigValues[] = [];
        for (const b of bases) {
          const variants = randomGatesToo ? [...GATE_VARIANTS, {}] : GATE_VARIANTS;
          for (const g of variants) {
            // z_stop × max_hold pairs, so families (≥ 4 members) form as well as lone combinations
            for (const [stop, max_hold] of [
              [b.z_stop, b.max_hold],
              [undefined, 0],
              [b.z_entry! + 1, 0],
              [undefined, 5],
              [b.z_entry! + 1, 5],
            ] as const) {
              list.push({ ...b, ...g, z_stop: stop, max_hold });
            }
          }
        }
        const cfgs = new Float64Array(list.length * CFG_LENGTH);
        list.forEach((c, k) => makeConfig(c, cfgs, k * CFG_LENGTH));
        const given = cfgs.slice();
        const rows = new Float64Array(list.length * N_STATS);
        const folds = new Float64Array(list.length * nFolds * FOLD_WIDTH);
        const events = new GroupEvents(inp);
        copies += runEventDistinct(
          inp,
          events,
          cfgs,
          list.map((_, k) => k),
          rows,
          folds,
          nFolds,
          new BatchScratch(inp.nDays),
          new FamilyScratch(inp.nDays),
        );
        list.forEach((_, k) => {
          const o = k * CFG_LENGTH;
          const original = given.subarray(o, o + CFG_LENGTH);
          const scan = runKernel(inp, original, nFolds, "scan");
          assert.deepEqual(
            statRowToObject(rows.subarray(k * N_STATS, (k + 1) * N_STATS)),
            scan.stats,
            `row ${k}`,
          );
          const f0 = k * nFolds * FOLD_WIDTH;
          scan.folds.forEach((f, q) => {
            const at = f0 + q * FOLD_WIDTH;
            assert.deepEqual(
              [folds[at], folds[at + 1], folds[at + 2], folds[at + 3]],
              [f.n_trades, f.pnl, f.pnl_sq, f.n_days],
              `row ${k} fold ${q}`,
            );
          });
          // a dropped gate is one whose entry candidates would have been the ungated ones
          const gates = new GateSet(inp, original, 0);
          const key = gateKeyOf(original, 0);
          if (gateKeyOf(cfgs, o) !== key) {
            // dropped: to no gates at all
            assert.equal(gateKeyOf(cfgs, o), UNGATED);
            if (gates.required > 0) {
              cleared++;
              const ze = original[CFG_Z_ENTRY]!;
              assert.deepEqual(
                events.gatedCandidates(ze, key, gates),
                entryCandidates(events.entry(ze)),
                `row ${k}`,
              );
            }
          } else if (gates.required > 0) {
            keptGated++;
          }
        });
      },
    ),
    { numRuns: 1000 },
  );
  // both branches ran: gates dropped as inert, gates kept because they refuse, twins copied
  assert.ok(cleared > 200, `${cleared} gated combinations ran ungated`);
  assert.ok(keptGated > 200, `${keptGated} gated combinations kept their gates`);
  assert.ok(copies > 500, `${copies} rows copied`);
});

test("a group's refusal ceiling, asked at floors in any order, = the ceiling computed at each floor", () => {
  // GroupEvents computes a gate configuration's ceiling once and answers higher floors from it
  // (each chunk of a group asks at its own lowest z_entry): every answer must be the fresh one
  let reused = 0;
  fc.assert(
    fc.property(
      dataShape.map((s) => ({ ...s, gates: true })),
      combination(true),
      fc.array(fc.constantFrom(0, 0.5, 1, 1.25, 1.5, 2, 2.5, 3, 4, Number.POSITIVE_INFINITY), {
        minLength: 1,
        maxLength: 8,
      }),
      (shape, c, floors) => {
        const inp = makeData(shape);
        const cfg = makeConfig(c);
        const gates = new GateSet(inp, cfg, 0);
        const events = new GroupEvents(inp);
        const key = gateKeyOf(cfg, 0);
        floors.forEach((f, q) => {
          if (q > 0 && floors.slice(0, q).some((g) => g <= f)) reused++;
          assert.equal(events.refusalCeiling(key, gates, f), gateRefusalCeiling(inp, gates, f), `floor ${f}`);
        });
      },
    ),
    { numRuns: 300 },
  );
  assert.ok(reused > 300, `${reused} answers from a lower floor's ceiling`);
});
