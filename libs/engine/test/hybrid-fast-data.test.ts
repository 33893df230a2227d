// Fast data of the hybrid engines: close-only alignment equals the full union alignment (ENGINE.md
// §1) restricted to the slow span; the slow→fast index assigns each fast row to the slow bar its
// close falls in (gap rows to none); fast files that do not cover the slow bars are refused with
// an InputError naming the leg's `fast` field; synthetic fast data loads consistent with the slow.
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import fc from "fast-check";
import { alignFast } from "../src/loaders/align.js";
import { allocBars, type Bars } from "../src/loaders/bars.js";
import { InputError } from "../src/errors.js";
import { alignFastCloses } from "../src/loaders/fast-closes.js";
import { checkFastCoverage } from "../src/loaders/fast-coverage.js";
import { loadFastCloses } from "../src/loaders/load-fast-closes.js";
import { slowFastIndex } from "../src/kernels/slow-fast-index.js";
import { loadSlowPair } from "../src/loaders/load-slow-pair.js";
import { loadFastPair } from "../src/loaders/load-fast-pair.js";
import { loadLeg } from "../src/loaders/load-leg.js";
import { legLoadOptions } from "../src/loaders/leg-load-options.js";
import { sliceToDays } from "../src/loaders/slice-days.js";
import { SessionCalendar } from "../src/calendar/index.js";
import { synthSpec, writeSynth } from "./hybrid-synth.js";

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function legFrom(times: number[], seed: number): Bars {
  const bars = allocBars(times.length);
  times.forEach((t, i) => {
    bars.ts[i] = t;
    bars.close[i] = 100 + ((seed * 7 + i * 13) % 17);
  });
  return bars;
}

const sortedTimes = fc
  .uniqueArray(fc.integer({ min: 0, max: 400 }), { maxLength: 120 })
  .map((xs) => xs.sort((x, y) => x - y).map((x) => x * 1000));

test("alignFastCloses = alignFast restricted to [from, to)", () => {
  fc.assert(
    fc.property(
      sortedTimes,
      sortedTimes,
      fc.integer({ min: -10, max: 410 }),
      fc.integer({ min: 0, max: 420 }),
      (ta, tb, f, len) => {
        const a = legFrom(ta, 1);
        const b = legFrom(tb, 2);
        const from = f * 1000;
        const to = from + len * 1000;
        const full = alignFast(a, b);
        const got = alignFastCloses(a, b, 1000, from, to);
        const keep = [...full.ts.keys()].filter((k) => full.ts[k] >= from && full.ts[k] < to);
        assert.deepEqual(
          [...got.ts],
          keep.map((k) => full.ts[k]),
        );
        assert.deepEqual(
          [...got.closeA],
          keep.map((k) => full.a.close[k]),
        );
        assert.deepEqual(
          [...got.closeB],
          keep.map((k) => full.b.close[k]),
        );
      },
    ),
    { numRuns: 300 },
  );
});

test("slowFastIndex: a fast row belongs to the slow bar its close falls in; gap rows to none", () => {
  const slowTs = Float64Array.from([0, 300, 900, 1200].map((s) => s * 1000));
  const fastSec = [-5, 0, 1, 299, 300, 450, 899, 900, 1499, 1500];
  const fast = {
    n: fastSec.length,
    ts: Float64Array.from(fastSec, (s) => s * 1000),
    closeA: Float64Array.from(fastSec, (s, j) => 100 + j),
    closeB: Float64Array.from(fastSec, () => 50),
    barMs: 1000,
  };
  const idx = slowFastIndex(slowTs, 300_000, fast);
  const ranges = [...idx.fastLo].map((lo, k) => fastSec.slice(lo, idx.fastHi[k]));
  // −5 is before bar 0, 899 in the hole between bars 1 and 2, 1500 after bar 3
  assert.deepEqual(ranges, [[0, 1, 299], [300, 450], [900], [1499]]);
  assert.deepEqual([idx.minA[0], idx.maxA[0]], [101, 103], "extremes of bar 0's fast closes");
});

test("fast data that starts late, ends early or misses a day is refused, naming the leg", () => {
  const day = (d: number, n: number) => Array.from({ length: n }, (_, k) => d * 86_400_000 + k * 300_000);
  const slowTs = Float64Array.from([...day(0, 4), ...day(1, 4), ...day(2, 4)]);
  const tradingDay = Int32Array.from(slowTs, (t) => Math.floor(t / 86_400_000));
  const fastOf = (ts: number[]) => Float64Array.from(ts.flatMap((t) => [t, t + 1000]));
  const covers = (ts: number[]) => checkFastCoverage("b", fastOf(ts), slowTs, 300_000, tradingDay);
  assert.deepEqual(covers([...slowTs]), { emptySlowBars: 0 });
  assert.deepEqual(
    covers([...slowTs].filter((_, k) => k !== 5)),
    { emptySlowBars: 1 },
    "a quiet bar is counted",
  );
  const refused = (ts: number[], pattern: RegExp) =>
    assert.throws(
      () => covers(ts),
      (e: unknown) => e instanceof InputError && e.path === "data.b.fast" && pattern.test(e.message),
    );
  refused([...slowTs].slice(2), /do not cover the slow bars/);
  refused([...slowTs].slice(0, -1), /do not cover the slow bars/);
  refused(
    [...slowTs].filter((_, k) => k < 4 || k >= 8),
    /no fast bar on trading day 1970-01-02/,
  );
});

