// The per-bar record both paths write (`--trace FILE.jsonl`, or PAIRGRID_TRACE): what the bar was,
// what the engine computed from it, what it decided and with which configuration. Two traces of the
// same bars are compared row by row by the parity gate; with everything equal their lines are equal
// too, except for `path`, so `traceDigest` (which leaves `path` out) is the same for both.
import { createHash } from "node:crypto";
import { closeSync, openSync, writeSync } from "node:fs";
import { CFG_HYBRID_PRUNE } from "../rules/config-vector.js";
import type { STATE_NAMES } from "../rules/enums.js";
import type { SessionSettings } from "../calendar/session-calendar.js";
import type { IndicatorPlan } from "../live/incremental-indicators.js";

export type TracePath = "batch" | "replay";
export type StateName = (typeof STATE_NAMES)[number];

export interface SignalTrace {
  path: TracePath;
  /** Bar start, epoch ms UTC (the decision is taken at its close, ts + bar length). */
  ts: number;
  /** Index of the bar in the aligned series the run loaded. */
  i: number;
  /** Hash of the bar's inputs (ts and both closes): equal hashes, equal inputs. */
  inputs_hash: string;
  a: number;
  b: number;
  beta: number;
  alpha: number;
  spread: number;
  mu: number;
  sigma: number;
  z: number;
  /** Gate metrics; NaN when not computed or undefined (half_life may be +∞). */
  corr: number;
  hurst: number;
  half_life: number;
  adf_stat: number;
  adf_pvalue: number;
  /** Whether the gate filter allows an entry. */
  gates_ok: boolean;
  window_ok: boolean;
  eod: boolean;
  /** The run's last bar (END_OF_DATA, no entry). */
  last: boolean;
  /** State after the bar. */
  state: StateName;
  /** `NONE`, `ENTER_LONG`, `ENTER_SHORT`, `EXIT_<REASON>`, or `EXIT_<REASON>+ENTER_<SIDE>`. */
  decision: string;
  /** Position after the bar: 1 long the spread, −1 short, 0 none. */
  position: -1 | 0 | 1;
  /** Entry beta and leg sizes of the position held after the bar (NaN, 0, 0 when flat). */
  beta_entry: number;
  n_a: number;
  n_b: number;
  /** Net PnL of the trade closed at this bar; NaN when none. */
  trade_pnl: number;
  /** Cumulative net PnL of closed trades since the first decision bar. */
  realized: number;
  /** Realized net plus open gross unrealized at this close. */
  equity: number;
  config_hash: string;
  /**
   * Hybrid engines only (absent on slow traces): which event of the merged stream the row is — a
   * fast bar (`ts` its start, `i` the slow bar holding it) or a slow bar's completion — and when it
   * happens (the bar's close, epoch ms UTC). Rows are ordered and merged on (close_ts, fast first).
   */
  event?: "slow" | "fast";
  close_ts?: number;
}

/** What a trace row says about its bar, before any decision: its indicators, gates and calendar. */
export type TraceBarFacts = Pick<
  SignalTrace,
  | "beta"
  | "alpha"
  | "spread"
  | "mu"
  | "sigma"
  | "z"
  | "corr"
  | "hurst"
  | "half_life"
  | "adf_stat"
  | "adf_pvalue"
  | "gates_ok"
  | "window_ok"
  | "eod"
  | "last"
>;

/**
 * The facts of a dollar-mode fast row: prices only, no indicators (those are only ever computed on
 * slow bars), no gates, calendar or last bar (a fast row never enters).
 */
export const PRICES_ONLY: Readonly<TraceBarFacts> = {
  beta: Number.NaN,
  alpha: Number.NaN,
  spread: Number.NaN,
  mu: Number.NaN,
  sigma: Number.NaN,
  z: Number.NaN,
  corr: Number.NaN,
  hurst: Number.NaN,
  half_life: Number.NaN,
  adf_stat: Number.NaN,
  adf_pvalue: Number.NaN,
  gates_ok: false,
  window_ok: false,
  eod: false,
  last: false,
};

/** The decision string of a bar from its exit reason (or null) and entry side. */
export function decisionName(exitReason: string | null, entry: -1 | 0 | 1): string {
  const enter = entry === 1 ? "ENTER_LONG" : entry === -1 ? "ENTER_SHORT" : "";
  if (exitReason === null) return enter === "" ? "NONE" : enter;
  return enter === "" ? `EXIT_${exitReason}` : `EXIT_${exitReason}+${enter}`;
}

