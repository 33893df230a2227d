// Decision-by-decision comparison of a batch trace and a replay trace (ENGINE.md §9: 100 %
// identical decisions, |Δz| ≤ 1e-9, identical sizes). Rows are merged on the bar timestamp, so a
// bar only one side saw shows up as batch-only or replay-only instead of shifting every row after it.
//
// The z tolerance is scale-aware. z = (s − mu)/sigma with s = y − beta·x − alpha, a difference of
// terms near 10 that cancel to ~1e-3: one ulp of those terms (~1.8e-15) moves z by ulp/sigma, so
// two correct computations that round once differently differ by ~1e-9 already when sigma is below
// ~4e-5. Each bar's tolerance is therefore max(z_tol, z_ulps · ulp(scale) / sigma), scale the
// largest of |y|, |beta·x|, |alpha|; the report says at how many bars that widened the tolerance, so
// a loose bound never hides. With the planned warm-up the paths agree bit for bit and |Δz| is 0.
import { type SignalTrace, traceDigest } from "./signal-trace.js";

export interface ParityThresholds {
  /** Divergent decisions allowed (default 0). */
  maxDivergent: number;
  /** |Δz| allowed where z is well conditioned (default 1e-9). */
  zTol: number;
  /** Ulps of the spread's terms allowed in z (default 32; 0 = the plain z_tol everywhere). */
  zUlps: number;
  /** |Δ leg size| allowed, contracts (default 0: identical sizes). */
  sizeTol: number;
  /** |Δ equity| allowed at any bar, dollars (default 1e-6). */
  pnlTol: number;
}

export const DEFAULT_PARITY_THRESHOLDS: Readonly<ParityThresholds> = Object.freeze({
  maxDivergent: 0,
  zTol: 1e-9,
  zUlps: 32,
  sizeTol: 0,
  pnlTol: 1e-6,
});

export interface ParityRow {
  ts: number;
  batch: SignalTrace | null;
  replay: SignalTrace | null;
  /** |Δz|: NaN when not comparable (a side missing, or z NaN on both), +∞ when z is NaN on one side. */
  dz: number;
  /** This bar's z tolerance. */
  zTol: number;
  decisionDiffers: boolean;
  stateDiffers: boolean;
  /** max(|Δn_a|, |Δn_b|) of the positions held after the bar. */
  dSize: number;
  /** Whether the positions held after the bar record different entry betas (sizing inputs). */
  entryBetaDiffers: boolean;
  dEquity: number;
}

export interface ParityMetrics {
  rows: number;
  both: number;
  batchOnly: number;
  replayOnly: number;
  divergentDecisions: number;
  divergentStates: number;
  /** Timestamp of the first row whose decision differs, or null. */
  firstDivergenceTs: number | null;
  /** Rows with z defined on both sides. */
  zCompared: number;
  meanAbsDz: number;
  maxAbsDz: number;
  /** Rows where z is defined on one side only. */
  zOneSided: number;
  /** Rows whose |Δz| passes their tolerance. */
  zOverTol: number;
  /** Rows whose tolerance was widened past z_tol by poor conditioning (small sigma). */
  zTolWidened: number;
  minSigma: number;
  maxAbsDBeta: number;
  maxAbsDSize: number;
  /** Bars whose open positions were sized from different entry betas. */
  entryBetaMismatches: number;
  maxAbsDEquity: number;
  /** Realized PnL at the last common bar, replay minus batch. */
  dRealizedEnd: number;
  inputMismatches: number;
  configMismatches: number;
  eodMismatches: number;
  gateMismatches: number;
  digests: { batch: string; replay: string };
}

export interface ParityComparison {
  rows: ParityRow[];
  metrics: ParityMetrics;
  pass: boolean;
  /** One line per threshold passed. */
  failures: string[];
}

/** Unit in the last place of a double of magnitude |v|. */
export function ulp(v: number): number {
  const m = Math.abs(v);
  if (!(m > 0) || !Number.isFinite(m)) return Number.MIN_VALUE;
  return 2 ** (Math.floor(Math.log2(m)) - 52);
}

/** |Δz| tolerance of a bar from its terms and sigma. */
export function zTolerance(t: SignalTrace, th: ParityThresholds): number {
  if (th.zUlps <= 0 || !(t.sigma > 0)) return th.zTol;
  const scale = Math.max(Math.abs(Math.log(t.a)), Math.abs(t.beta * Math.log(t.b)), Math.abs(t.alpha));
  return Math.max(th.zTol, (th.zUlps * ulp(scale)) / t.sigma);
}

