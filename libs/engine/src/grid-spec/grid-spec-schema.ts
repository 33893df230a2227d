// The grid spec (INTERFACE.md "Grid spec"), validated with zod. Strict objects everywhere, so an
// unknown key is an error naming its path. Cross-field rules live in `validate-spec.ts`.
import { z } from "zod";
import { DEFAULT_MAX_JUMP } from "../loaders/leg-format.js";
import { PARAM_NAMES } from "./param-defs.js";

const hhmm = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, "expected a local time HH:MM (00:00–24:00)");
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date YYYY-MM-DD");
const finite = z.number().refine(Number.isFinite, "must be a finite number");

const leg = z.strictObject({
  symbol: z.string().min(1),
  slow: z
    .string()
    .min(1)
    .describe(
      "slow-bar file, folder (*.csv, *.csv.gz, *.csv.zst, *.parquet) or glob (relative paths resolve against the spec's folder)",
    ),
  fast: z.string().min(1).optional().describe("fast-bar file, folder or glob, for the hybrid engines"),
  multiplier: finite.positive(),
  tick_size: finite.positive(),
});

const csvColumns = z
  .strictObject({
    timestamp: z.string().min(1).optional(),
    date: z.string().min(1).optional(),
    time: z.string().min(1).optional(),
    open: z.string().min(1).optional(),
    high: z.string().min(1).optional(),
    low: z.string().min(1).optional(),
    close: z.string().min(1),
    volume: z.string().min(1).optional(),
  })
  .refine((c) => (c.timestamp !== undefined) !== (c.date !== undefined && c.time !== undefined), {
    message: "give either `timestamp`, or both `date` and `time`",
  });

const roll = z.strictObject({
  select: z
    .enum(["volume", "given"])
    .describe(
      "volume: per trading day the contract that traded most the day before; given: files are one contract at a time",
    ),
  adjust: z
    .enum(["difference", "ratio", "none"])
    .default("none")
    .describe("back-adjust earlier prices at each roll by the gap (difference) or the ratio"),
});

const data = z.strictObject({
  a: leg,
  b: leg,
  bar_minutes: z.number().int().positive().default(5),
  fast_seconds: z.number().int().positive().optional(),
  start: isoDate.optional().describe("first trading day kept (inclusive)"),
  end: isoDate.optional().describe("last trading day kept (inclusive)"),
  format: z.enum(["sierra", "databento", "csv"]).default("sierra"),
  tz: z.string().min(1).default("America/New_York").describe("time zone of local times in the files"),
  label: z.enum(["start", "end"]).optional().describe("row time is bar start (default) or end"),
  delimiter: z.string().length(1).optional(),
  columns: csvColumns.optional(),
  file_bar_seconds: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("bar length in the slow files (Databento: read from rtype when unset)"),
  fast_file_bar_seconds: z.number().int().positive().optional().describe("bar length in the fast files"),
  drop_zero_volume: z.boolean().default(false),
  lenient: z.boolean().default(false),
  max_jump: finite
    .positive()
    .nullable()
    .default(DEFAULT_MAX_JUMP)
    .describe("largest move of a bar from the previous close of its contract, as a fraction; null: off"),
  cache: z.boolean().default(true),
  roll: roll.optional().describe("contract rolls (Databento files, which name each row's instrument)"),
});

const session = z.strictObject({
  tz: z.string().min(1).default("America/New_York"),
  day_roll: hhmm.default("18:00"),
  flat_time: hhmm.nullable().default(null),
  entry_start: hhmm.nullable().default(null),
  entry_end: hhmm.nullable().default(null),
});

const costs = z.strictObject({
  commission: finite.nonnegative().default(0).describe("per contract per side, dollars"),
  slippage_ticks: finite.nonnegative().default(0).describe("per contract per side, ticks"),
});

const sizing = z.strictObject({
  base_qty: z.number().int().positive().default(1),
  max_mult: z.number().int().positive().default(1),
});

const range = z
  .strictObject({ from: finite, to: finite, step: finite.positive() })
  .refine((r) => r.to >= r.from, { message: "`to` must be ≥ `from`" });
const axis = z.union([finite, z.null(), z.array(z.union([finite, z.null()])).min(1), range]);

const params = z.record(z.string(), axis).superRefine((rec, ctx) => {
  for (const key of Object.keys(rec)) {
    if (!PARAM_NAMES.includes(key)) {
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: `unknown parameter '${key}' (known: ${PARAM_NAMES.join(", ")})`,
      });
    }
  }
});

const rank = z.strictObject({
  by: z.string().min(1).default("sharpe"),
  min_trades: z.number().int().nonnegative().default(0),
  folds: z.number().int().positive().default(16),
});

const gates = z.strictObject({
  hurst_lags: z.array(z.number().int().min(1)).min(2).default([2, 4, 8, 16, 32, 64]),
});

export const gridSpecSchema = z.strictObject({
  name: z.string().min(1),
  data,
  session: session.default(session.parse({})),
  costs: costs.default(costs.parse({})),
  sizing: sizing.default(sizing.parse({})),
  engine: z.enum(["slow", "hybrid_dollar", "hybrid_zlive", "hybrid_curve"]).default("slow"),
  hedge: z.enum(["ols", "kalman"]).default("ols"),
  params,
  constraints: z.array(z.string().min(1)).default([]),
  rank: rank.default(rank.parse({})),
  gates: gates.default(gates.parse({})),
});

export type GridSpecInput = z.input<typeof gridSpecSchema>;
export type GridSpec = z.output<typeof gridSpecSchema>;
