// Per-group arrays, factorized (issue 4): the hedge (beta, alpha, spread) once per hedge setting,
// z once per (hedge, zscore_window), each gate metric once per (hedge, its window). A group only
// assembles cached pieces, so a grid over 4 OLS windows × 4 z windows fits 4 hedge runs, not 16.
import {
  kalmanHedge,
  rollingAdf,
  rollingHalfLife,
  rollingHurst,
  rollingLogReturnCorrelation,
  rollingOls,
  rollingZScore,
  spread as spreadOf,
} from "@pairgrid/stats";
import { eventSlots } from "../kernels/event-index.js";
import type { PairBars } from "../loaders/index.js";
import { logPrices } from "../indicators/compute-indicators.js";
import type { GridSpec } from "../grid-spec/grid-spec-schema.js";
import type { Combination } from "../grid-spec/param-defs.js";
import type { EventSettings } from "../kernels/kernel-choice.js";
import { allocatePacked, type PackedArrays, packArrays } from "./shared-arrays.js";

/** Arrays kept (each n doubles): hedges, z-scores and gate metrics together. */
const MAX_CACHED = 48;

/** A hedge setting's arrays: what the cluster's coordinator computes once and ships to workers. */
export interface HedgeArrays {
  beta: Float64Array;
  spread: Float64Array;
}

/**
 * Where hedge arrays come from when not computed here: a queue worker gets them from the
 * coordinator (Redis blobs) instead of repeating the rolling regression. Null means compute.
 */
export type HedgeSource = (key: string) => HedgeArrays | null;

/** The memo key of a combination's hedge setting: equal keys mean equal beta and spread. */
export function hedgeKey(spec: GridSpec, c: Combination): string {
  return spec.hedge === "ols" ? `ols:${c.ols_window}` : `kalman:${c.delta}:${c.ve}`;
}

/** The two legs' closes are all a precompute reads of the pair. */
export type PairCloses = { a: { close: Float64Array }; b: { close: Float64Array } };

export class GroupPrecompute {
  private readonly y: Float64Array;
  private readonly x: Float64Array;
  private readonly closeA: Float64Array;
  private readonly closeB: Float64Array;
  private readonly cache = new Map<string, unknown>();
  /** Number of hedge computations done (tests check the factorization). */
  hedgeRuns = 0;

  constructor(
    pair: PairBars | PairCloses,
    private readonly spec: GridSpec,
    private readonly hedgeSource: HedgeSource | null = null,
    /** When set, each group also carries its event index (kernel-choice.ts): the event kernel runs. */
    private readonly events: EventSettings | null = null,
  ) {
    this.closeA = pair.a.close;
    this.closeB = pair.b.close;
    this.y = logPrices(pair.a.close);
    this.x = logPrices(pair.b.close);
  }

  /**
   * Cached by key, least recently used first out: a group order that revisits hedges (hedge axes
   * after the window axes under `params`) recomputes some arrays rather than keeping them all.
   */
  private memo<T>(key: string, make: () => T): T {
    if (this.cache.has(key)) {
      const v = this.cache.get(key) as T;
      this.cache.delete(key);
      this.cache.set(key, v);
      return v;
    }
    const v = make();
    this.cache.set(key, v);
    if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    return v;
  }

  /** The hedge arrays of c's hedge setting (from the source, else computed), with their key. */
  hedge(c: Combination): { key: string; h: HedgeArrays } {
    const key = hedgeKey(this.spec, c);
    const h = this.memo(key, () => {
      const given = this.hedgeSource?.(key);
      if (given) return given;
      this.hedgeRuns++;
      const hb =
        this.spec.hedge === "ols"
          ? rollingOls(this.y, this.x, c.ols_window!)
          : kalmanHedge(this.y, this.x, c.delta ?? 1e-4, c.ve ?? 1e-3);
      return { beta: hb.beta, spread: spreadOf(this.y, this.x, hb.beta, hb.alpha) };
    });
    return { key, h };
  }

  /**
   * The group's arrays packed in one SharedArrayBuffer: beta, z, the gate metrics whose window is
   * set and, with event settings, the event index (not memoized: it is the biggest part and only
   * this group reads it), in `reuse` when it is big enough (a buffer no thread reads any more).
   */
  compute(c: Combination, reuse: SharedArrayBuffer | null = null): PackedArrays {
    const { key, h } = this.hedge(c);
    const z = this.memo(`${key}|z:${c.zscore_window}`, () => rollingZScore(h.spread, c.zscore_window!).z);
    const arrays: Record<string, Float64Array> = { beta: h.beta, z };
    if (c.corr_window != null) {
      arrays.corr = this.memo(`corr:${c.corr_window}`, () =>
        rollingLogReturnCorrelation(this.y, this.x, c.corr_window!),
      );
    }
    if (c.hurst_window != null) {
      arrays.hurst = this.memo(`${key}|hurst:${c.hurst_window}`, () =>
        rollingHurst(h.spread, c.hurst_window!, this.spec.gates.hurst_lags),
      );
    }
    if (c.hl_window != null) {
      arrays.halfLife = this.memo(`${key}|hl:${c.hl_window}`, () => rollingHalfLife(h.spread, c.hl_window!));
    }
    if (c.adf_window != null) {
      const adf = this.memo(`${key}|adf:${c.adf_window}`, () => rollingAdf(h.spread, c.adf_window!));
      arrays.adfStat = adf.stat;
      arrays.adfPvalue = adf.pvalue;
    }
    if (this.events === null) return packArrays(arrays);
    const { levels, eod, windowOk, dayIndex } = this.events;
    const source = {
      n: z.length,
      z,
      eod,
      windowOk,
      closeA: this.closeA,
      closeB: this.closeB,
      beta: h.beta,
      dayIndex,
    };
    // the event arrays are computed straight into the shared buffer: copying ~90 MB per group
    // cost as much as computing it
    const ev = eventSlots(source, levels);
    const own = Object.keys(arrays).map((name) => ({ name, type: "f64" as const }));
    // every slot is written in full below, so a released group's buffer can be reused
    const { packed, views } = allocatePacked([...own, ...ev.slots], z.length, reuse);
    for (const [name, a] of Object.entries(arrays)) views[name]!.set(a);
    ev.fill(views);
    return packed;
  }
}