/**
 * Entry betas further apart than this (relative) size from different hedge ratios: §3's accuracy
 * contract for beta, so a replay within it but not bit-identical is not flagged twice.
 */
export const ENTRY_BETA_REL_TOL = 1e-9;

/** |x − y| / max(|x|, |y|); 0 for equal values (NaN on both sides: flat on both), +∞ for NaN on one. */
function relativeDiff(x: number, y: number): number {
  const d = absDiff(x, y);
  if (!(d > 0) || d === Number.POSITIVE_INFINITY) return Number.isNaN(d) ? 0 : d;
  return d / Math.max(Math.abs(x), Math.abs(y));
}

function absDiff(x: number, y: number): number {
  if (Number.isNaN(x) && Number.isNaN(y)) return Number.NaN;
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.POSITIVE_INFINITY;
  if (x === y) return 0; // also ±∞ on both sides
  return Math.abs(x - y);
}

function compareRow(b: SignalTrace | null, r: SignalTrace | null, th: ParityThresholds): ParityRow {
  const ts = (b ?? r)!.ts;
  if (b === null || r === null) {
    return {
      ts,
      batch: b,
      replay: r,
      dz: Number.NaN,
      zTol: th.zTol,
      decisionDiffers: true,
      stateDiffers: true,
      dSize: Number.NaN,
      entryBetaDiffers: false,
      dEquity: Number.NaN,
    };
  }
  return {
    ts,
    batch: b,
    replay: r,
    dz: absDiff(b.z, r.z),
    zTol: zTolerance(b, th),
    decisionDiffers: b.decision !== r.decision,
    stateDiffers: b.state !== r.state,
    dSize: Math.max(Math.abs(b.n_a - r.n_a), Math.abs(b.n_b - r.n_b)),
    entryBetaDiffers: relativeDiff(b.beta_entry, r.beta_entry) > ENTRY_BETA_REL_TOL,
    dEquity: absDiff(b.equity, r.equity),
  };
}

/**
 * Merge key of a row: its bar start on a slow trace; on a hybrid trace its close time, a fast bar
 * before the slow bar completing at the same instant (the order of the merged event stream).
 */
function mergeKey(t: SignalTrace): [number, number] {
  return t.close_ts === undefined ? [t.ts, 0] : [t.close_ts, t.event === "slow" ? 1 : 0];
}

/** -1, 0 or 1 as row x comes before, with or after row y. */
function keyOrder(x: SignalTrace | undefined, y: SignalTrace | undefined): number {
  if (x === undefined) return 1;
  if (y === undefined) return -1;
  const [tx, ex] = mergeKey(x);
  const [ty, ey] = mergeKey(y);
  if (tx !== ty) return tx < ty ? -1 : 1;
  return ex === ey ? 0 : ex < ey ? -1 : 1;
}

/** Rows of both traces merged on their key (each trace in increasing key order). */
export function mergeTraces(
  batch: readonly SignalTrace[],
  replay: readonly SignalTrace[],
  th: ParityThresholds,
): ParityRow[] {
  const rows: ParityRow[] = [];
  let i = 0;
  let j = 0;
  while (i < batch.length || j < replay.length) {
    const order = keyOrder(batch[i], replay[j]);
    if (order === 0) rows.push(compareRow(batch[i++]!, replay[j++]!, th));
    else if (order < 0) rows.push(compareRow(batch[i++]!, null, th));
    else rows.push(compareRow(null, replay[j++]!, th));
  }
  return rows;
}