test("synthetic fast data loads over the slow span, consistent with the slow closes", async () => {
  const dir = writeSynth(3, 3);
  dirs.push(dir);
  const spec = synthSpec(dir, {}, { end: "2024-01-03" });
  const sp = await loadSlowPair(spec);
  const fl = await loadFastCloses(spec, sp);
  const { fast } = fl;
  const n = sp.pair.ts.length;
  assert.ok(
    fast.ts[0] >= sp.pair.ts[0] && fast.ts[fast.n - 1] < sp.pair.ts[n - 1] + sp.barMs,
    "inside the slow span",
  );
  const idx = slowFastIndex(sp.pair.ts, sp.barMs, fast);
  let matched = 0;
  for (let k = 0; k < n; k++) {
    const last = idx.fastHi[k] - 1;
    if (last < idx.fastLo[k] || fast.ts[last] + fast.barMs !== sp.pair.ts[k] + sp.barMs) continue;
    // the last fast bar closing at the slow close carries the slow close (data synth's contract)
    assert.equal(fast.closeA[last], sp.pair.a.close[k]);
    assert.equal(fast.closeB[last], sp.pair.b.close[k]);
    matched++;
  }
  assert.ok(matched > 0.9 * n, `most slow bars end on a fast bar (${matched} of ${n})`);
  assert.equal(fl.coverage.a.emptySlowBars + fl.coverage.b.emptySlowBars, 0);
});

test("loadFastPair (data check --fast): the full bars' union alignment, closes only, days trimmed", async () => {
  const dir = writeSynth(4, 5);
  dirs.push(dir);
  // uncached; cached on a miss (parsed, the entry written, two columns kept); cached on a hit
  const cacheDir = join(dir, "cache");
  const saved = process.env.PAIRGRID_CACHE_DIR;
  process.env.PAIRGRID_CACHE_DIR = cacheDir;
  const lengths: number[] = [];
  try {
    for (const data of [{}, { start: "2024-01-03", end: "2024-01-04" }]) {
      for (const [k, cache] of [false, true, true].entries()) {
        const spec = synthSpec(dir, {}, { ...data, cache });
        const { closes, barMs, reports } = await loadFastPair(spec);
        // what it did before reading closes only: every column of both legs, aligned, then trimmed
        const opts = legLoadOptions(synthSpec(dir, {}, { ...data, cache: false }), "fast");
        const a = await loadLeg(spec.data.a.fast!, opts);
        const b = await loadLeg(spec.data.b.fast!, opts);
        const cal = new SessionCalendar(spec.session);
        const full = sliceToDays(alignFast(a.bars, b.bars), barMs, cal, spec.data.start, spec.data.end);
        assert.ok(full.ts.length > 1000, `${full.ts.length} fast rows`);
        assert.equal(closes.n, full.ts.length);
        assert.deepEqual(closes.ts, full.ts);
        assert.deepEqual(closes.closeA, full.a.close);
        assert.deepEqual(closes.closeB, full.b.close);
        lengths.push(closes.n);
        if (cache) assert.ok(existsSync(join(cacheDir, "bars")), "entries written");
        if (k !== 1) assert.equal(reports.a.fromCache && reports.b.fromCache, k === 2, `load ${k}`);
      }
    }
  } finally {
    if (saved === undefined) delete process.env.PAIRGRID_CACHE_DIR;
    else process.env.PAIRGRID_CACHE_DIR = saved;
  }
  assert.ok(lengths[3]! < lengths[0]!, `data.start/end trim (${lengths[3]} of ${lengths[0]} rows)`);
  // days without bars: the slow pair's error, naming data.start
  for (const data of [{ start: "2030-01-01" }, { end: "2020-01-01" }]) {
    await assert.rejects(
      loadFastPair(synthSpec(dir, {}, data)),
      (e: unknown) => e instanceof InputError && e.path === "data.start" && /no bars between/.test(e.message),
    );
  }
});

test("a fast file ending before the slow data is an InputError at data.b.fast", async () => {
  const dir = writeSynth(2, 4);
  dirs.push(dir);
  const file = join(dir, "YM_fast.csv");
  const lines = readFileSync(file, "utf8").split("\n");
  writeFileSync(file, lines.slice(0, Math.floor(lines.length / 2)).join("\n") + "\n");
  const spec = synthSpec(dir);
  const sp = await loadSlowPair(spec);
  await assert.rejects(
    loadFastCloses(spec, sp),
    (e: unknown) => e instanceof InputError && e.path === "data.b.fast",
  );
});
