// Ranking conventions: largest first, NaN last, ties to the lowest index; rankRows equals a full
// sort for any input and limit; mid-ranks for CSCV.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { bestRow, midRank, rankRows } from "../src/robustness/ranking.js";

test("property: rankRows is the head of a full stable sort (NaN last), both directions", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(fc.constant(Number.NaN), fc.integer({ min: -5, max: 5 }), fc.double({ noNaN: true })),
        {
          maxLength: 60,
        },
      ),
      fc.integer({ min: 0, max: 70 }),
      fc.boolean(),
      (raw, limit, ascending) => {
        const values = Float64Array.from(raw);
        const order = raw
          .map((v, i) => ({ v, i }))
          .sort((a, b) => {
            const an = Number.isNaN(a.v);
            const bn = Number.isNaN(b.v);
            if (an || bn) return an === bn ? a.i - b.i : an ? 1 : -1;
            if (a.v !== b.v) return ascending ? a.v - b.v : b.v - a.v;
            return a.i - b.i;
          })
          .map((x) => x.i);
        assert.deepEqual([...rankRows(values, limit, ascending)], order.slice(0, limit));
      },
    ),
    { numRuns: 500, seed: 7 },
  );
});

test("bestRow: largest, first on ties, −1 when all NaN; midRank: ties share, NaN lowest", () => {
  assert.equal(bestRow(Float64Array.of(Number.NaN, 3, 1, 3)), 1);
  assert.equal(bestRow(Float64Array.of(Number.NaN, Number.NaN)), -1);
  assert.equal(bestRow(Float64Array.of(Number.NEGATIVE_INFINITY, Number.NaN)), 0);
  assert.equal(bestRow(new Float64Array(0)), -1);
  const v = Float64Array.of(2, Number.NaN, 5, 2, Number.NaN, 9);
  // order low→high: NaN, NaN, 2, 2, 5, 9 → ranks 1.5, 1.5, 3.5, 3.5, 5, 6
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5].map((i) => midRank(v, i)),
    [3.5, 1.5, 5, 3.5, 1.5, 6],
  );
});
