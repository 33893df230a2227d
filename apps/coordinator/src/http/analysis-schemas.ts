// Zod schemas of the dashboard's analysis routes (grid, heatmap, ranked rows, one combination):
// query strings in, response shapes out, and what /docs shows for them. The JSON-valued query
// fields (`fix`, `filter`) are strings here and parsed by parseJsonQuery, so a bad one names its
// inner field (`query.filter.sharpe`).
import { HEATMAP_AGGS, MAX_ROWS_LIMIT } from "@pairgrid/resultsdb";
import { z } from "zod";
import { HttpError } from "./errors.js";

const paramValue = z.number().nullable();

/**
 * `all=1`: every row, twins included. By default each group of rows with identical statistics
 * (INTERFACE.md `same_as`) counts once, by its lowest combo_id.
 */
export const allRows = z
  .enum(["0", "1", "true", "false"])
  .optional()
  .transform((v) => v === "1" || v === "true")
  .describe("1: every row, twins (rows with identical statistics) included; default each group once");

export const axisValues = z.object({ name: z.string(), values: z.array(paramValue) });

export const gridView = z
  .object({
    job_id: z.string(),
    params: z.array(axisValues).describe("parameters with more than one value, in spec order"),
    fixed: z.record(z.string(), paramValue).describe("single-valued parameters"),
    stats: z.array(z.string()).describe("statistic columns: the §7 statistics and dsr"),
    n_rows: z.number().int().describe("rows stored so far"),
    data_origin: z
      .string()
      .nullable()
      .describe(
        "'synthetic data (model market, seed 7)' when a synth.json lies next to the job's data, else null",
      ),
    rank: z
      .object({
        by: z.string(),
        min_trades: z.number().int(),
        order: z.enum(["asc", "desc"]),
        example_sql: z.string().describe("a SELECT of the job's rows ranked by the same rule"),
      })
      .describe("the job's ranking (rank.by, rank.min_trades): the defaults of every ranked view"),
    hedge: z.string().describe("ols | kalman"),
    engine: z
      .string()
      .describe(
        "slow | hybrid_dollar | hybrid_zlive | hybrid_curve (the curve grid, approximating hybrid_dollar)",
      ),
  })
  .describe("GridView");

export const heatmapQuery = z.object({
  x: z.string().min(1).describe("varying parameter along the x axis"),
  y: z.string().min(1).describe("varying parameter along the y axis"),
  stat: z.string().min(1).default("sharpe").describe("statistic shown (a §7 statistic or dsr)"),
  agg: z
    .enum(HEATMAP_AGGS)
    .default("max")
    .describe("how the other varying parameters are combined; fixed: each must be given in `fix`"),
  min_trades: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe("leave out rows with fewer trades (default: the job's rank.min_trades)"),
  all: allRows,
  fix: z
    .string()
    .optional()
    .describe('JSON object {param: value}: other varying parameters held at one value, e.g. {"z_exit":0}'),
});

const cellGrid = <T extends z.ZodType>(cell: T) => z.array(z.array(cell)).describe("indexed [yi][xi]");

export const heatmapBody = z
  .object({
    x: axisValues,
    y: axisValues,
    stat: z.string(),
    agg: z.enum(HEATMAP_AGGS),
    cells: cellGrid(z.number().nullable()).describe("aggregated statistic, [yi][xi]; null: no row"),
    counts: cellGrid(z.number().int()).describe(
      "distinct results aggregated per cell (each group of twins once unless all=1), [yi][xi]",
    ),
    best: z
      .object({ combo_id: z.number().int().nullable(), x: paramValue, y: paramValue, value: z.number() })
      .nullable()
      .describe(
        "the best cell (largest value; smallest for max_dd); combo_id null when the cell is a median or a mean",
      ),
    combo_ids: cellGrid(z.number().int().nullable()).describe(
      "combination of each cell with agg=fixed, or the one reaching the max / min; null otherwise",
    ),
  })
  .describe("Heatmap");

export const rowsQuery = z.object({
  by: z
    .string()
    .min(1)
    .optional()
    .describe("column to sort by: combo_id, a parameter or a statistic (default: the job's rank.by)"),
  order: z.enum(["asc", "desc"]).optional().describe("default: asc for max_dd, desc otherwise"),
  limit: z.coerce.number().int().min(1).max(MAX_ROWS_LIMIT).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  all: allRows,
  min_trades: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe("leave out rows with fewer trades (default: the job's rank.min_trades)"),
  filter: z
    .string()
    .optional()
    .describe(
      'JSON object: {column: value} keeps rows equal to value (null: unset), {column: {"min": a, "max": b}} ' +
        'rows within [a, b]; e.g. {"z_entry":2,"sharpe":{"min":1}}',
    ),
});

export const rowsBody = z
  .object({
    total: z.number().int().describe("rows passing the filters, over all pages"),
    rows: z
      .array(z.record(z.string(), z.unknown()))
      .describe("combo_id, every parameter, every statistic and dsr; NULL as null"),
  })
  .describe("RowsPage");

export const comboParams = z.object({
  id: z.string().min(1).describe("job id"),
  combo: z.coerce.number().int().min(0).describe("combination id (combo_id)"),
});

