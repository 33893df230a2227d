// Does one leg's fast file cover the slow bars it is to fill? A hybrid run on fast data that starts
// late, ends early or misses a day would silently trade those bars without their fast prices (the
// forward fill of the union alignment hides a missing leg), so these are input errors naming the
// leg's `fast` field. Slow bars that merely lack a fast bar here and there (a quiet second has no
// trade in real data) are counted, not refused.
import { dayNumberToIso } from "../calendar/index.js";
import { InputError } from "../errors.js";

export interface LegCoverage {
  /** Slow bars holding no fast bar of this leg. */
  emptySlowBars: number;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

/**
 * Checks the fast bar times `fastTs` of leg `leg` against slow bars starting at `slowTs` (each
 * `slowBarMs` long, trading days `tradingDay`): the fast data must reach into the first and the
 * last slow bar, and every trading day with slow bars must hold at least one fast bar.
 * Throws InputError at `data.<leg>.fast` otherwise. One merge pass, O(n_slow + n_fast).
 */
export function checkFastCoverage(
  leg: "a" | "b",
  fastTs: Float64Array,
  slowTs: Float64Array,
  slowBarMs: number,
  tradingDay: Int32Array,
): LegCoverage {
  const field = `data.${leg}.fast`;
  const n = slowTs.length;
  const nf = fastTs.length;
  const slowFirst = slowTs[0];
  const slowEnd = slowTs[n - 1] + slowBarMs;
  const span = `the slow bars ${iso(slowFirst)} … ${iso(slowEnd)}`;
  if (nf === 0) throw new InputError(`${field}: the fast file holds no bars; it must cover ${span}`, field);
  if (!(fastTs[0] < slowFirst + slowBarMs) || !(fastTs[nf - 1] >= slowTs[n - 1])) {
    throw new InputError(
      `${field}: fast bars ${iso(fastTs[0])} … ${iso(fastTs[nf - 1])} do not cover ${span}`,
      field,
    );
  }
  let empty = 0;
  let dayHasFast = false;
  let j = 0;
  for (let k = 0; k < n; k++) {
    const start = slowTs[k];
    const end = start + slowBarMs;
    while (j < nf && fastTs[j] < start) j++;
    const holds = j < nf && fastTs[j] < end;
    if (!holds) empty++;
    dayHasFast ||= holds;
    const dayEnds = k === n - 1 || tradingDay[k + 1] !== tradingDay[k];
    if (dayEnds) {
      if (!dayHasFast) {
        throw new InputError(
          `${field}: no fast bar on trading day ${dayNumberToIso(tradingDay[k])}, which has slow bars`,
          field,
        );
      }
      dayHasFast = false;
    }
  }
  return { emptySlowBars: empty };
}
