// Fast closes cut into per-day blobs (chunks/fast-day-blobs.ts), as the cluster ships a hybrid
// grid's fast legs: every trading day gets one blob, the cut drops or repeats no row, the blobs
// laid end to end give back the series bit for bit (so a worker's hybrid data equals `pairgrid
// run`'s), and a damaged blob or a wrong order is refused instead of giving other numbers.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, test } from "node:test";
import {
  assembleFastCloses,
  decodeFastDay,
  decodeFastDayAsync,
  encodeFastDay,
  encodeFastDayAsync,
  fastDayCuts,
} from "../src/chunks/fast-day-blobs.js";
import { hybridGridData, hybridGridDataOf } from "../src/chunks/hybrid-grid-data.js";
import { SessionCalendar } from "../src/calendar/index.js";
import { type SynthHybrid, synthHybrid } from "./hybrid-synth.js";

let data: SynthHybrid;
before(async () => {
  data = await synthHybrid(3, 5);
});
after(() => rmSync(data.dir, { recursive: true, force: true }));

const bytesOf = (a: Float64Array | Int32Array | Uint8Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength);

test("one blob per trading day, covering every fast row once, in order", () => {
  const { sp, fl } = data;
  const cuts = fastDayCuts(sp.pair.ts, sp.tradingDay, fl.fast);
  assert.equal(cuts.length, new Set(sp.tradingDay).size);
  assert.equal(cuts[0]!.lo, 0);
  assert.equal(cuts.at(-1)!.hi, fl.fast.n);
  for (let d = 1; d < cuts.length; d++) assert.equal(cuts[d]!.lo, cuts[d - 1]!.hi);
  assert.ok(
    cuts.every((c) => c.hi > c.lo),
    "every day holds fast rows",
  );
});

test("the day blobs laid end to end are the fast closes bit for bit, and give the same hybrid data", () => {
  const { sp, fl, spec } = data;
  const cuts = fastDayCuts(sp.pair.ts, sp.tradingDay, fl.fast);
  const blobs = cuts.map((c) => encodeFastDay(fl.fast, c));
  const raw = fl.fast.n * 24;
  const packed = blobs.reduce((s, b) => s + b.length, 0);
  assert.ok(packed < raw, `compressed ${packed} < raw ${raw} bytes`);
  const back = assembleFastCloses(blobs.map(decodeFastDay), fl.fast.barMs);
  assert.equal(back.n, fl.fast.n);
  assert.equal(back.barMs, fl.fast.barMs);
  for (const k of ["ts", "closeA", "closeB"] as const)
    assert.ok(bytesOf(back[k]).equals(bytesOf(fl.fast[k])), k);
  // what a worker builds from its base arrays equals what `pairgrid run` builds from the slow pair
  const engine = "hybrid_zlive";
  const local = hybridGridData(engine, sp, fl.fast);
  const worker = hybridGridDataOf(
    engine,
    { ts: Float64Array.from(sp.pair.ts), barMs: sp.barMs, calendar: new SessionCalendar(spec.session) },
    back,
  );
  for (const k of ["fastLo", "fastHi", "maxA", "minA", "maxB", "minB"] as const)
    assert.ok(bytesOf(worker.index[k]).equals(bytesOf(local.index[k])), k);
  assert.equal(worker.rows!.n, local.rows!.n);
  for (const k of ["slowOf", "fastRow", "logA", "logB"] as const)
    assert.ok(bytesOf(worker.rows![k]).equals(bytesOf(local.rows![k])), k);
});

test("a damaged blob or days out of order are refused", () => {
  const { sp, fl } = data;
  const cuts = fastDayCuts(sp.pair.ts, sp.tradingDay, fl.fast);
  const blob = encodeFastDay(fl.fast, cuts[0]!);
  const bad = Buffer.from(blob);
  bad[bad.length >> 1]! ^= 0xff;
  assert.throws(() => decodeFastDay(bad));
  const days = cuts.map((c) => decodeFastDay(encodeFastDay(fl.fast, c)));
  assert.throws(() => assembleFastCloses([days[1]!, days[0]!], fl.fast.barMs), /out of order/);
});

test("the async encoder and decoder give the same bytes and rows as the sync ones", async () => {
  const { sp, fl } = data;
  const cuts = fastDayCuts(sp.pair.ts, sp.tradingDay, fl.fast);
  for (const cut of cuts) {
    const sync = encodeFastDay(fl.fast, cut);
    const async = await encodeFastDayAsync(fl.fast, cut);
    assert.ok(async.equals(sync));
    const day = await decodeFastDayAsync(async);
    assert.ok(bytesOf(day.closeA).equals(bytesOf(decodeFastDay(sync).closeA)));
  }
});