const stats = z.record(z.string(), z.number().nullable());

const side = z.literal([1, -1]).describe("1 long, −1 short");
const exitOf = { exit_ts: z.number(), reason: z.string(), pnl_net: z.number() };
const tradeBrief = z.object({ side, entry_ts: z.number(), ...exitOf });
const movedExit = z.object({
  side,
  entry_ts: z.number(),
  slow: z.object(exitOf),
  hybrid: z.object(exitOf),
  pnl_diff: z.number().describe("hybrid − slow net PnL of the trade"),
});

export const comboBody = z
  .object({
    combo_id: z.number().int(),
    params: z.record(z.string(), paramValue).describe("every parameter's value for this combination"),
    stored: z
      .record(z.string(), z.unknown())
      .nullable()
      .describe("the job's row for it; null if not stored yet"),
    stats: stats.describe("reference engine: §7 statistics plus max_dd_mtm and sharpe_mtm"),
    trades: z
      .array(z.record(z.string(), z.unknown()))
      .describe("INTERFACE.md trade fields, then entry_time and exit_time (ISO, UTC)"),
    equity: z
      .object({
        ts: z.array(z.number()).describe("bar close, epoch ms UTC"),
        equity: z.array(z.number()).describe("mark-to-market: realized net + open unrealized gross"),
        drawdown: z.array(z.number()).describe("fall from the running peak (starting at 0), positive"),
        n_bars: z.number().int(),
        downsampled: z
          .boolean()
          .describe(
            "more than 5000 bars: per bucket only the lowest and highest equity and the deepest " +
              "drawdown are kept (so max(drawdown) is still max_dd_mtm), plus the first and last bar",
          ),
      })
      .describe("EquityCurve"),
    signal: z
      .object({
        ts: z.array(z.number()).describe("bar close, epoch ms UTC (as equity.ts)"),
        z: z.array(z.number().nullable()).describe("z-score of the spread; null before its window fills"),
        spread: z.array(z.number().nullable()).describe("ln A − β ln B − α"),
        n_bars: z.number().int(),
        downsampled: z
          .boolean()
          .describe("per bucket the lowest and highest z, and every bar within 2 of an entry or exit"),
      })
      .describe("SignalCurve"),
    session_tz: z.string().describe("the spec's session.tz: the zone the page shows times in"),
    hedge: z.enum(["ols", "kalman"]),
    engine: z.string(),
    command: z.string().describe("`pairgrid backtest SPEC --set …` that replays this combination"),
    reasons: z.record(z.string(), z.number().int()).describe("trades per exit reason"),
    hybrid: z
      .object({
        engine: z.enum(["hybrid_dollar", "hybrid_zlive"]),
        stats,
        statistics: z.record(
          z.string(),
          z.object({
            slow: z.number().nullable(),
            hybrid: z.number().nullable(),
            diff: z.number().nullable(),
          }),
        ),
        trades_compared: z.object({
          slow: z.number().int(),
          hybrid: z.number().int(),
          matched: z.number().int(),
          moved: z.number().int(),
          slow_only: z.number().int(),
          hybrid_only: z.number().int(),
        }),
        pnl_difference: z.number(),
        moved: z.array(movedExit).describe("first 200 matched trades whose exit moved"),
        slow_only: z.array(tradeBrief).describe("first 200 trades only the slow run has"),
        hybrid_only: z.array(tradeBrief).describe("first 200 trades only the hybrid run has"),
        fast_rows: z.number().int(),
      })
      .nullable()
      .describe("slow vs hybrid (`pairgrid hybrid --compare`), when the spec has fast data files"),
  })
  .describe("ComboReport");

export const fixObject = z.record(z.string(), paramValue);
export const filterObject = z.record(
  z.string(),
  z.union([
    z.number().nullable(),
    z.object({ min: z.number().optional(), max: z.number().optional() }).strict(),
  ]),
);

/** A JSON-valued query field: parsed and shape-checked, or a 400 naming the field (and inner key). */
export function parseJsonQuery<T extends z.ZodType>(
  text: string | undefined,
  field: string,
  schema: T,
  fallback: z.output<T>,
): z.output<T> {
  if (text === undefined || text === "") return fallback;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new HttpError(400, "bad_request", `${field}: not valid JSON`, `query.${field}`);
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = ["query", field, ...issue.path.map(String)].join(".");
  throw new HttpError(400, "bad_request", `${path.slice("query.".length)}: ${issue.message}`, path);
}

export const importanceQuery = z.object({
  stat: z.string().min(1).optional().describe("statistic (default: the job's rank.by)"),
  all: allRows,
  min_trades: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe("leave out rows with fewer trades (default: the job's rank.min_trades)"),
});

export const importanceBody = z
  .object({
    stat: z.string(),
    n_rows: z.number().int().describe("ranked rows with a finite statistic"),
    params: z.array(
      z.object({
        param: z.string(),
        share: z
          .number()
          .nullable()
          .describe("η²: share of the statistic's variance explained by this parameter's value alone"),
        n_values: z.number().int(),
        best_value: paramValue.describe("the value with the best mean statistic"),
        best_mean: z.number().nullable(),
      }),
    ),
  })
  .describe("ImportanceReport");
