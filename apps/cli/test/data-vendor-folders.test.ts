// `pairgrid data check` on legs given as folders of daily Databento files (a parent-symbol
// download with two contracts): every roll is listed with its trading day, contracts and gap per
// leg; data.start/end trim the fast pair like the slow one.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { pairgrid } from "./cli-helpers.js";

const dir = mkdtempSync(join(tmpdir(), "pairgrid-vendor-"));
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 5, 3, 14); // Monday 2024-06-03 10:00 New York
const HEADER = "ts_event,rtype,publisher_id,instrument_id,open,high,low,close,volume,symbol";
const px = (p: number) => `${Math.round(p * 4) * 250_000_000}`; // 1e-9 fixed point, quarter ticks

/**
 * 3 daily files for one leg: front and next contract interleaved, 120 one-second bars a day; the
 * next contract trades `gap` higher and takes the volume on day 2 (so it is the front on day 3).
 */
function leg(
  name: string,
  ids: [number, string, number, string],
  base: number,
  gap: number,
  { barMs = 1000, rtype = 32, cycle = 5 } = {},
): string {
  const folder = join(dir, name);
  mkdirSync(folder);
  const [oldId, oldSym, newId, newSym] = ids;
  for (let d = 0; d < 3; d++) {
    const rows = [HEADER];
    for (let i = 0; i < 120; i++) {
      const ts = `${T0 + d * DAY + i * barMs}000000`;
      const p = base + d + (i % cycle) * 0.25 + ((i * i) % 11) * 0.25;
      const [vOld, vNew] = d === 0 ? [50, 2] : [2, 50];
      rows.push(
        `${ts},${rtype},1,${oldId},${px(p)},${px(p + 0.25)},${px(p - 0.25)},${px(p)},${vOld},${oldSym}`,
      );
      rows.push(
        `${ts},${rtype},1,${newId},${px(p + gap)},${px(p + gap + 0.25)},${px(p + gap - 0.25)},${px(p + gap)},${vNew},${newSym}`,
      );
    }
    const text = `${rows.join("\n")}\n`;
    const day = `2024060${3 + d}`;
    // a vendor folder mixes plain and gzip files
    if (d === 1) writeFileSync(join(folder, `glbx-mdp3-${day}.ohlcv-1s.csv.gz`), gzipSync(text));
    else writeFileSync(join(folder, `glbx-mdp3-${day}.ohlcv-1s.csv`), text);
  }
  return name;
}

const es = leg("ES", [5602, "ESM4", 118, "ESU4"], 5300, 73.25);
const ym = leg("YM", [7801, "YMM4", 402, "YMU4"], 39000, 421);

function spec(extra: Record<string, unknown>, legs: [string, string] = [es, ym]): string {
  const s = {
    name: "vendor",
    data: {
      a: { symbol: "ES", slow: legs[0], fast: legs[0], multiplier: 50, tick_size: 0.25 },
      b: { symbol: "YM", slow: legs[1], fast: legs[1], multiplier: 5, tick_size: 1 },
      format: "databento",
      bar_minutes: 1,
      fast_seconds: 1,
      cache: false,
      roll: { select: "volume", adjust: "difference" },
      ...extra,
    },
    params: { ols_window: 2, zscore_window: 2, z_entry: 2 },
  };
  const p = join(dir, `spec-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(p, JSON.stringify(s));
  return p;
}

test("data check lists every roll per leg: trading day, old → new contract, gap", () => {
  const r = pairgrid(["data", "check", spec({})]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /leg a: .*ES \(3 files\): 720 rows → 6 bars/);
  assert.match(r.stdout, /roll 2024-06-05: 5602 ESM4 → 118 ESU4, gap \+73\.25 .*adjusted by difference/);
  assert.match(r.stdout, /roll 2024-06-05: 7801 YMM4 → 402 YMU4, gap \+421 .*adjusted by difference/);
  const json = JSON.parse(pairgrid(["data", "check", spec({}), "--json"]).stdout) as {
    legs: Record<string, { rolls: { day: string; gap: number; from: string; to: string }[] }>;
  };
  assert.deepEqual(
    json.legs.a!.rolls.map((x) => [x.day, x.from, x.to, x.gap]),
    [["2024-06-05", "5602", "118", 73.25]],
  );
});

test("data.start/end trim the fast pair too", () => {
  const r = pairgrid(["data", "check", spec({ start: "2024-06-04", end: "2024-06-04" }), "--fast", "--json"]);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { bars: number; first: string; last: string };
  assert.equal(out.bars, 120);
  assert.equal(out.first, "2024-06-04T14:00:00.000Z");
  assert.equal(out.last, "2024-06-04T14:01:59.000Z");
});

test("data.roll on a format without contracts is refused with its field", () => {
  const r = pairgrid(["data", "check", spec({ format: "sierra" })]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /data\.roll: only for format databento/);
});

// 1-minute files (rtype 33): 120 bars a day, the roll on day 3 as above
const esMin = leg("ES-1m", [5602, "ESM4", 118, "ESU4"], 5300, 73.25, { barMs: 60_000, rtype: 33, cycle: 5 });
const ymMin = leg("YM-1m", [7801, "YMM4", 402, "YMU4"], 39000, 421, { barMs: 60_000, rtype: 33, cycle: 7 });

/** The trades of one backtest that holds from its first entry to the end of the data. */
function heldTrades(adjust: string): Record<string, string>[] {
  const path = spec({ roll: { select: "volume", adjust } }, [esMin, ymMin]);
  const trades = join(dir, `trades-${adjust}.csv`);
  const sets = ["ols_window=20", "zscore_window=20", "z_entry=1", "z_exit=-0.99"];
  const r = pairgrid(["backtest", path, ...sets.flatMap((x) => ["--set", x]), "--trades", trades, "--json"]);
  assert.equal(r.status, 0, r.stderr);
  const [head, ...rows] = readFileSync(trades, "utf8").trim().split("\n");
  const names = head!.split(",");
  return rows.map((line) => Object.fromEntries(line.split(",").map((v, k) => [names[k]!, v])));
}

test("a trade held across the roll is priced on the adjusted series: no gap in its PnL", () => {
  const rollDay = "2024-06-05";
  const spans = (t: Record<string, string>) =>
    t.exit_day! >= rollDay && Number(t.entry_ts) < Date.UTC(2024, 5, 5);
  const adjusted = heldTrades("difference").filter(spans);
  const raw = heldTrades("none").filter(spans);
  assert.ok(adjusted.length > 0 && raw.length > 0, "a trade spans the roll");
  for (const t of adjusted) {
    // entry on the old contract shifted by the gap, exit on the new one: a move of a few ticks
    assert.ok(Math.abs(Number(t.exit_a) - Number(t.entry_a)) < 10, `ES move ${t.entry_a} → ${t.exit_a}`);
    assert.ok(Math.abs(Number(t.exit_b) - Number(t.entry_b)) < 20, `YM move ${t.entry_b} → ${t.exit_b}`);
  }
  // unadjusted, the same trade's ES leg jumps by the roll's gap
  assert.ok(raw.some((t) => Math.abs(Number(t.exit_a) - Number(t.entry_a) - 73.25) < 10));
});
