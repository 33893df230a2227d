// Zod schemas of GET /jobs/:id/robustness: the query string in and the report out (built by
// @pairgrid/resultsdb's robustness-report.ts), and what /docs shows for them. Apart from the route
// so that their declarations need only zod: the dashboard derives its types from them (ui/src/types.ts).
import { FOLD_STATISTICS } from "@pairgrid/engine";
import type { RobustnessReport } from "@pairgrid/resultsdb";
import { z } from "zod";

export const robustnessQuery = z.object({
  by: z.enum(FOLD_STATISTICS).default("sharpe").describe("statistic to select and rank by"),
  splits: z.coerce
    .number()
    .int()
    .optional()
    .describe("CSCV groups S: even, 2 … min(folds, 32) (default: the largest even number ≤ min(folds, 16))"),
  window: z.coerce
    .number()
    .int()
    .optional()
    .describe(
      "walk-forward window: rolling training folds and first test fold, 1 … folds − 1 (default folds / 4)",
    ),
  limit: z.coerce.number().int().min(1).max(10_000).default(20).describe("top rows to list"),
});

const stat = z.number().nullable();
const params = z.record(z.string(), z.number().nullable()).describe("the varying parameters (null = off)");

const pboReport = z
  .object({
    groups: z.number().int(),
    n_splits: z.number().int(),
    n_splits_total: z.number().int().describe("C(S, S/2)"),
    sampled: z.boolean().describe("a fixed, seeded sample of the splits was evaluated"),
    pbo: stat.describe("share of splits whose in-sample best ranks at or below the out-of-sample median"),
    logits: z.array(z.number()).describe("λ = ln(ω̄/(1−ω̄)) per split"),
    logit_histogram: z
      .object({ edges: z.array(z.number()), counts: z.array(z.number().int()) })
      .describe("counts[k]: λ in (edges[k], edges[k+1]]; the left half sums to PBO × n_splits"),
    degradation: z
      .object({
        is: z.array(z.number()),
        oos: z.array(stat),
        slope: stat,
        intercept: stat,
        prob_oos_loss: stat,
      })
      .describe("in-sample best vs its out-of-sample statistic, per split, and their regression"),
  })
  .describe("PboReport");

const walkForwardReport = z
  .object({
    mode: z.enum(["anchored", "rolling"]),
    steps: z.array(
      z.object({
        train_from: z.number().int(),
        train_to: z.number().int(),
        test_fold: z.number().int(),
        combo_id: z.number().int().nullable(),
        params: params.nullable(),
        is_sharpe: stat,
        is_pnl: stat,
        oos_sharpe: stat,
        oos_pnl: stat,
        oos_n_trades: z.number().int(),
        oos_n_days: z.number().int(),
      }),
    ),
    stitched: z.object({
      sharpe: stat,
      pnl: z.number(),
      n_days: z.number().int(),
      n_trades: z.number().int(),
    }),
    in_sample_best: z.object({
      combo_id: z.number().int().nullable(),
      params: params.nullable(),
      sharpe: stat,
      pnl: stat,
      oos_period_sharpe: stat,
      oos_period_pnl: stat,
      test_fold_pnl: z
        .array(z.number())
        .describe("its PnL in each step's test fold, in step order (empty without an in-sample best)"),
    }),
  })
  .describe("WalkForwardReport");

export const robustnessReport = z
  .object({
    job_id: z.string(),
    by: z.enum(FOLD_STATISTICS),
    n_combos: z.number().int(),
    n_distinct: z
      .number()
      .int()
      .describe("distinct results, a group of twins (same_as) once: what PBO and walk-forward rank"),
    n_folds: z.number().int(),
    params: z.array(z.string()).describe("parameters that vary over the job's rows"),
    pbo: pboReport.nullable().describe("null with fewer than 2 folds or 2 distinct results"),
    walk_forward: z
      .object({ window: z.number().int(), anchored: walkForwardReport, rolling: walkForwardReport })
      .nullable()
      .describe("null with fewer than 2 folds"),
    top: z.array(
      z.object({
        rank: z.number().int(),
        combo_id: z.number().int(),
        params,
        sharpe: stat,
        dsr: stat,
        stability: stat.describe(
          "median of the grid neighbours' statistic − own: ≈ 0 plateau, ≪ 0 lone spike",
        ),
        n_neighbours: z.number().int(),
        total_pnl: stat,
        n_trades: stat,
        n_identical: z
          .number()
          .int()
          .describe("other rows with identical statistics (same_as this one), ranked once with it"),
      }),
    ),
  })
  .describe("RobustnessReport");

// The response is serialized through the schema, which drops keys it does not list: fail the
// build, not the client, when the report's type and the schema drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _reportInSync: Same<z.output<typeof robustnessReport>, RobustnessReport> = true;
