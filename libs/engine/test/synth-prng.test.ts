// The generator's random numbers: the xoshiro128** reference sequence, reproducible streams, and
// sane uniform / normal moments.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../src/synth/index.js";

test("xoshiro128** from state {1, 2, 3, 4} gives the reference implementation's first outputs", () => {
  const rng = Rng.fromState(1, 2, 3, 4);
  assert.deepEqual([rng.nextU32(), rng.nextU32(), rng.nextU32()], [11520, 0, 5927040]);
});

test("same seed and stream, same sequence; another stream or seed, another sequence", () => {
  const draw = (seed: number, stream: number) => {
    const r = new Rng(seed, stream);
    return Array.from({ length: 8 }, () => r.nextU32());
  };
  assert.deepEqual(draw(7, 1), draw(7, 1));
  assert.notDeepEqual(draw(7, 1), draw(7, 2));
  assert.notDeepEqual(draw(7, 1), draw(8, 1));
  assert.notDeepEqual(draw(1, 1), draw(1 + 2 ** 32, 1), "high bits of large seeds count");
});

test("uniform in (0, 1) with mean 1/2; normal with mean 0 and variance 1", () => {
  const rng = new Rng(42, 3);
  const n = 200_000;
  let su = 0;
  let sz = 0;
  let szz = 0;
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    assert.ok(u > 0 && u < 1);
    su += u;
    const z = rng.normal();
    sz += z;
    szz += z * z;
  }
  assert.ok(Math.abs(su / n - 0.5) < 0.005);
  assert.ok(Math.abs(sz / n) < 0.01);
  assert.ok(Math.abs(szz / n - 1) < 0.015);
});
