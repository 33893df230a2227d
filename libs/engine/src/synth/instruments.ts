// The two legs the generator makes: an NQ-like and a YM-like E-mini index future, with the
// multipliers and tick sizes of ENGINE.md §6 and price levels of early 2024.

export interface InstrumentSpec {
  symbol: string;
  multiplier: number;
  tick_size: number;
  /** Price at the start of the series. */
  start_price: number;
  /**
   * Median 5-minute volume (contracts) inside / outside regular trading hours, on top of a floor
   * of one contract per second that lets any 1-second fast bar hold at least one trade.
   */
  volume_rth: number;
  volume_eth: number;
}

export const LEG_A: InstrumentSpec = {
  symbol: "NQ",
  multiplier: 20,
  tick_size: 0.25,
  start_price: 18_000,
  volume_rth: 2_400,
  volume_eth: 300,
};

export const LEG_B: InstrumentSpec = {
  symbol: "YM",
  multiplier: 5,
  tick_size: 1,
  start_price: 39_000,
  volume_rth: 900,
  volume_eth: 120,
};

/** Tick size as an integer numerator over a power of ten (0.25 → 25 / 10²), for exact formatting. */
export interface TickDecimal {
  decimals: number;
  scaled: number;
}

export function tickDecimal(tick: number): TickDecimal {
  for (let decimals = 0; decimals <= 8; decimals++) {
    const scaled = Math.round(tick * 10 ** decimals);
    if (Math.abs(scaled / 10 ** decimals - tick) < 1e-12 * tick) return { decimals, scaled };
  }
  throw new Error(`tick size ${tick} has more than 8 decimals`);
}
