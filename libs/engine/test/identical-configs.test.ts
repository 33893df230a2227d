// Which combinations a chunk may copy instead of running (identical-configs.ts): bit-equal
// configuration vectors only, so −0 and 0 stay apart, and every twin points to the first.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CFG_LENGTH, CFG_MAX_HOLD, CFG_Z_EXIT, CFG_Z_STOP } from "../src/rules/config-vector.js";
import { firstIdentical } from "../src/kernels/identical-configs.js";
import { makeConfig } from "./grid-kernel-helpers.js";

test("twins point to the first bit-equal configuration; −0 and 0 are different", () => {
  const list = [
    { z_entry: 2, z_exit: 0 },
    { z_entry: 2, z_exit: 0.5 },
    { z_entry: 2, z_exit: 0 },
    { z_entry: 2, z_exit: 0, min_corr: 0.5 },
    { z_entry: 2, z_exit: 0.5 },
    { z_entry: 2, z_exit: 0 },
    { z_entry: 2, z_exit: 0 },
  ];
  // rows at scattered offsets, as a chunk's valid combinations are
  const offsets = list.map((_, k) => (2 * k + 1) * CFG_LENGTH);
  const cfgs = new Float64Array(16 * CFG_LENGTH);
  list.forEach((c, k) => makeConfig(c, cfgs, offsets[k]));
  cfgs[offsets[6]! + CFG_Z_EXIT] = -0;
  assert.deepEqual([...firstIdentical(cfgs, offsets)], [0, 1, 0, 3, 1, 0, 6]);
});

test("many distinct configurations stay distinct (no hash collision merges two)", () => {
  const n = 5000;
  const cfgs = new Float64Array(n * CFG_LENGTH);
  for (let k = 0; k < n; k++)
    makeConfig({ z_entry: 1 + k / 1000, z_exit: (k % 7) / 10 }, cfgs, k * CFG_LENGTH);
  const first = firstIdentical(
    cfgs,
    Array.from({ length: n }, (_, k) => k * CFG_LENGTH),
  );
  assert.ok(first.every((f, k) => f === k));
});

test("fields left out are not compared: the event family kernel's grouping", () => {
  const list = [
    { z_entry: 2, z_exit: 0, z_stop: 3, max_hold: 0 },
    { z_entry: 2, z_exit: 0, z_stop: 4, max_hold: 50 },
    { z_entry: 2, z_exit: 0.5, z_stop: 3, max_hold: 0 },
    { z_entry: 2, z_exit: 0, max_hold: 100 },
  ];
  const offsets = list.map((_, k) => k * CFG_LENGTH);
  const cfgs = new Float64Array(list.length * CFG_LENGTH);
  list.forEach((c, k) => makeConfig(c, cfgs, offsets[k]));
  assert.deepEqual([...firstIdentical(cfgs, offsets, [CFG_Z_STOP, CFG_MAX_HOLD])], [0, 0, 2, 0]);
  assert.deepEqual([...firstIdentical(cfgs, offsets)], [0, 1, 2, 3]);
});
