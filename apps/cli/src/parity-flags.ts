// `pairgrid parity` flags, checked before anything is loaded (bad values exit 2 naming the flag).
import {
  DEFAULT_PARITY_THRESHOLDS,
  InputError,
  isoToDayNumber,
  type NextBarMode,
  type ParityThresholds,
} from "@pairgrid/engine";

export interface ParityFlags {
  set: string[];
  start?: string;
  end?: string;
  trace?: string;
  diff?: string;
  warmup?: string;
  nextBar: string;
  engine?: string;
  maxDivergent?: string;
  zTol?: string;
  zUlps?: string;
  sizeTol?: string;
  pnlTol?: string;
  json?: boolean;
  golden?: string;
  updateGolden?: boolean;
}

export interface ParitySettings {
  startDay: number | null;
  endDay: number | null;
  warmupBars: number | null;
  nextBar: NextBarMode;
  thresholds: ParityThresholds;
  /** Trace file: --trace, else the PAIRGRID_TRACE environment variable, else none. */
  trace: string | null;
}

function nonNegative(flag: string, v: string | undefined, integer: boolean): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
    throw new InputError(`${flag} ${v}: expected ${integer ? "an integer" : "a number"} ≥ 0`, flag);
  }
  return n;
}

export function paritySettings(flags: ParityFlags, env: NodeJS.ProcessEnv = process.env): ParitySettings {
  const startDay = flags.start === undefined ? null : isoToDayNumber(flags.start, "--start");
  const endDay = flags.end === undefined ? null : isoToDayNumber(flags.end, "--end");
  if (startDay !== null && endDay !== null && endDay < startDay) {
    throw new InputError(`--end ${flags.end}: before --start ${flags.start}`, "--end");
  }
  if (flags.nextBar !== "lookahead" && flags.nextBar !== "exchange") {
    throw new InputError(`--next-bar ${flags.nextBar}: expected lookahead or exchange`, "--next-bar");
  }
  const d = DEFAULT_PARITY_THRESHOLDS;
  const envTrace = env.PAIRGRID_TRACE;
  return {
    startDay,
    endDay,
    warmupBars: nonNegative("--warmup", flags.warmup, true) ?? null,
    nextBar: flags.nextBar,
    thresholds: {
      maxDivergent: nonNegative("--max-divergent", flags.maxDivergent, true) ?? d.maxDivergent,
      zTol: nonNegative("--z-tol", flags.zTol, false) ?? d.zTol,
      zUlps: nonNegative("--z-ulps", flags.zUlps, false) ?? d.zUlps,
      sizeTol: nonNegative("--size-tol", flags.sizeTol, true) ?? d.sizeTol,
      pnlTol: nonNegative("--pnl-tol", flags.pnlTol, false) ?? d.pnlTol,
    },
    trace: flags.trace ?? (envTrace !== undefined && envTrace !== "" ? envTrace : null),
  };
}
