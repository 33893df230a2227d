// The vocabulary of the parity diagnosis: finding codes, what the run tells the rules, and the
// helpers the rules share.
import type { ParityRow } from "./parity-compare.js";
import type { SignalTrace } from "./signal-trace.js";
export type FindingCode =
  | "CONFIG_MISMATCH"
  | "INPUT_MISMATCH"
  | "MISSING_BARS"
  | "WARMUP_SHORT"
  | "STATE_NOT_CONVERGED"
  | "LOOKAHEAD"
  | "FLOAT32"
  | "EOD_SCHEDULE"
  | "GATES"
  | "SIZING_BETA"
  | "SIZING_RULE"
  | "STATE_MACHINE"
  | "FIRST_DIVERGENCE"
  | "Z_CONDITIONING";

export interface Finding {
  code: FindingCode;
  /** `cause`: a likely root cause; `note`: context for reading the numbers. */
  kind: "cause" | "note";
  message: string;
}

/** What the run knows that the traces do not. */
export interface DiagnosisContext {
  /** Bars the replay saw before its first decision. */
  warmupBars: number;
  /** Bars of warm-up for bit-identity (the warm-up plan). */
  plannedWarmupBars: number;
  /** Whether the warm-up used reaches bit-identity. */
  warmupBitIdentical: boolean;
  /** Bars after which z is first defined from a cold start (ols_window + zscore_window − 2, …). */
  zDefinedAfterBars: number;
  /** Name of the replay's next-bar schedule. */
  scheduleName: string;
}

export const iso = (ts: number) => new Date(ts).toISOString().replace(".000Z", "Z");
export const sci = (v: number) => v.toExponential(2);

/** A merged row both paths have. */
export type Pair = ParityRow & { batch: SignalTrace; replay: SignalTrace };

export function bothSides(rows: ParityRow[]): Pair[] {
  return rows.filter((r): r is Pair => r.batch !== null && r.replay !== null);
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
