// Synthetic NQ/YM data with 1-second fast bars (pairgrid data synth), written to a temp dir and
// loaded through the real pipeline: spec validation, slow pair, fast closes. Cache off, so tests
// leave nothing behind but the temp dir.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSlowPair, type SlowPair } from "../src/loaders/load-slow-pair.js";
import type { GridSpec } from "../src/grid-spec/grid-spec-schema.js";
import { validateSpec } from "../src/grid-spec/validate-spec.js";
import { type SynthModel, writeSynthFiles } from "../src/synth/index.js";
import { type FastLoad, loadFastCloses } from "../src/loaders/load-fast-closes.js";

export interface SynthHybrid {
  dir: string;
  spec: GridSpec;
  sp: SlowPair;
  fl: FastLoad;
}

/** The spec of the synthetic pair in `dir`; `over` replaces top-level keys, `data` merges. */
export function synthSpec(
  dir: string,
  over: Record<string, unknown> = {},
  data: Record<string, unknown> = {},
): GridSpec {
  const raw = {
    name: "hybrid-test",
    data: {
      a: { symbol: "NQ", slow: "NQ.csv", fast: "NQ_fast.csv", multiplier: 20, tick_size: 0.25 },
      b: { symbol: "YM", slow: "YM.csv", fast: "YM_fast.csv", multiplier: 5, tick_size: 1 },
      bar_minutes: 5,
      fast_seconds: 1,
      cache: false,
      ...data,
    },
    session: { tz: "America/New_York", day_roll: "18:00", flat_time: "16:55" },
    costs: { commission: 2.25, slippage_ticks: 0.5 },
    engine: "hybrid_zlive",
    params: { ols_window: 120, zscore_window: 40, z_entry: 1.5, z_exit: 0 },
    ...over,
  };
  return validateSpec(raw, dir);
}

export function writeSynth(days: number, seed: number, model: SynthModel = "market"): string {
  const dir = mkdtempSync(join(tmpdir(), "pairgrid-hybrid-"));
  writeSynthFiles(dir, { days, seed, bar_minutes: 5, fast_seconds: 1, model });
  return dir;
}

export async function synthHybrid(
  days: number,
  seed: number,
  over: Record<string, unknown> = {},
  model: SynthModel = "market",
): Promise<SynthHybrid> {
  const dir = writeSynth(days, seed, model);
  const spec = synthSpec(dir, over);
  const sp = await loadSlowPair(spec);
  const fl = await loadFastCloses(spec, sp);
  return { dir, spec, sp, fl };
}
