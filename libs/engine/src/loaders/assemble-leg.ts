// A leg's one series from its contracts (merge-contract.ts): which contract is used when
// (`data.roll.select`), the rolls between them with their price gaps, and the back-adjustment of
// earlier prices (`data.roll.adjust`) so that no bar spans a roll's gap. Bars stay at the files'
// bar length; resampling comes after.
import { DAY_MS, dayNumberToIso, OffsetCursor, parseClockTime, TimeZone } from "../calendar/index.js";
import { BAR_COLUMNS, type BarColumn, type Bars, sharedColumns } from "./bars.js";
import type { SomeBars } from "./column-cache.js";
import type { DaySettings, Roll, RollSettings } from "./leg-format.js";
import type { Segment } from "./leg-parts.js";
import { type Contract, fileOfRow, lowerBound } from "./merge-contract.js";

/** Rows [i0, i1) of one piece of a contract. */
interface Run {
  contract: Contract;
  piece: Segment;
  i0: number;
  i1: number;
}

export const DEFAULT_DAYS: DaySettings = { tz: "America/New_York", day_roll: "18:00" };

/** Trading day of a bar starting at `ts` (judged at its end, as the session calendar does). */
function dayFinder(days: DaySettings, barMs: number): (ts: number) => number {
  const cursor = new OffsetCursor(TimeZone.of(days.tz, "session.tz"));
  const roll = parseClockTime(days.day_roll, "session.day_roll");
  return (ts) => Math.ceil((cursor.toLocalNaive(ts + barMs) - roll) / DAY_MS);
}

/**
 * `given` (and no roll setting): contracts in order of their first bar, each used until the next
 * one's first bar.
 */
function givenRuns(contracts: Contract[]): Run[] {
  const order = [...contracts].sort((x, y) => x.pieces[0]!.bars.ts[0]! - y.pieces[0]!.bars.ts[0]!);
  const runs: Run[] = [];
  order.forEach((contract, k) => {
    const until = k + 1 < order.length ? order[k + 1]!.pieces[0]!.bars.ts[0]! : Number.POSITIVE_INFINITY;
    for (const piece of contract.pieces) {
      const i1 = lowerBound(piece.bars.ts, until);
      if (i1 > 0) runs.push({ contract, piece, i0: 0, i1 });
    }
  });
  return runs;
}

/**
 * `volume`: per trading day, the contract with the most volume on the previous trading day
 * among those that trade that day (a tie keeps the current one); on the first day, or when none
 * of them traded the day before, the day's own volume decides.
 */
function volumeRuns(contracts: Contract[], dayOf: (ts: number) => number): Run[] {
  // per contract: day → its runs and volume
  const perDay = new Map<number, Map<Contract, { runs: Run[]; volume: number }>>();
  for (const contract of contracts) {
    for (const piece of contract.pieces) {
      const { ts, volume } = piece.bars;
      const n = ts.length;
      let i = 0;
      while (i < n) {
        const day = dayOf(ts[i]!);
        let j = i;
        let vol = 0;
        // rows of one day are contiguous: scan until the day changes
        while (j < n && dayOf(ts[j]!) === day) vol += volume[j++]!;
        let m = perDay.get(day);
        if (m === undefined) perDay.set(day, (m = new Map()));
        let e = m.get(contract);
        if (e === undefined) m.set(contract, (e = { runs: [], volume: 0 }));
        e.runs.push({ contract, piece, i0: i, i1: j });
        e.volume += vol;
        i = j;
      }
    }
  }
  const days = [...perDay.keys()].sort((x, y) => x - y);
  const runs: Run[] = [];
  let front: Contract | null = null;
  let prev: Map<Contract, { volume: number }> | undefined;
  for (const day of days) {
    const today = perDay.get(day)!;
    let best: Contract | null = null;
    let bestVol = 0;
    for (const c of today.keys()) {
      const v = prev?.get(c)?.volume ?? 0;
      if (v > bestVol || (v === bestVol && v > 0 && c === front)) {
        best = c;
        bestVol = v;
      }
    }
    if (best === null) {
      for (const [c, e] of today) {
        if (best === null || e.volume > bestVol || (e.volume === bestVol && c === front)) {
          best = c;
          bestVol = e.volume;
        }
      }
    }
    front = best!;
    runs.push(...today.get(front)!.runs);
    prev = today;
  }
  return runs;
}

