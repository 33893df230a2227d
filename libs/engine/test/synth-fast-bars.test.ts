// Fast bars against the slow bars they fill (the contract of intrabar-path.ts): for every slow bar
// of each leg, its fast bars lie inside it, the last one closes at the slow close, the slow
// open/high/low/volume are the fast bars' first open, max, min and sum; a missing slow bar has none;
// about 60–70 % of the fast slots hold a bar.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type SynthMeta, writeSynthFiles } from "../src/synth/index.js";
import { type CsvBars, readSierra, secondOfDay } from "./synth-helpers.js";

let root = "";
const runs: { name: string; barMinutes: number; fastSeconds: number; meta?: SynthMeta }[] = [
  { name: "5m-1s", barMinutes: 5, fastSeconds: 1 },
  { name: "1m-5s", barMinutes: 1, fastSeconds: 5 },
];
before(() => {
  root = mkdtempSync(join(tmpdir(), "pairgrid-synth-fast-"));
  for (const r of runs) {
    r.meta = writeSynthFiles(join(root, r.name), {
      days: 3,
      seed: 4,
      bar_minutes: r.barMinutes,
      fast_seconds: r.fastSeconds,
      model: "market", // the default; named so this stays the market model's 1-second check
    });
  }
});
after(() => rmSync(root, { recursive: true, force: true }));

/** Fast rows grouped under the slow bar (date + slot start) that contains them. */
function groupBySlow(fast: CsvBars, barSeconds: number): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (let i = 0; i < fast.close.length; i++) {
    const s = secondOfDay(fast.time[i]);
    const start = s - (s % barSeconds);
    const key = `${fast.date[i]} ${start}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(i);
  }
  return groups;
}

for (const r of runs) {
  for (const sym of ["NQ", "YM"]) {
    test(`${r.name} ${sym}: every slow bar is the sum of its fast bars`, () => {
      const dir = join(root, r.name);
      const slow = readSierra(join(dir, `${sym}.csv`));
      const fast = readSierra(join(dir, `${sym}_fast.csv`));
      const barSeconds = r.barMinutes * 60;
      const groups = groupBySlow(fast, barSeconds);
      assert.equal(
        groups.size,
        slow.close.length,
        "fast bars only inside present slow bars, and in all of them",
      );
      let prevKey = "";
      for (let i = 0; i < slow.close.length; i++) {
        const key = `${slow.date[i]} ${secondOfDay(slow.time[i])}`;
        const rows = groups.get(key);
        assert.ok(rows, `slow bar ${slow.stamp[i]} has fast bars`);
        const last = rows[rows.length - 1];
        assert.equal(fast.close[last], slow.close[i], `last fast close = slow close at ${slow.stamp[i]}`);
        assert.equal(fast.open[rows[0]], slow.open[i], `open at ${slow.stamp[i]}`);
        assert.equal(Math.max(...rows.map((j) => fast.high[j])), slow.high[i], `high at ${slow.stamp[i]}`);
        assert.equal(Math.min(...rows.map((j) => fast.low[j])), slow.low[i], `low at ${slow.stamp[i]}`);
        const sum = (xs: number[]) => rows.reduce((s, j) => s + xs[j], 0);
        assert.equal(sum(fast.volume), slow.volume[i]);
        assert.equal(sum(fast.trades), slow.trades[i]);
        assert.equal(sum(fast.bid), slow.bid[i]);
        assert.ok(key !== prevKey);
        prevKey = key;
      }
      // fast bars are in time order, on their grid
      for (let j = 1; j < fast.close.length; j++) {
        if (fast.date[j] === fast.date[j - 1])
          assert.ok(secondOfDay(fast.time[j]) > secondOfDay(fast.time[j - 1]));
        assert.equal(secondOfDay(fast.time[j]) % r.fastSeconds, 0);
      }
    });
  }

  test(`${r.name}: 93–97 % of fast slots hold a bar, missing slow bars hold none`, () => {
    const { a, b } = r.meta!.legs;
    const slotsPerBar = (r.barMinutes * 60) / r.fastSeconds;
    for (const leg of [a, b]) {
      const share = leg.fast_bars / (leg.bars * slotsPerBar);
      assert.ok(share > 0.93 && share < 0.97, `${leg.symbol}: ${share}`);
    }
  });
}
