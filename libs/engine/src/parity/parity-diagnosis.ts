// What a failed parity check most likely means. Each rule looks for the fingerprint one class of
// live/backtest bug leaves in the merged rows, so the report names a cause rather than only
// numbers: a feed or config mismatch, a short warm-up, a look-ahead, single precision
// (indicator-fault-rules.ts), a session schedule that disagrees with the data, a gate, sizing, or
// the state machine itself.
import { float32, lookahead, warmup } from "../live/indicator-fault-rules.js";
import type { ParityComparison } from "./parity-compare.js";
import { bothSides, type DiagnosisContext, type Finding, iso, type Pair, sci } from "./parity-findings.js";

export type { DiagnosisContext, Finding, FindingCode } from "./parity-findings.js";

/** Entries both sides made where the size, or the beta behind it, differs. */
function sizing(rows: Pair[]): Finding[] {
  let staleBeta = 0;
  let otherBeta = 0;
  let sameBeta = 0;
  let resized = 0;
  let side: "batch" | "replay" = "replay";
  let first: number | null = null;
  rows.forEach((r, j) => {
    if (!r.batch.decision.includes("ENTER") || r.decisionDiffers) return;
    if (!r.entryBetaDiffers) {
      if (r.dSize > 0) sameBeta++;
      return;
    }
    // the side whose entry beta is not its own beta at the entry bar is the one that deviates; if
    // each side sized from its own beta, the betas themselves differ (an indicator finding)
    const deviates = (["replay", "batch"] as const).find((k) => r[k].beta_entry !== r[k].beta);
    if (deviates === undefined) return;
    side = deviates;
    first ??= r.ts;
    if (r.dSize > 0) resized++;
    const prev = j > 0 ? rows[j - 1]![side].beta : Number.NaN;
    if (r[side].beta_entry === prev) staleBeta++;
    else otherBeta++;
  });
  const out: Finding[] = [];
  const wrong = staleBeta + otherBeta;
  if (wrong > 0) {
    const which =
      staleBeta >= otherBeta
        ? `it equals the previous bar's beta at ${staleBeta} of them (a stale hedge ratio)`
        : `it is neither the entry bar's nor the previous bar's beta at ${otherBeta} of them`;
    out.push({
      code: "SIZING_BETA",
      kind: "cause",
      message:
        `at ${wrong} entries the paths agree on (first at ${iso(first!)}) the ${side}'s beta_entry is not beta ` +
        `at the entry bar — ${which}; the leg sizes differ at ${resized} of them: the ${side} sizes from a ` +
        `different beta than §5 step 3's beta_i`,
    });
  }
  if (sameBeta > 0) {
    out.push({
      code: "SIZING_RULE",
      kind: "cause",
      message: `leg sizes differ at ${sameBeta} entries with the same beta_entry: the sizing rule itself differs (ratio, rounding or micro mode, §6)`,
    });
  }
  return out;
}

/** The first divergent decision, and whether everything the state machine reads agreed there. */
function firstDivergence(rows: Pair[]): Finding[] {
  const j = rows.findIndex((r) => r.decisionDiffers);
  if (j < 0) return [];
  const r = rows[j]!;
  const { batch: b, replay: p } = r;
  const out: Finding[] = [
    {
      code: "FIRST_DIVERGENCE",
      kind: "note",
      message: `first divergent decision at ${iso(r.ts)} (bar ${b.i}): batch ${b.decision}, replay ${p.decision}; later ones may follow from it`,
    },
  ];
  const prev = j > 0 ? rows[j - 1]! : null;
  const sameState = prev === null || (prev.batch.state === prev.replay.state && prev.dSize === 0);
  const zAgrees = b.z === p.z || r.dz <= r.zTol || (Number.isNaN(b.z) && Number.isNaN(p.z));
  const sameFacts =
    zAgrees &&
    b.eod === p.eod &&
    b.window_ok === p.window_ok &&
    b.gates_ok === p.gates_ok &&
    b.last === p.last &&
    b.a === p.a &&
    b.b === p.b;
  if (sameState && sameFacts) {
    out.push({
      code: "STATE_MACHINE",
      kind: "cause",
      message:
        `at ${iso(r.ts)} both paths had the same state, z, eod, window, gates and prices, yet decided ` +
        `${b.decision} (batch) and ${p.decision} (replay): the §5 state machines differ`,
    });
  }
  return out;
}

