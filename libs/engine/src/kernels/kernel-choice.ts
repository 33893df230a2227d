// Which slow kernel a grid runs: the event-driven kernel (kernels/event-kernel.ts), which needs
// each group's event index, or the bar-scan kernel (kernels/grid-kernel.ts), which needs nothing.
// Chosen once per grid, in the thread that builds the groups; chunk threads follow the groups they
// get (a group packed with event arrays runs its dollar-free combinations on them).
import { levelCount, type ZLevels, zLevelsOf } from "./event-index.js";
import type { GridSpec } from "../grid-spec/grid-spec-schema.js";
import type { GridPlan } from "../chunks/grid-plan.js";
import { type PackedArrays, unpackArrays } from "../chunks/shared-arrays.js";

export const KERNEL_CHOICES = ["auto", "events", "scan"] as const;
export type KernelChoice = (typeof KERNEL_CHOICES)[number];

/** What GroupPrecompute needs to add the event index to a group's arrays. */
export interface EventSettings {
  levels: ZLevels;
  eod: Uint8Array;
  windowOk: Uint8Array;
  dayIndex: Int32Array;
}

/** Event arrays of one group may take at most this many bytes (beyond it: bar scan). */
const MAX_EVENT_BYTES = 512 * 1024 * 1024;

/** Every value parameter `name` takes in the grid (its axis, or its one fixed value). */
function valuesOf(plan: GridPlan, name: string): (number | null)[] {
  const axis = plan.axes.find((a) => a.name === name);
  return axis ? axis.values : [plan.fixed[name] ?? null];
}

const numbers = (xs: (number | null)[]) => xs.filter((v): v is number => v !== null && v !== undefined);

/**
 * The event settings for a grid, or null for the bar-scan kernel. `auto` takes the event kernel for
 * a slow-engine grid when some combination has no dollar exit (those are the ones it runs), when a
 * group holds enough combinations to repay building its arrays (one pass over the bars per level,
 * against one pass per combination for the scan), and when the arrays fit the memory bound.
 * `events` forces it whenever it can run at all; `scan` never takes it.
 */
export function eventSettingsFor(
  spec: GridSpec,
  plan: GridPlan,
  base: PackedArrays,
  choice: KernelChoice,
): EventSettings | null {
  if (choice === "scan" || spec.engine !== "slow") return null;
  // a combination runs on events only when both dollar levels are off (null)
  const dollarFree = valuesOf(plan, "dollar_tp").includes(null) && valuesOf(plan, "dollar_sl").includes(null);
  if (!dollarFree) return null;
  const levels = zLevelsOf(
    numbers(valuesOf(plan, "z_entry")),
    numbers(valuesOf(plan, "z_exit")),
    numbers(valuesOf(plan, "z_stop")),
  );
  if (choice === "auto") {
    // a gate configuration's entry candidates are lists each thread builds (GroupEvents.gatedCandidates)
    const count = levelCount(levels);
    // level arrays are 4 bytes per bar, the bar records 32
    if (plan.perGroup < 2 * count || (count * 4 + 32) * base.n > MAX_EVENT_BYTES) return null;
  }
  const { eod, windowOk, dayIndex } = unpackArrays(base);
  if (
    !(eod instanceof Uint8Array) ||
    !(windowOk instanceof Uint8Array) ||
    !(dayIndex instanceof Int32Array)
  ) {
    throw new Error("eventSettingsFor: the base arrays lack eod / windowOk / dayIndex");
  }
  return { levels, eod, windowOk, dayIndex };
}
