// Diagnosis rules for faults in the indicators: the fingerprints of a short warm-up (z undefined,
// or defined but not yet the batch's), of a look-ahead (one side's series equals the other's
// shifted in time) and of single precision (float32-representable values, ~1e-7 differences).
import type { ParityComparison } from "../parity/parity-compare.js";
import { type DiagnosisContext, type Finding, median, type Pair, sci } from "../parity/parity-findings.js";
import type { SignalTrace } from "../parity/signal-trace.js";

/** Median |batch[j] − replay[j + lag]| of a field over rows where both are finite. */
function shiftedMedian(rows: Pair[], field: "z" | "beta", lag: number): number {
  const d: number[] = [];
  for (let j = Math.max(0, -lag); j < rows.length && j + lag < rows.length; j++) {
    const x = rows[j]!.batch[field];
    const y = rows[j + lag]!.replay[field];
    if (Number.isFinite(x) && Number.isFinite(y)) d.push(Math.abs(x - y));
  }
  return d.length < 10 ? Number.NaN : median(d);
}

/** A series of one side that lines up with the other side's only when shifted in time. */
export function lookahead(rows: Pair[]): Finding[] {
  const out: Finding[] = [];
  for (const field of ["z", "beta"] as const) {
    const aligned = shiftedMedian(rows, field, 0);
    if (!(aligned > 0)) continue;
    for (const lag of [1, -1, 2, -2, 3, -3]) {
      const m = shiftedMedian(rows, field, lag);
      if (!(m <= aligned * 1e-6)) continue;
      const n = Math.abs(lag);
      const bars = `${n} bar${n > 1 ? "s" : ""}`;
      out.push({
        code: "LOOKAHEAD",
        kind: "cause",
        message:
          lag > 0
            ? `batch ${field} at each bar equals the replay's ${field} ${bars} later (median |Δ| ${sci(m)} shifted, ` +
              `${sci(aligned)} aligned): the batch ${field} reads ${bars} of the future (look-ahead); ` +
              `the replay, fed bar by bar, cannot`
            : `the replay's ${field} at each bar equals the batch's ${bars} later (median |Δ| ${sci(m)} shifted): ` +
              `the batch ${field} lags by ${bars} (an extra shift), or the replay reads ahead`,
      });
      break;
    }
  }
  return out;
}

type Series = "beta" | "alpha" | "spread" | "mu" | "sigma" | "z";
const SERIES: Series[] = ["beta", "alpha", "spread", "mu", "sigma", "z"];

/** Share of a side's finite, non-zero values that single precision represents exactly. */
function float32Share(traces: SignalTrace[], field: Series): number {
  let n = 0;
  let exact = 0;
  for (const t of traces) {
    const v = t[field];
    if (!Number.isFinite(v) || v === 0) continue;
    n++;
    if (Math.fround(v) === v) exact++;
  }
  return n === 0 ? Number.NaN : exact / n;
}

/**
 * A random double is a float32 with probability ~2^-29: a side where most indicator values are
 * float32 stores or computes them in single precision. Without that trace, relative differences of
 * ~1e-7 (float32's 2^-24 rounding) still point at single precision somewhere upstream.
 */
export function float32(rows: Pair[], betaShifted = false): Finding[] {
  for (const side of ["batch", "replay"] as const) {
    const other = side === "batch" ? "replay" : "batch";
    const mine = rows.map((r) => r[side]);
    const theirs = rows.map((r) => r[other]);
    const hit = SERIES.filter((f) => float32Share(mine, f) > 0.9 && float32Share(theirs, f) < 0.1);
    if (hit.length > 0) {
      const share = Math.round(100 * float32Share(mine, hit[0]!));
      return [
        {
          code: "FLOAT32",
          kind: "cause",
          message:
            `the ${side}'s ${hit.join(", ")} are single-precision values (${share}% exactly representable ` +
            `as float32, against ~0% on the ${other} side): the ${side} computes or stores indicators in ` +
            `float32 (~7 significant digits)`,
        },
      ];
    }
  }
  if (betaShifted) return [];
  const rel: number[] = [];
  for (const r of rows) {
    const x = r.batch.beta;
    const y = r.replay.beta;
    if (Number.isFinite(x) && Number.isFinite(y) && x !== 0) rel.push(Math.abs(x - y) / Math.abs(x));
  }
  const m = median(rel);
  if (m > 1e-9 && m < 1e-5) {
    return [
      {
        code: "FLOAT32",
        kind: "cause",
        message:
          `beta differs by ~${sci(m)} relative at the median bar, the size of float32 rounding (2^-24 ≈ 6e-8): ` +
          `a Float32Array or Math.fround on one path's prices or indicators`,
      },
    ];
  }
  return [];
}

/** z undefined on the replay at the start of the window, defined in the batch: too little warm-up. */
export function warmup(rows: Pair[], cmp: ParityComparison, ctx: DiagnosisContext): Finding[] {
  let lead = 0;
  while (lead < rows.length && Number.isNaN(rows[lead]!.replay.z) && !Number.isNaN(rows[lead]!.batch.z))
    lead++;
  if (lead > 0) {
    return [
      {
        code: "WARMUP_SHORT",
        kind: "cause",
        message:
          `the replay's z is undefined for the first ${lead} decision bars where the batch's is defined: ` +
          `its warm-up (${ctx.warmupBars} bars) is shorter than the windows need (z defined after ` +
          `${ctx.zDefinedAfterBars} bars; bit-identical after ${ctx.plannedWarmupBars}): start the replay earlier`,
      },
    ];
  }
  // defined on both sides but different: a replay started later than the plan has not caught up
  const compared = rows.filter((r) => Number.isFinite(r.dz));
  if (cmp.metrics.zOverTol === 0 || compared.length === 0) return [];
  const tenth = Math.max(1, Math.floor(compared.length / 10));
  const early = Math.max(...compared.slice(0, tenth).map((r) => r.dz));
  const late = Math.max(...compared.slice(-tenth).map((r) => r.dz));
  const fades = compared.length >= 20 && late * 100 <= early;
  if (ctx.warmupBitIdentical && !fades) return [];
  const shape = `max |Δz| ${sci(early)} in the first tenth of the window, ${sci(late)} in the last`;
  return [
    {
      code: "STATE_NOT_CONVERGED",
      kind: "cause",
      message: ctx.warmupBitIdentical
        ? `|Δz| fades through the window (${shape}): some replay state still converges after the planned warm-up`
        : `z differs on both sides (${shape}) after a warm-up of ${ctx.warmupBars} bars, shorter than the ` +
          `${ctx.plannedWarmupBars} that make the replay's indicator state equal the batch's (window sums ` +
          `rebuilt on schedule; a Kalman state depends on the whole history): start the replay earlier`,
    },
  ];
}
