// Files of `writeSynthFiles`: byte-identical for the same options, the slow closes unchanged by
// adding fast bars, Sierra Chart format, tick rounding, consistent OHLC, synth.json counts.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { DateTime } from "luxon";
import { SIERRA_HEADER, synthesizePair, writeSynthFiles } from "../src/synth/index.js";
import { readSierra } from "./synth-helpers.js";

let root = "";
const dir = (name: string) => join(root, name);
before(() => {
  root = mkdtempSync(join(tmpdir(), "pairgrid-synth-"));
  writeSynthFiles(dir("fast1"), { days: 2, seed: 11, fast_seconds: 1 });
  writeSynthFiles(dir("fast2"), { days: 2, seed: 11, fast_seconds: 1 });
  writeSynthFiles(dir("slow"), { days: 2, seed: 11 });
  writeSynthFiles(dir("other"), { days: 2, seed: 12 });
});
after(() => rmSync(root, { recursive: true, force: true }));

const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

test("same options, identical bytes in every file", () => {
  const names = readdirSync(dir("fast1")).sort();
  assert.deepEqual(names, ["NQ.csv", "NQ_fast.csv", "YM.csv", "YM_fast.csv", "synth.json"]);
  for (const f of names) assert.equal(sha(join(dir("fast1"), f)), sha(join(dir("fast2"), f)), f);
  assert.deepEqual(readdirSync(dir("slow")).sort(), ["NQ.csv", "YM.csv", "synth.json"]);
});

test("another seed, other data", () => {
  assert.notEqual(sha(join(dir("slow"), "NQ.csv")), sha(join(dir("other"), "NQ.csv")));
});

test("slow bars keep their times, closes and volumes with or without fast bars", () => {
  for (const sym of ["NQ", "YM"]) {
    const withFast = readSierra(join(dir("fast1"), `${sym}.csv`));
    const slowOnly = readSierra(join(dir("slow"), `${sym}.csv`));
    assert.deepEqual(withFast.stamp, slowOnly.stamp, sym);
    assert.deepEqual(withFast.close, slowOnly.close, sym);
    assert.deepEqual(withFast.volume, slowOnly.volume, sym);
  }
});

test("Sierra Chart layout: header, YYYY/M/D dates, HH:MM:SS times, fixed tick decimals", () => {
  for (const f of ["NQ.csv", "YM.csv", "NQ_fast.csv", "YM_fast.csv"]) {
    const bars = readSierra(join(dir("fast1"), f));
    assert.equal(bars.header, SIERRA_HEADER);
    assert.ok(
      bars.date.every((d) => /^\d{4}\/[1-9]\d?\/[1-9]\d?$/.test(d)),
      f,
    );
    assert.ok(
      bars.time.every((t) => /^\d{2}:\d{2}:\d{2}$/.test(t)),
      f,
    );
    const price = f.startsWith("NQ") ? /^\d+\.(00|25|50|75)$/ : /^\d+$/;
    for (const row of bars.text) for (const p of row) assert.match(p, price, f);
  }
  const raw = readFileSync(join(dir("slow"), "NQ.csv"), "latin1").split("\n");
  assert.equal(raw[1].slice(0, 20), "2024/1/1, 18:00:00, ");
  assert.equal(raw.at(-1), "", "file ends with a newline");
});

test("prices on the tick and OHLC consistent, volumes split into bid + ask", () => {
  for (const f of ["NQ.csv", "YM.csv", "NQ_fast.csv", "YM_fast.csv"]) {
    const b = readSierra(join(dir("fast1"), f));
    const tick = f.startsWith("NQ") ? 0.25 : 1;
    for (let i = 0; i < b.close.length; i++) {
      for (const p of [b.open[i], b.high[i], b.low[i], b.close[i]])
        assert.equal(p / tick, Math.round(p / tick));
      const lo = Math.min(b.open[i], b.close[i]);
      const hi = Math.max(b.open[i], b.close[i]);
      assert.ok(b.low[i] <= lo && hi <= b.high[i], `${f} row ${i}`);
      assert.ok(b.volume[i] >= 1 && b.trades[i] >= 1 && b.trades[i] <= b.volume[i], `${f} row ${i}`);
      assert.equal(b.bid[i] + b.ask[i], b.volume[i]);
    }
  }
});

test("synth.json: settings, contract terms, file names and bar counts", () => {
  const meta = JSON.parse(readFileSync(join(dir("fast1"), "synth.json"), "utf8"));
  assert.deepEqual(meta.settings, {
    days: 2,
    seed: 11,
    bar_minutes: 5,
    fast_seconds: 1,
    start: "2024-01-02",
    model: "market",
  });
  assert.equal(meta.tz, "America/New_York");
  assert.equal(meta.first_trading_day, "2024-01-02");
  assert.equal(meta.last_trading_day, "2024-01-03");
  const { a, b } = meta.legs;
  assert.deepEqual(
    [a.symbol, a.multiplier, a.tick_size, a.file, a.fast_file],
    ["NQ", 20, 0.25, "NQ.csv", "NQ_fast.csv"],
  );
  assert.deepEqual(
    [b.symbol, b.multiplier, b.tick_size, b.file, b.fast_file],
    ["YM", 5, 1, "YM.csv", "YM_fast.csv"],
  );
  for (const [leg, sym] of [
    [a, "NQ"],
    [b, "YM"],
  ]) {
    assert.equal(readSierra(join(dir("fast1"), `${sym}.csv`)).close.length, leg.bars);
    assert.equal(readSierra(join(dir("fast1"), `${sym}_fast.csv`)).close.length, leg.fast_bars);
    assert.equal(leg.bars + leg.missing_bars, meta.slots);
  }
  assert.equal(meta.slots, 2 * 276);
  assert.ok(meta.fast_bars.consistency.includes("last present fast bar"));
});

test("synthesizePair gives the slow files' bars", () => {
  const mem = synthesizePair({ days: 2, seed: 11 });
  for (const [leg, sym] of [
    [mem.a, "NQ"],
    [mem.b, "YM"],
  ] as const) {
    const file = readSierra(join(dir("slow"), `${sym}.csv`));
    assert.deepEqual([...leg.close], file.close);
    assert.deepEqual([...leg.open], file.open);
    assert.deepEqual([...leg.high], file.high);
    assert.deepEqual([...leg.low], file.low);
    assert.deepEqual([...leg.volume], file.volume);
    const stamps = [...leg.ts].map((t) =>
      DateTime.fromMillis(t, { zone: "America/New_York" }).toFormat("yyyy/M/d HH:mm:ss"),
    );
    assert.deepEqual(stamps, file.stamp);
  }
  assert.equal(mem.meta.legs.a.file, null);
});
