// The slow engine's kernel for one combination of a grid: the event-driven kernel when the group
// has an event index and the combination has no dollar exit, the bar-scan kernel otherwise. Both
// give the same trades and row bit for bit (tests: event-kernel-*.test.ts), so the choice only
// changes the time a grid takes.
import type { GroupEvents } from "./event-index.js";
import { eventKernelApplies, runEventKernel } from "./event-kernel.js";
import { runGridKernel } from "./grid-kernel.js";
import type { KernelCall } from "./kernel-call.js";

/** Runs the combination `call` points at; result as runGridKernel's. `events` null = bar scan. */
export function runSlowKernel(call: KernelCall, events: GroupEvents | null): number {
  return events !== null && eventKernelApplies(call.cfg, call.cfgOffset)
    ? runEventKernel(call, events)
    : runGridKernel(call);
}
