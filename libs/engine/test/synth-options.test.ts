// Options of the generator: defaults, and every bad value an input error naming its field.
import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../src/errors.js";
import { DEFAULT_SYNTH_OPTIONS, resolveSynthOptions, type SynthOptions } from "../src/synth/index.js";

test("defaults: 60 days, seed 1, 5-minute bars, no fast bars, from 2024-01-02", () => {
  assert.deepEqual(resolveSynthOptions(), {
    days: 60,
    seed: 1,
    bar_minutes: 5,
    fast_seconds: null,
    start: "2024-01-02",
    model: "market",
  });
  assert.deepEqual(resolveSynthOptions({ days: 3, fast_seconds: undefined }), {
    ...DEFAULT_SYNTH_OPTIONS,
    days: 3,
  });
});

test("bad values name their field", () => {
  const bad: [Partial<SynthOptions>, string][] = [
    [{ days: 0 }, "days"],
    [{ days: -1 }, "days"],
    [{ days: 1.5 }, "days"],
    [{ seed: -1 }, "seed"],
    [{ seed: 2 ** 60 }, "seed"],
    [{ bar_minutes: 7 }, "bar_minutes"],
    [{ bar_minutes: 0 }, "bar_minutes"],
    [{ bar_minutes: 120 }, "bar_minutes"],
    [{ fast_seconds: 0 }, "fast_seconds"],
    [{ fast_seconds: 7 }, "fast_seconds"],
    [{ fast_seconds: 600 }, "fast_seconds"],
    [{ start: "2024-02-30" }, "start"],
    [{ start: "yesterday" }, "start"],
    [{ model: "textbook" as SynthOptions["model"] }, "model"],
  ];
  for (const [opts, path] of bad) {
    assert.throws(
      () => resolveSynthOptions(opts),
      (e: unknown) => e instanceof InputError && e.path === path && e.message.includes(path),
      JSON.stringify(opts),
    );
  }
});

test("fast bars must divide the slow bar; equal to it is allowed", () => {
  assert.equal(resolveSynthOptions({ bar_minutes: 1, fast_seconds: 60 }).fast_seconds, 60);
  assert.equal(resolveSynthOptions({ bar_minutes: 15, fast_seconds: 30 }).fast_seconds, 30);
});