/**
 * `seriesRows` picks the rows the indicator-series rules (warm-up, look-ahead, float32) read: one
 * row per bar of the indicator series (all rows on a slow trace; the slow rows of a hybrid trace).
 */
export function diagnose(
  cmp: ParityComparison,
  ctx: DiagnosisContext,
  seriesRows: (rows: Pair[]) => Pair[] = (rows) => rows,
): Finding[] {
  const m = cmp.metrics;
  const rows = bothSides(cmp.rows);
  const series = seriesRows(rows);
  const out: Finding[] = [];
  if (m.configMismatches > 0) {
    const r = rows.find((x) => x.batch.config_hash !== x.replay.config_hash)!;
    out.push({
      code: "CONFIG_MISMATCH",
      kind: "cause",
      message: `the paths ran different configurations (config_hash ${r.batch.config_hash} batch, ${r.replay.config_hash} replay)`,
    });
  }
  if (m.inputMismatches > 0) {
    const r = rows.find((x) => x.batch.inputs_hash !== x.replay.inputs_hash)!;
    out.push({
      code: "INPUT_MISMATCH",
      kind: "cause",
      message: `the paths saw different prices at ${m.inputMismatches} bars (first at ${iso(r.ts)}): check the feed's parsing, join and resampling`,
    });
  }
  if (m.batchOnly + m.replayOnly > 0) {
    const r = cmp.rows.find((x) => x.batch === null || x.replay === null)!;
    out.push({
      code: "MISSING_BARS",
      kind: "cause",
      message:
        `${m.batchOnly} bars only in the batch and ${m.replayOnly} only in the replay (first at ${iso(r.ts)}): ` +
        `the feed and the batch disagree on which bars exist (alignment, window bounds)`,
    });
  }
  const shifted = lookahead(series);
  // a beta shifted in time explains beta's small relative differences: not a float32 fingerprint
  const betaShifted = shifted.some((f) => f.message.includes(" beta "));
  out.push(...warmup(series, cmp, ctx), ...shifted, ...float32(series, betaShifted));
  if (m.eodMismatches > 0) {
    const r = rows.find((x) => x.batch.eod !== x.replay.eod)!;
    out.push({
      code: "EOD_SCHEDULE",
      // harmless while flat; a cause once a decision depends on it
      kind: m.divergentDecisions > 0 ? "cause" : "note",
      message:
        `eod differs at ${m.eodMismatches} bars (first at ${iso(r.ts)}, batch ${r.batch.eod}, replay ${r.replay.eod}): ` +
        `the replay's next-bar schedule (${ctx.scheduleName}) and the data disagree on where a session ends — ` +
        `a data gap before the close, or an early close or holiday the schedule does not know`,
    });
  }
  const gateOnly = rows.filter((r) => r.batch.gates_ok !== r.replay.gates_ok && r.dz <= r.zTol).length;
  if (gateOnly > 0) {
    out.push({
      code: "GATES",
      kind: "cause",
      message: `the gate filter differs at ${gateOnly} bars where z agrees: a gate metric or its threshold differs between the paths`,
    });
  }
  out.push(...sizing(rows), ...firstDivergence(rows));
  if (m.zTolWidened > 0) {
    out.push({
      code: "Z_CONDITIONING",
      kind: "note",
      message:
        `z is poorly conditioned at ${m.zTolWidened} bars (sigma down to ${sci(m.minSigma)}): there z_ulps ulps ` +
        `of the spread's terms move z by more than z_tol, so the tolerance is z_ulps·ulp/sigma instead`,
    });
  }
  return out;
}
