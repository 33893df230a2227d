// Diagnosis of a hybrid parity run: the slow parity's rules (parity-diagnosis.ts), the
// indicator-series ones read on the slow rows only (one per bar of the series), plus the z-live
// fingerprint of a look-ahead: at fast bars inside slow bar k, one side's z_live inputs (beta,
// alpha, mu, sigma) are those of bar k itself — still forming at the fast bar's close — where
// ENGINE.md §8 takes those of bar k − 1, the last COMPLETED bar.
import type { ParityComparison } from "./parity-compare.js";
import { diagnose } from "./parity-diagnosis.js";
import { bothSides, type DiagnosisContext, type Finding, iso, type Pair } from "./parity-findings.js";
import type { SignalTrace } from "./signal-trace.js";

const sameInputs = (x: SignalTrace, y: SignalTrace) =>
  x.beta === y.beta && x.alpha === y.alpha && x.mu === y.mu && x.sigma === y.sigma;

/** Fast rows whose z_live inputs are the holding slow bar's own indicators (a look-ahead). */
export function zLiveLookahead(rows: Pair[]): Finding[] {
  for (const side of ["batch", "replay"] as const) {
    const other = side === "batch" ? "replay" : "batch";
    // the other side's slow rows by bar index: bar k's indicators, computed at its completion
    const slowOf = new Map<number, SignalTrace>();
    for (const r of rows) if (r[other].event === "slow") slowOf.set(r[other].i, r[other]);
    let differ = 0;
    let current = 0;
    let first: number | null = null;
    for (const r of rows) {
      const mine = r[side];
      if (mine.event !== "fast" || r[other].event !== "fast" || Number.isNaN(mine.beta)) continue;
      if (sameInputs(mine, r[other])) continue;
      differ++;
      const holding = slowOf.get(mine.i);
      if (holding !== undefined && sameInputs(mine, holding)) {
        current++;
        first ??= r.ts;
      }
    }
    if (differ >= 10 && current >= 0.9 * differ) {
      return [
        {
          code: "LOOKAHEAD",
          kind: "cause",
          message:
            `at ${current} of the ${differ} fast bars where the paths' z_live inputs differ (first at ${iso(first!)}), ` +
            `the ${side}'s beta, alpha, mu and sigma are those of the slow bar HOLDING the fast bar (bar k, ` +
            `completed only at its close) instead of bar k − 1, the last completed one: the ${side}'s z_live ` +
            `reads up to one slow bar of the future (look-ahead)`,
        },
      ];
    }
  }
  return [];
}

export function diagnoseHybrid(cmp: ParityComparison, ctx: DiagnosisContext): Finding[] {
  const slowRows = (rows: Pair[]) =>
    rows.filter((r) => r.batch.event === "slow" && r.replay.event === "slow");
  const findings = diagnose(cmp, ctx, slowRows);
  const live = zLiveLookahead(bothSides(cmp.rows));
  if (live.length === 0) return findings;
  // the z-live finding names the fault exactly; the slow rows' shifted series are its echo
  const rest = findings.filter((f) => f.code !== "LOOKAHEAD");
  const at = rest.findIndex(
    (f) => f.kind === "cause" && f.code !== "CONFIG_MISMATCH" && f.code !== "INPUT_MISMATCH",
  );
  rest.splice(at < 0 ? rest.length : at, 0, ...live);
  return rest;
}
