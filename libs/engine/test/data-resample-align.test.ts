// Resampling against a naive reference, and both pair alignments on hand-built legs.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { alignFast, alignSlow, type Bars, resampleBars } from "../src/loaders/index.js";

const MIN = 60_000;

function legOf(rows: [number, number, number, number, number, number][]): Bars {
  const col = (k: number) => Float64Array.from(rows.map((r) => r[k]));
  return { ts: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) };
}

/** Straightforward reference: group rows by bucket in a Map. */
function naiveResample(bars: Bars, toMs: number) {
  const groups = new Map<number, number[]>();
  bars.ts.forEach((t, i) => {
    const b = Math.floor(t / toMs) * toMs;
    groups.set(b, [...(groups.get(b) ?? []), i]);
  });
  const out = {
    ts: [] as number[],
    open: [] as number[],
    high: [] as number[],
    low: [] as number[],
    close: [] as number[],
    volume: [] as number[],
  };
  for (const [b, idx] of [...groups].sort((x, y) => x[0] - y[0])) {
    out.ts.push(b);
    out.open.push(bars.open[idx[0]]);
    out.high.push(Math.max(...idx.map((i) => bars.high[i])));
    out.low.push(Math.min(...idx.map((i) => bars.low[i])));
    out.close.push(bars.close[idx[idx.length - 1]]);
    out.volume.push(idx.reduce((s, i) => s + bars.volume[i], 0));
  }
  return out;
}

test("resampleBars matches a naive reference on random legs", () => {
  const leg = fc
    .uniqueArray(fc.integer({ min: -2000, max: 5000 }), { minLength: 0, maxLength: 200 })
    .chain((slots) =>
      fc.tuple(
        fc.constant(slots.sort((a, b) => a - b)),
        fc.array(
          fc.tuple(fc.integer({ min: 1, max: 4000 }), fc.integer({ min: 1, max: 4000 }), fc.nat(500)),
          {
            minLength: slots.length,
            maxLength: slots.length,
          },
        ),
        fc.constantFrom(1, 2, 3, 5, 15, 60),
      ),
    );
  fc.assert(
    fc.property(leg, ([slots, px, factor]) => {
      const rows = slots.map((s, i): [number, number, number, number, number, number] => {
        const [a, b, v] = px[i];
        return [1.7e12 + s * MIN, a / 4, Math.max(a, b) / 4, Math.min(a, b) / 4, b / 4, v];
      });
      const bars = legOf(rows);
      const got = resampleBars(bars, MIN, factor * MIN);
      const want = naiveResample(bars, factor * MIN);
      for (const k of ["ts", "open", "high", "low", "close", "volume"] as const)
        assert.deepEqual(Array.from(got[k]), want[k]);
      assert.ok(got.ts.buffer instanceof SharedArrayBuffer);
    }),
    { numRuns: 200 },
  );
});

test("resampleBars: epoch-aligned buckets, and a non-multiple target is refused", () => {
  const t = Date.UTC(2024, 0, 2, 14, 33);
  const bars = legOf([
    [t, 10, 12, 9, 11, 1],
    [t + MIN, 11, 15, 10, 14, 2],
    [t + 2 * MIN, 14, 14, 8, 9, 3],
  ]);
  const r = resampleBars(bars, MIN, 5 * MIN);
  assert.deepEqual(Array.from(r.ts), [Date.UTC(2024, 0, 2, 14, 30), Date.UTC(2024, 0, 2, 14, 35)]);
  assert.deepEqual(Array.from(r.open), [10, 14]);
  assert.deepEqual(Array.from(r.high), [15, 14]);
  assert.deepEqual(Array.from(r.low), [9, 8]);
  assert.deepEqual(Array.from(r.close), [14, 9]);
  assert.deepEqual(Array.from(r.volume), [3, 3]);
  assert.throws(() => resampleBars(bars, 2 * MIN, 5 * MIN), /whole multiple/);
  assert.throws(() => resampleBars(bars, 5 * MIN, MIN), /whole multiple/);
});

// Leg A trades at minutes 1, 2, 4, 5; leg B at 2, 3, 5, 6.
const A = legOf([
  [1 * MIN, 10, 11, 9, 10.5, 5],
  [2 * MIN, 10.5, 12, 10, 11, 6],
  [4 * MIN, 11, 13, 11, 12, 7],
  [5 * MIN, 12, 12, 11, 11.5, 8],
]);
const B = legOf([
  [2 * MIN, 20, 21, 19, 20.5, 1],
  [3 * MIN, 20.5, 22, 20, 21, 2],
  [5 * MIN, 21, 23, 21, 22, 3],
  [6 * MIN, 22, 22, 21, 21.5, 4],
]);

test("alignSlow is the inner join on ts", () => {
  const p = alignSlow(A, B);
  assert.deepEqual(Array.from(p.ts), [2 * MIN, 5 * MIN]);
  assert.equal(p.a.ts, p.ts);
  assert.equal(p.b.ts, p.ts);
  assert.deepEqual(Array.from(p.a.close), [11, 11.5]);
  assert.deepEqual(Array.from(p.a.open), [10.5, 12]);
  assert.deepEqual(Array.from(p.b.close), [20.5, 22]);
  assert.deepEqual(Array.from(p.b.volume), [1, 3]);
  assert.ok(p.ts.buffer instanceof SharedArrayBuffer && p.b.high.buffer === p.ts.buffer);
  assert.equal(alignSlow(A, legOf([])).ts.length, 0);
});

test("alignFast: union from the first time both legs have a bar, forward-filled", () => {
  const p = alignFast(A, B);
  // minute 1 (only A so far) is dropped
  assert.deepEqual(
    Array.from(p.ts),
    [2, 3, 4, 5, 6].map((m) => m * MIN),
  );
  assert.equal(p.a.ts, p.ts);
  assert.equal(p.b.ts, p.ts);
  // A has no bar at 3 and 6: o=h=l=c = last close, volume 0
  assert.deepEqual(Array.from(p.a.open), [10.5, 11, 11, 12, 11.5]);
  assert.deepEqual(Array.from(p.a.high), [12, 11, 13, 12, 11.5]);
  assert.deepEqual(Array.from(p.a.low), [10, 11, 11, 11, 11.5]);
  assert.deepEqual(Array.from(p.a.close), [11, 11, 12, 11.5, 11.5]);
  assert.deepEqual(Array.from(p.a.volume), [6, 0, 7, 8, 0]);
  // B has no bar at 4
  assert.deepEqual(Array.from(p.b.open), [20, 20.5, 21, 21, 22]);
  assert.deepEqual(Array.from(p.b.close), [20.5, 21, 21, 22, 21.5]);
  assert.deepEqual(Array.from(p.b.volume), [1, 2, 0, 3, 4]);
});

test("alignFast: a leg whose earlier bars precede the start fills from its last one", () => {
  const late = legOf([
    [4 * MIN, 30, 30, 30, 30, 1],
    [6 * MIN, 31, 31, 31, 31, 1],
  ]);
  const p = alignFast(A, late);
  assert.deepEqual(
    Array.from(p.ts),
    [4, 5, 6].map((m) => m * MIN),
  );
  assert.deepEqual(Array.from(p.a.close), [12, 11.5, 11.5]);
  assert.deepEqual(Array.from(p.a.volume), [7, 8, 0]);
  assert.deepEqual(Array.from(p.b.close), [30, 30, 31]);
  assert.deepEqual(Array.from(p.b.volume), [1, 0, 1]);
  assert.equal(alignFast(legOf([]), A).ts.length, 0);
});
