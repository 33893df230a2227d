// The real ES/NQ 2015 1-minute files (data/es-nq-2015-1min, in the repository): `;`-delimited, bar-END
// labels, `24:00`, US Central time, zero-volume filler rows. Counts are checked against an
// independent reading of the file with luxon.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { DateTime } from "luxon";
import { alignSlow, type LoadLegOptions, loadLeg } from "../src/loaders/index.js";

// compiled to libs/engine/dist/test/: the repo root is four folders up
const root = process.env.PAIRGRID_ROOT || fileURLToPath(new URL("../../../../", import.meta.url));
const DATA = join(root, "data", "es-nq-2015-1min");

const opts = (targetBarMs: number, dropZeroVolume: boolean): LoadLegOptions => ({
  format: "csv",
  tz: "America/Chicago",
  label: "end",
  fileBarMs: 60_000,
  delimiter: ";",
  columns: { timestamp: "Timestamp", close: "MidPrice", volume: "TradeVolume" },
  dropZeroVolume,
  lenient: false,
  targetBarMs,
  cacheDir: null,
});

/** Bar starts (UTC ms) of the file's rows, read independently of the loader. */
function independentStarts(file: string, nonZeroOnly: boolean): { rows: number; starts: number[] } {
  const lines = readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.length > 0);
  assert.equal(lines[0], "Timestamp;MidPrice;TradeVolume");
  const starts: number[] = [];
  const hourStart = new Map<string, number>(); // luxon is slow: ask it once per local hour
  for (const l of lines.slice(1)) {
    const [stamp, , vol] = l.split(";");
    if (nonZeroOnly && Number(vol) === 0) continue;
    const [date, time] = stamp.split(" ");
    const [hh, mm] = time.split(":");
    const key = `${date}T${hh}`;
    let h = hourStart.get(key);
    if (h === undefined) {
      const dt = DateTime.fromISO(`${date}T${hh === "24" ? "00" : hh}:00`, { zone: "America/Chicago" });
      h = (hh === "24" ? dt.plus({ days: 1 }) : dt).toMillis();
      hourStart.set(key, h);
    }
    starts.push(h + Number(mm) * 60_000 - 60_000);
  }
  return { rows: lines.length - 1, starts };
}

test("ES and NQ load as 5-minute bars matching an independent count", async () => {
  const legs = [];
  for (const sym of ["ES", "NQ"]) {
    const file = join(DATA, `${sym}.csv`);
    const { bars, report } = await loadLeg(file, opts(300_000, true));
    const ref = independentStarts(file, true);
    assert.equal(report.rowsRead, 92_160);
    assert.equal(report.rowsRead, independentStarts(file, false).rows);
    assert.equal(report.zeroVolumeDropped, report.rowsRead - ref.starts.length);
    const buckets = [...new Set(ref.starts.map((t) => Math.floor(t / 300_000) * 300_000))].sort(
      (a, b) => a - b,
    );
    assert.equal(bars.ts.length, buckets.length);
    assert.deepEqual(Array.from(bars.ts), buckets);
    for (let i = 1; i < bars.ts.length; i++) assert.ok(bars.ts[i] > bars.ts[i - 1]);
    legs.push(bars);
  }
  assert.equal(legs[0].ts.length, 16_250);
  assert.equal(legs[1].ts.length, 16_033);

  const pair = alignSlow(legs[0], legs[1]);
  assert.ok(pair.ts.length > 0.95 * Math.min(legs[0].ts.length, legs[1].ts.length));
  const es = pair.a.close;
  const nq = pair.b.close;
  for (let i = 0; i < pair.ts.length; i++) {
    assert.ok(es[i] > 1800 && es[i] < 2200, `ES ${es[i]}`);
    assert.ok(nq[i] > 3700 && nq[i] < 4700, `NQ ${nq[i]}`);
  }
  // 5-minute log returns of the two index futures move together
  const ra: number[] = [];
  const rb: number[] = [];
  for (let i = 1; i < pair.ts.length; i++) {
    ra.push(Math.log(es[i] / es[i - 1]));
    rb.push(Math.log(nq[i] / nq[i - 1]));
  }
  const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
  const ma = mean(ra);
  const mb = mean(rb);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < ra.length; i++) {
    sab += (ra[i] - ma) * (rb[i] - mb);
    saa += (ra[i] - ma) ** 2;
    sbb += (rb[i] - mb) ** 2;
  }
  assert.ok(sab / Math.sqrt(saa * sbb) > 0.8, `correlation ${sab / Math.sqrt(saa * sbb)}`);
});

test("ES: 2015-01-01 24:00 is the bar starting 2015-01-02T05:59Z", async () => {
  const file = join(DATA, "ES.csv");
  const { bars } = await loadLeg(file, opts(60_000, false));
  assert.equal(bars.ts.length, 92_160);
  const i = bars.ts.indexOf(Date.parse("2015-01-02T05:59:00Z"));
  assert.ok(i >= 0);
  assert.equal(bars.close[i], 2062.5); // the `2015-01-01 24:00;2062.5;48` row
  assert.equal(bars.volume[i], 48);
  assert.equal(bars.ts[i + 1], Date.parse("2015-01-02T06:00:00Z")); // `2015-01-02 00:01`
  assert.equal(bars.close[i + 1], 2062.125);
  // first row `2015-01-01 00:01` (CST) ends at 06:01Z and starts at 06:00Z
  assert.equal(bars.ts[0], Date.parse("2015-01-01T06:00:00Z"));
  // the 5-minute bar holding it: 05:55Z–06:00Z, closing at the 24:00 row
  const five = await loadLeg(file, opts(300_000, false));
  const k = five.bars.ts.indexOf(Date.parse("2015-01-02T05:55:00Z"));
  assert.equal(five.bars.close[k], 2062.5);
  assert.equal(five.bars.open[k], bars.open[i - 4]);
});
