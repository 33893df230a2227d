// LegBuilder.addMany (the DuckDB path's bulk append) is add() row by row: the same rows kept,
// the same rows refused, the same state after. Random runs of rows with bad ones mixed in
// (every kind add() refuses) are fed both ways, with the caller's fallback to add() at the
// first row addMany does not take, as FileRows does.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { LegBuilder } from "../src/loaders/leg-builder.js";

const BAR_MS = 1000;

interface Row {
  ts: number;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
}

/** A mostly good row after `prev` (time, close), or one broken in one way. */
const rowAfter = (flaw: number, step: number, move: number, prevTs: number, prevClose: number): Row => {
  const c = prevClose * (1 + move);
  const row: Row = { ts: prevTs + step * BAR_MS, o: c, h: c + 0.5, l: c - 0.5, c, v: 3 };
  switch (flaw) {
    case 1:
      return { ...row, o: -1 };
    case 2:
      return { ...row, h: Number.POSITIVE_INFINITY };
    case 3:
      return { ...row, l: row.h + 1 };
    case 4:
      return { ...row, c: row.h + 0.25 };
    case 5:
      return { ...row, v: -2 };
    case 6:
      return { ...row, v: Number.NaN };
    case 7:
      return { ...row, ts: row.ts + 0.5 }; // off the bar grid
    case 8:
      return { ...row, ts: prevTs }; // duplicate time
    case 9:
      return { ...row, ts: prevTs - BAR_MS }; // backwards
    case 10:
      return { ...row, o: c * 1.5, h: c * 1.5, c: c * 1.5 }; // a jump beyond max_jump
    case 11:
      return { ...row, ts: Number.NaN };
    case 12:
      return { ...row, l: prevClose * 0.7 }; // only the low jumps
    case 13:
      return { ...row, h: prevClose * 1.3 }; // only the high jumps
    case 14:
      return { ...row, v: Number.POSITIVE_INFINITY };
    default:
      return row;
  }
};

const rowsArb = fc
  .array(
    fc.record({
      flaw: fc.oneof(fc.constant(0), fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 14 })),
      step: fc.integer({ min: 1, max: 3 }),
      move: fc.double({ min: -0.01, max: 0.01, noNaN: true }),
    }),
    { minLength: 1, maxLength: 300 },
  )
  .map((specs) => {
    const rows: Row[] = [];
    let ts = 1_700_000_000_000;
    let close = 100;
    for (const s of specs) {
      const r = rowAfter(s.flaw, s.step, s.move, ts, close);
      rows.push(r);
      if (s.flaw === 0) {
        ts = r.ts;
        close = r.c;
      }
    }
    return rows;
  });

function columns(rows: Row[]) {
  const col = (f: (r: Row) => number) => Float64Array.from(rows, f);
  return {
    ts: col((r) => r.ts),
    o: col((r) => r.o),
    h: col((r) => r.h),
    l: col((r) => r.l),
    c: col((r) => r.c),
    v: col((r) => r.v),
  };
}

function state(b: LegBuilder) {
  const { n, lastTs, lastLine, skipped, skippedByKind, skippedSamples } = b;
  const bars = b.finish();
  return {
    n,
    lastTs,
    lastLine,
    skipped,
    skippedByKind,
    skippedSamples,
    bars: Object.fromEntries(Object.entries(bars).map(([k, col]) => [k, Array.from(col)])),
    lines: Array.from(b.rowLines()),
  };
}

test("addMany then add() at the first refused row keeps and refuses exactly what add() alone does", () => {
  fc.assert(
    fc.property(
      rowsArb,
      fc.integer({ min: 1, max: 64 }),
      fc.constantFrom(0.2, null),
      fc.boolean(),
      (rows, chunk, maxJump, withLines) => {
        const cols = columns(rows);
        const line = (i: number) => (withLines ? i + 2 : 0);
        const one = new LegBuilder("f", BAR_MS, true, maxJump);
        rows.forEach((r, i) => one.add(line(i), r.ts, r.o, r.h, r.l, r.c, r.v));
        const bulk = new LegBuilder("f", BAR_MS, true, maxJump);
        // chunk by chunk, as DuckDB hands them over
        for (let c0 = 0; c0 < rows.length; c0 += chunk) {
          const c1 = Math.min(rows.length, c0 + chunk);
          for (let i = c0; i < c1;) {
            i += bulk.addMany(cols, i, c1, line(i));
            if (i < c1) {
              const r = rows[i]!;
              bulk.add(line(i), r.ts, r.o, r.h, r.l, r.c, r.v);
              i++;
            }
          }
        }
        assert.deepEqual(state(bulk), state(one));
      },
    ),
    { numRuns: 300 },
  );
});

test("addMany takes nothing at a refused row, so a strict load still names it", () => {
  const rows = [rowAfter(0, 1, 0, 1_700_000_000_000, 100), rowAfter(3, 1, 0, 1_700_000_001_000, 100)];
  const cols = columns(rows);
  const b = new LegBuilder("f", BAR_MS, false, 0.2);
  assert.equal(b.addMany(cols, 0, 2, 7), 1);
  assert.equal(b.addMany(cols, 1, 2, 8), 0);
  assert.throws(
    () => b.add(8, rows[1]!.ts, rows[1]!.o, rows[1]!.h, rows[1]!.l, rows[1]!.c, rows[1]!.v),
    /f:8: high is below low/,
  );
});