function metricsOf(
  rows: ParityRow[],
  batch: readonly SignalTrace[],
  replay: readonly SignalTrace[],
  th: ParityThresholds,
): ParityMetrics {
  const m: ParityMetrics = {
    rows: rows.length,
    both: 0,
    batchOnly: 0,
    replayOnly: 0,
    divergentDecisions: 0,
    divergentStates: 0,
    firstDivergenceTs: null,
    zCompared: 0,
    meanAbsDz: 0,
    maxAbsDz: 0,
    zOneSided: 0,
    zOverTol: 0,
    zTolWidened: 0,
    minSigma: Number.POSITIVE_INFINITY,
    maxAbsDBeta: 0,
    maxAbsDSize: 0,
    entryBetaMismatches: 0,
    maxAbsDEquity: 0,
    dRealizedEnd: 0,
    inputMismatches: 0,
    configMismatches: 0,
    eodMismatches: 0,
    gateMismatches: 0,
    digests: { batch: traceDigest(batch), replay: traceDigest(replay) },
  };
  let sumDz = 0;
  let lastBoth: ParityRow | null = null;
  for (const row of rows) {
    const { batch: b, replay: r } = row;
    if (b === null) m.replayOnly++;
    else if (r === null) m.batchOnly++;
    if (b === null || r === null) continue;
    m.both++;
    lastBoth = row;
    if (row.decisionDiffers) {
      m.divergentDecisions++;
      m.firstDivergenceTs ??= row.ts;
    }
    if (row.stateDiffers) m.divergentStates++;
    if (row.dz === Number.POSITIVE_INFINITY) m.zOneSided++;
    else if (!Number.isNaN(row.dz)) {
      m.zCompared++;
      sumDz += row.dz;
      m.maxAbsDz = Math.max(m.maxAbsDz, row.dz);
      if (row.dz > row.zTol) m.zOverTol++;
      if (row.zTol > th.zTol) m.zTolWidened++;
    }
    if (b.sigma > 0) m.minSigma = Math.min(m.minSigma, b.sigma);
    const dBeta = absDiff(b.beta, r.beta);
    if (Number.isFinite(dBeta)) m.maxAbsDBeta = Math.max(m.maxAbsDBeta, dBeta);
    m.maxAbsDSize = Math.max(m.maxAbsDSize, row.dSize);
    if (row.entryBetaDiffers) m.entryBetaMismatches++;
    if (!Number.isNaN(row.dEquity)) m.maxAbsDEquity = Math.max(m.maxAbsDEquity, row.dEquity);
    if (b.inputs_hash !== r.inputs_hash) m.inputMismatches++;
    if (b.config_hash !== r.config_hash) m.configMismatches++;
    if (b.eod !== r.eod) m.eodMismatches++;
    if (b.gates_ok !== r.gates_ok) m.gateMismatches++;
  }
  m.meanAbsDz = m.zCompared > 0 ? sumDz / m.zCompared : 0;
  if (lastBoth !== null) m.dRealizedEnd = lastBoth.replay!.realized - lastBoth.batch!.realized;
  return m;
}

const fmt = (v: number) => v.toPrecision(3);

/** Which thresholds the metrics pass, one line each. */
function failuresOf(m: ParityMetrics, th: ParityThresholds): string[] {
  const f: string[] = [];
  if (m.batchOnly + m.replayOnly > 0) {
    f.push(`${m.batchOnly} bars only in the batch, ${m.replayOnly} only in the replay (allowed: 0)`);
  }
  if (m.divergentDecisions > th.maxDivergent) {
    f.push(`${m.divergentDecisions} divergent decisions (allowed: ${th.maxDivergent})`);
  }
  if (m.zOneSided > 0) f.push(`z defined on one side only at ${m.zOneSided} bars (allowed: 0)`);
  if (m.zOverTol > 0) {
    f.push(
      `|Δz| above tolerance at ${m.zOverTol} bars (max ${fmt(m.maxAbsDz)}; z_tol ${th.zTol}, z_ulps ${th.zUlps})`,
    );
  }
  if (m.maxAbsDSize > th.sizeTol) f.push(`|Δsize| max ${m.maxAbsDSize} contracts (allowed: ${th.sizeTol})`);
  // identical sizes means identical sizing inputs too: a different beta_entry is a sizing bug even
  // on the bars where rounding happens to give the same contracts
  if (m.entryBetaMismatches > 0)
    f.push(`positions sized from a different beta_entry at ${m.entryBetaMismatches} bars (allowed: 0)`);
  if (m.maxAbsDEquity > th.pnlTol) f.push(`|ΔPnL| max $${fmt(m.maxAbsDEquity)} (allowed: $${th.pnlTol})`);
  if (m.inputMismatches > 0) f.push(`bar inputs differ at ${m.inputMismatches} bars (allowed: 0)`);
  if (m.configMismatches > 0)
    f.push(`configuration hashes differ at ${m.configMismatches} bars (allowed: 0)`);
  return f;
}

/** Merges the traces and checks them against the thresholds. */
export function compareTraces(
  batch: readonly SignalTrace[],
  replay: readonly SignalTrace[],
  th: ParityThresholds = DEFAULT_PARITY_THRESHOLDS,
): ParityComparison {
  const rows = mergeTraces(batch, replay, th);
  const metrics = metricsOf(rows, batch, replay, th);
  const failures = failuresOf(metrics, th);
  return { rows, metrics, pass: failures.length === 0, failures };
}
