// Shared by the replay-*.test.ts files: synthetic pairs as the parity gate sees them (aligned
// slow bars, session calendar), specs built in memory, and the parity options of a combination.
import { configFor } from "../src/rules/config-vector.js";
import { SessionCalendar, type SessionSettings } from "../src/calendar/index.js";
import { alignSlow } from "../src/loaders/index.js";
import type { ParityData } from "../src/parity/batch-trace.js";
import type { ParityOptions } from "../src/parity/run-parity.js";
import { resolveCombination } from "../src/grid-spec/combination.js";
import type { GridSpec } from "../src/grid-spec/grid-spec-schema.js";
import { validateSpec } from "../src/grid-spec/validate-spec.js";
import { synthesizePair } from "../src/synth/index.js";

export const BAR_MS = 300_000;

export const CME_SESSION: SessionSettings = {
  tz: "America/New_York",
  day_roll: "18:00",
  flat_time: "16:55",
  entry_start: null,
  entry_end: null,
};

const pairs = new Map<string, ReturnType<typeof synthesizePair>>();

/** `days` trading days of synthetic NQ/YM (seeded; cached per days and seed), on a session. */
export function synthData(
  days: number,
  seed: number,
  session: Partial<SessionSettings> = {},
  start = "2024-01-02",
): ParityData {
  const key = `${days}/${seed}/${start}`;
  let synth = pairs.get(key);
  if (synth === undefined) {
    synth = synthesizePair({ days, seed, start });
    pairs.set(key, synth);
  }
  return {
    pair: alignSlow(synth.a, synth.b),
    barMs: BAR_MS,
    calendar: new SessionCalendar({ ...CME_SESSION, ...session }),
  };
}

/** A validated spec for the synthetic NQ/YM legs (data files are never read). */
export function makeSpec(params: Record<string, unknown>, extra: Record<string, unknown> = {}): GridSpec {
  const raw = {
    name: "replay-test",
    data: {
      a: { symbol: "NQ", slow: "NQ.csv", multiplier: 20, tick_size: 0.25 },
      b: { symbol: "YM", slow: "YM.csv", multiplier: 5, tick_size: 1 },
      bar_minutes: 5,
    },
    costs: { commission: 2.25, slippage_ticks: 0.5 },
    params,
    ...extra,
  };
  return validateSpec(raw, "/", false);
}

/** The parity options of the combination `sets` picks from `spec`. */
export function parityOptions(spec: GridSpec, sets: string[] = []): ParityOptions {
  const combo = resolveCombination(spec, sets);
  return {
    combo,
    settings: { hedge: spec.hedge, hurstLags: spec.gates.hurst_lags },
    cfg: configFor(spec, combo),
  };
}

/** ISO date → day number (days since 1970-01-01). */
export const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
