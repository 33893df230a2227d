// Options of `pairgrid data synth` / synthesizePair, their defaults and validation. Field names
// are those written into synth.json (and used by grid specs: bar_minutes, fast_seconds).
import { isoToDayNumber } from "../calendar/day-number.js";
import { InputError } from "../errors.js";

export interface SynthOptions {
  /** Trading days (sessions) to generate; weekends and holiday closures are not counted. */
  days: number;
  seed: number;
  /** Slow bar length in minutes; must divide 60 so bars line up with the hour. */
  bar_minutes: number;
  /** Fast bar length in seconds, or null for no fast bars; must divide the slow bar. */
  fast_seconds: number | null;
  /** First trading day `YYYY-MM-DD` (moved forward to a trading day); its session opens 18:00 the evening before. */
  start: string;
  /** Price model: "market" (regimes, GARCH, jumps: MARKET-MODEL.md) or "simple" (one OU spread). */
  model: SynthModel;
}

export const SYNTH_MODELS = ["market", "simple"] as const;
export type SynthModel = (typeof SYNTH_MODELS)[number];

export const DEFAULT_SYNTH_OPTIONS: Readonly<SynthOptions> = Object.freeze({
  days: 60,
  seed: 1,
  bar_minutes: 5,
  fast_seconds: null,
  start: "2024-01-02",
  model: "market",
});

/** Enough for 80 years of sessions; beyond that the request is a typo. */
const MAX_DAYS = 20_000;

/** Defaults filled in and every field checked; InputError names the field. */
export function resolveSynthOptions(partial: Partial<SynthOptions> = {}): SynthOptions {
  const o: SynthOptions = { ...DEFAULT_SYNTH_OPTIONS };
  for (const [k, v] of Object.entries(partial))
    if (v !== undefined) (o as unknown as Record<string, unknown>)[k] = v;
  requireInteger("days", o.days, 1, MAX_DAYS);
  requireInteger("seed", o.seed, 0, Number.MAX_SAFE_INTEGER);
  requireInteger("bar_minutes", o.bar_minutes, 1, 60);
  if (60 % o.bar_minutes !== 0) {
    throw new InputError(
      `bar_minutes must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60), got ${o.bar_minutes}`,
      "bar_minutes",
    );
  }
  if (o.fast_seconds !== null) {
    const slowSeconds = o.bar_minutes * 60;
    requireInteger("fast_seconds", o.fast_seconds, 1, slowSeconds);
    if (slowSeconds % o.fast_seconds !== 0) {
      throw new InputError(
        `fast_seconds must divide the slow bar (${slowSeconds} s), got ${o.fast_seconds}`,
        "fast_seconds",
      );
    }
  }
  isoToDayNumber(o.start, "start");
  if (!(SYNTH_MODELS as readonly unknown[]).includes(o.model)) {
    throw new InputError(`model must be one of ${SYNTH_MODELS.join(", ")}, got ${String(o.model)}`, "model");
  }
  return o;
}

function requireInteger(name: string, v: unknown, min: number, max: number): void {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw new InputError(`${name} must be an integer from ${min} to ${max}, got ${String(v)}`, name);
  }
}
