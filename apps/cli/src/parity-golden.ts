// Golden fixtures for the CI parity gate (tests/fixtures/parity/*.json): the figures a run must
// reproduce on the synthetic data — bars in the window, batch decision counts, trades and the
// trace digest (which both paths must hit, since their traces agree line for line). A changed
// engine or data generator shows up here even when batch and replay still agree with each other.
import { readFileSync, writeFileSync } from "node:fs";
import { InputError } from "@pairgrid/engine";
import type { ParitySummary } from "./parity-summary.js";

export interface ParityGolden {
  bars: number;
  n_trades: number;
  decisions: Record<string, number>;
  trace_digest: string;
}

export function goldenOf(s: ParitySummary): ParityGolden {
  return { bars: s.window.bars, n_trades: s.n_trades, decisions: s.decisions, trace_digest: s.digests.batch };
}

export function writeGolden(path: string, s: ParitySummary): void {
  try {
    writeFileSync(path, `${JSON.stringify(goldenOf(s), null, 2)}\n`);
  } catch (err) {
    throw new InputError(`--golden ${path}: ${(err as Error).message}`, "--golden");
  }
}

function readGolden(path: string): ParityGolden {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new InputError(`--golden ${path}: ${(err as Error).message}`, "--golden");
  }
  const g = parsed as Partial<ParityGolden>;
  if (typeof g.bars !== "number" || typeof g.trace_digest !== "string" || typeof g.decisions !== "object") {
    throw new InputError(`--golden ${path}: expected {bars, n_trades, decisions, trace_digest}`, "--golden");
  }
  return g as ParityGolden;
}

/** Differences between a run and its golden file, one line each (none = match). */
export function checkGolden(path: string, s: ParitySummary): string[] {
  const want = readGolden(path);
  const got = goldenOf(s);
  const out: string[] = [];
  if (got.bars !== want.bars) out.push(`bars ${got.bars}, golden ${want.bars}`);
  if (got.n_trades !== want.n_trades) out.push(`n_trades ${got.n_trades}, golden ${want.n_trades}`);
  const names = new Set([...Object.keys(want.decisions), ...Object.keys(got.decisions)]);
  for (const k of [...names].sort()) {
    const a = got.decisions[k] ?? 0;
    const b = want.decisions[k] ?? 0;
    if (a !== b) out.push(`${k} ${a}, golden ${b}`);
  }
  for (const side of ["batch", "replay"] as const) {
    const d = s.digests[side];
    if (d !== want.trace_digest)
      out.push(`${side} trace digest ${d.slice(0, 16)}…, golden ${want.trace_digest.slice(0, 16)}…`);
  }
  return out;
}