const scratch = new Float64Array(3);

/** First 16 hex digits of SHA-256 over the bytes of (ts, a, b) as float64. */
export function inputsHash(ts: number, a: number, b: number): string {
  scratch[0] = ts;
  scratch[1] = a;
  scratch[2] = b;
  return createHash("sha256").update(new Uint8Array(scratch.buffer)).digest("hex").slice(0, 16);
}

/** JSON with object keys sorted at every level, so equal values give equal text. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(",")}}`;
  }
  return JSON.stringify(v === undefined ? null : jsonSafe(v));
}

/** First 16 hex digits of SHA-256 over the canonical JSON of a configuration description. */
export function configHash(config: unknown): string {
  return createHash("sha256").update(canonicalJson(config)).digest("hex").slice(0, 16);
}

/**
 * The config vector's entries that decide numbers: all but CFG_HYBRID_PRUNE, which only says how
 * the hybrid dollar kernel finds its exits (pruned = unpruned to the bit, hybrid-prune-property),
 * so that switching it, or adding it, leaves every trace digest as it was.
 */
function decidingConfig(cfg: Float64Array): number[] {
  return Array.from(cfg).filter((_, k) => k !== CFG_HYBRID_PRUNE);
}

/**
 * Hash of everything that decides a run's numbers: indicator plan, config vector (thresholds,
 * exits, instruments, costs, sizing), session settings and bar length. Each path hashes what it
 * actually runs with, so a path handed another configuration shows a different hash.
 */
export function runConfigHash(
  plan: IndicatorPlan,
  cfg: Float64Array,
  session: Readonly<SessionSettings>,
  barMs: number,
): string {
  return configHash({ plan, cfg: decidingConfig(cfg), session, barMs });
}

/** `runConfigHash` of a hybrid run: the engine and the fast bar length decide its numbers too. */
export function hybridConfigHash(
  plan: IndicatorPlan,
  cfg: Float64Array,
  session: Readonly<SessionSettings>,
  barMs: number,
  engine: string,
  fastMs: number,
): string {
  return configHash({ plan, cfg: decidingConfig(cfg), session, barMs, engine, fastMs });
}

/** JSON has no NaN or ∞: NaN is written null, ±∞ as the strings "Infinity" / "-Infinity". */
function jsonSafe(v: unknown): unknown {
  if (typeof v !== "number" || Number.isFinite(v)) return v;
  if (Number.isNaN(v)) return null;
  return v > 0 ? "Infinity" : "-Infinity";
}

/** Whether a flat record holds ±∞ (JSON.stringify writes it null; traces write it as a string). */
function hasInfinity(obj: object): boolean {
  for (const v of Object.values(obj)) if (v === Infinity || v === -Infinity) return true;
  return false;
}

/**
 * One JSONL line (no newline); `withPath` false drops the `path` field (for digests). Without ±∞
 * the native JSON.stringify already writes NaN as null, so the (slow, per key) replacer only runs
 * on lines that need it: a hybrid run writes hundreds of thousands of lines.
 */
export function traceJson(t: SignalTrace, withPath = true): string {
  const obj = withPath ? t : { ...t, path: undefined };
  return hasInfinity(obj) ? JSON.stringify(obj, (_k, v) => jsonSafe(v)) : JSON.stringify(obj);
}

/** SHA-256 (hex) of a trace's lines without their `path`: equal for two paths that agree exactly. */
export function traceDigest(traces: readonly SignalTrace[]): string {
  const h = createHash("sha256");
  for (const t of traces) h.update(`${traceJson(t, false)}\n`);
  return h.digest("hex");
}

/** Writes traces as JSONL, in the order given; streamed, since a long run has many lines. */
export function writeTraceJsonl(path: string, traces: Iterable<SignalTrace>): void {
  const fd = openSync(path, "w");
  try {
    let chunk: string[] = [];
    for (const t of traces) {
      chunk.push(traceJson(t));
      if (chunk.length === 4096) {
        writeSync(fd, `${chunk.join("\n")}\n`);
        chunk = [];
      }
    }
    if (chunk.length > 0) writeSync(fd, `${chunk.join("\n")}\n`);
  } finally {
    closeSync(fd);
  }
}