/** Close of `contract`'s last bar starting at or before `t` and after `notBefore`; NaN if none. */
function closeAt(contract: Contract, t: number, notBefore: number): number {
  for (let p = contract.pieces.length - 1; p >= 0; p--) {
    const ts = contract.pieces[p]!.bars.ts;
    if (ts[0]! > t) continue;
    const i = lowerBound(ts, t + 0.5) - 1;
    if (i >= 0 && ts[i]! > notBefore) return contract.pieces[p]!.bars.close[i]!;
    return Number.NaN;
  }
  return Number.NaN;
}

export interface Assembled<C extends BarColumn> {
  bars: SomeBars<C>;
  rolls: Roll[];
}

/**
 * The leg's series of `columns` (ts and any others; by default all six): a load that keeps ts
 * and close copies and caches only those, a third of the bytes of years of 1-second bars.
 */
export function assembleLeg<C extends BarColumn = BarColumn>(
  contracts: Contract[],
  fileBarMs: number,
  roll: RollSettings | undefined,
  days: DaySettings,
  columns: readonly C[] = BAR_COLUMNS as unknown as readonly C[],
): Assembled<C | "ts"> {
  const dayOf = dayFinder(days, fileBarMs);
  const runs = roll?.select === "volume" ? volumeRuns(contracts, dayOf) : givenRuns(contracts);
  let n = 0;
  for (const r of runs) n += r.i1 - r.i0;
  // every column, in BAR_COLUMNS order (the shape parsed bars always have), or the asked ones
  const names = BAR_COLUMNS.filter((c) => c === "ts" || (columns as readonly BarColumn[]).includes(c));
  const cols = sharedColumns(names.length, n);
  const out = {} as Partial<Bars>;
  names.forEach((c, k) => (out[c] = cols[k]!));
  const bars = out as SomeBars<C | "ts">;
  const rolls: Roll[] = [];
  const rollAt: number[] = [];
  let w = 0;
  let prev: Run | null = null;
  for (const r of runs) {
    if (prev !== null && prev.contract !== r.contract) {
      const t0 = prev.piece.bars.ts[prev.i1 - 1]!;
      const old = prev.piece.bars.close[prev.i1 - 1]!;
      const first = r.piece.bars;
      // the gap is measured between both contracts at one time: the new one's close at the old
      // one's last bar (within a day), else the old one's at the new one's first bar, else open vs close
      let newPx = closeAt(r.contract, t0, t0 - DAY_MS);
      let oldPx = old;
      if (Number.isNaN(newPx)) {
        const t1 = first.ts[r.i0]!;
        const o = closeAt(prev.contract, t1, t0);
        if (!Number.isNaN(o)) {
          oldPx = o;
          newPx = first.close[r.i0]!;
        } else newPx = first.open[r.i0]!;
      }
      const line = r.piece.lines === null ? 0 : r.piece.lines[r.i0]!;
      rolls.push({
        ts: first.ts[r.i0]!,
        day: dayNumberToIso(dayOf(first.ts[r.i0]!)),
        file: fileOfRow(r.piece, r.i0),
        line,
        from: prev.contract.id,
        to: r.contract.id,
        ...(prev.contract.symbol === undefined ? {} : { fromSymbol: prev.contract.symbol }),
        ...(r.contract.symbol === undefined ? {} : { toSymbol: r.contract.symbol }),
        gap: newPx - oldPx,
        ratio: newPx / oldPx,
      });
      rollAt.push(w);
    }
    const s = r.piece.bars;
    for (let k = 0; k < names.length; k++) cols[k]!.set(s[names[k]!].subarray(r.i0, r.i1), w);
    w += r.i1 - r.i0;
    prev = r;
  }
  if (roll !== undefined && roll.adjust !== "none") backAdjust(out, rolls, rollAt, roll.adjust);
  return { bars, rolls };
}

/**
 * Shifts (difference) or scales (ratio) every bar before each roll by that roll's gap, latest
 * roll first, so the last contract keeps its traded prices and the series has no jump at a roll.
 */
function backAdjust(bars: Partial<Bars>, rolls: Roll[], rollAt: number[], how: "difference" | "ratio"): void {
  const prices = [bars.open, bars.high, bars.low, bars.close].filter((c) => c !== undefined);
  let add = 0;
  let mul = 1;
  for (let k = rolls.length - 1; k >= 0; k--) {
    add += rolls[k]!.gap;
    mul *= rolls[k]!.ratio;
    const from = k > 0 ? rollAt[k - 1]! : 0;
    const to = rollAt[k]!;
    for (const px of prices) {
      if (how === "difference") for (let i = from; i < to; i++) px[i] += add;
      else for (let i = from; i < to; i++) px[i] *= mul;
    }
  }
}
