// `pairgrid indicators` on synthetic data, every column checked against an independent
// computation: the test parses the Sierra files itself (luxon for local time), joins the legs,
// and recomputes each window from scratch (two-pass), the calendar per bar with luxon.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { mackinnonPValue } from "@pairgrid/stats";
import { DateTime } from "luxon";
import { pairgrid } from "./cli-helpers.js";

const dir = mkdtempSync(join(tmpdir(), "pairgrid-ind-"));
const cache = join(dir, "cache");
const W = { ols: 300, z: 60, corr: 200, hurst: 150, hl: 120, adf: 180 };
const LAGS = [2, 4, 8, 16];

function parseSierra(file: string): Map<number, number> {
  const lines = readFileSync(file, "utf8").trim().split("\n");
  const out = new Map<number, number>();
  for (const line of lines.slice(1)) {
    const f = line.split(",").map((s) => s.trim());
    const [y, mo, d] = f[0]!.split(/[/-]/).map(Number);
    const [h, mi, s] = f[1]!.split(":").map(Number);
    const t = DateTime.fromObject(
      { year: y, month: mo, day: d, hour: h, minute: mi, second: s },
      { zone: "America/New_York" },
    );
    out.set(t.toMillis(), Number(f[5]));
  }
  return out;
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
function cov(a: number[], b: number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - ma) * (b[i]! - mb);
  return s / (a.length - 1);
}
const std = (v: number[]) => Math.sqrt(cov(v, v));
function win(arr: number[], i: number, w: number): number[] | null {
  if (i - w + 1 < 0) return null;
  const out = arr.slice(i - w + 1, i + 1);
  return out.some((v) => !Number.isFinite(v)) ? null : out;
}

function close(actual: string, expected: number, what: string, floor = 1e-12): void {
  if (Number.isNaN(expected)) {
    assert.equal(actual, "", `${what}: expected empty (NaN), got ${actual}`);
    return;
  }
  if (expected === Infinity) {
    assert.equal(actual, "inf", what);
    return;
  }
  assert.notEqual(actual, "", `${what}: expected ${expected}, got empty`);
  const a = Number(actual);
  const tol = Math.max(1e-9 * Math.abs(expected), floor);
  assert.ok(
    Math.abs(a - expected) <= tol,
    `${what}: ${a} vs two-pass ${expected} (|Δ| ${Math.abs(a - expected)})`,
  );
}

test("pairgrid indicators matches an independent two-pass computation in every column", () => {
  const synth = pairgrid(["data", "synth", "--out", join(dir, "data"), "--days", "25", "--seed", "11"]);
  assert.equal(synth.status, 0, synth.stderr);
  const spec = {
    name: "ind",
    data: {
      a: { symbol: "NQ", slow: "data/NQ.csv", multiplier: 20, tick_size: 0.25 },
      b: { symbol: "YM", slow: "data/YM.csv", multiplier: 5, tick_size: 1 },
      bar_minutes: 5,
    },
    session: {
      tz: "America/New_York",
      day_roll: "18:00",
      flat_time: "16:55",
      entry_start: "09:30",
      entry_end: "15:00",
    },
    params: {
      ols_window: W.ols,
      zscore_window: W.z,
      z_entry: 2,
      corr_window: W.corr,
      hurst_window: W.hurst,
      hl_window: W.hl,
      adf_window: W.adf,
    },
    gates: { hurst_lags: LAGS },
  };
  writeFileSync(join(dir, "spec.json"), JSON.stringify(spec));
  const out = join(dir, "ind.csv");
  const r = pairgrid(["indicators", join(dir, "spec.json"), "--out", out], { PAIRGRID_CACHE_DIR: cache });
  assert.equal(r.status, 0, r.stderr);

  // independent inputs
  const A = parseSierra(join(dir, "data/NQ.csv"));
  const B = parseSierra(join(dir, "data/YM.csv"));
  const ts = [...A.keys()].filter((t) => B.has(t)).sort((p, q) => p - q);
  const y = ts.map((t) => Math.log(A.get(t)!));
  const x = ts.map((t) => Math.log(B.get(t)!));
  const n = ts.length;

  const lines = readFileSync(out, "utf8").trimEnd().split("\n");
  const header = lines[0]!.split(",");
  assert.deepEqual(header, [
    "ts",
    "a",
    "b",
    "beta",
    "alpha",
    "spread",
    "mu",
    "sigma",
    "z",
    "corr",
    "hurst",
    "half_life",
    "adf_stat",
    "adf_pvalue",
    "trading_day",
    "eod",
    "window_ok",
  ]);
  const rows = lines.slice(1).map((l) => l.split(","));
  assert.equal(rows.length, n, "aligned bar count");
  const col = (name: string) => header.indexOf(name);

  // two-pass hedge and spread
  const beta: number[] = [];
  const alpha: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < n; i++) {
    const wy = win(y, i, W.ols);
    const wx = win(x, i, W.ols);
    if (!wy || !wx) {
      beta.push(NaN);
      alpha.push(NaN);
    } else {
      const b = cov(wx, wy) / cov(wx, wx);
      beta.push(b);
      alpha.push(mean(wy) - b * mean(wx));
    }
    s.push(y[i]! - beta[i]! * x[i]! - alpha[i]!);
  }
  const rets = (v: number[]) => v.map((p, i) => (i === 0 ? NaN : p - v[i - 1]!));
  const ry = rets(y);
  const rx = rets(x);

  const day = (ms: number) => {
    const local = DateTime.fromMillis(ms, { zone: "America/New_York" });
    const after =
      local.hour * 60 + local.minute > 18 * 60 ||
      (local.hour * 60 + local.minute === 18 * 60 && local.second + local.millisecond > 0);
    return (after ? local.plus({ days: 1 }) : local).toISODate()!;
  };
  const m = (ms: number) => {
    const local = DateTime.fromMillis(ms, { zone: "America/New_York" });
    const mins = (local.hour * 60 + local.minute - 18 * 60 + 1440) % 1440;
    return mins === 0 ? 1440 : mins;
  };
  const mFlat = (16 * 60 + 55 - 18 * 60 + 1440) % 1440;
  const mStart = (9 * 60 + 30 - 18 * 60 + 1440) % 1440;
  const mEnd = (15 * 60 - 18 * 60 + 1440) % 1440;
  const L = 5 * 60_000;

  let zChecked = 0;
  let gateChecked = 0;
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    const at = `bar ${i}`;
    assert.equal(Number(row[col("ts")]), ts[i], `${at} ts`);
    assert.equal(Number(row[col("a")]), A.get(ts[i]!), `${at} a`);
    assert.equal(Number(row[col("b")]), B.get(ts[i]!), `${at} b`);
    close(row[col("beta")]!, beta[i]!, `${at} beta`);
    close(row[col("alpha")]!, alpha[i]!, `${at} alpha`);
    close(row[col("spread")]!, s[i]!, `${at} spread`);
    const ws = win(s, i, W.z);
    const mu = ws ? mean(ws) : NaN;
    const sd = ws ? std(ws) : NaN;
    close(row[col("mu")]!, mu, `${at} mu`);
    close(row[col("sigma")]!, sd, `${at} sigma`);
    // z = (s − mu)/sigma inherits the spread's absolute rounding (a few ulp of the log price,
    // ≈ 2e-15) divided by sigma (≈ 1e-4): near z = 0 two correct computations differ by ~1e-11,
    // so the absolute floor for z is that conditioning bound, not a fixed 1e-12.
    const zFloor = Math.max(1e-12, (16 * Number.EPSILON * Math.abs(y[i]!)) / sd);
    close(row[col("z")]!, ws && sd > 0 ? (s[i]! - mu) / sd : NaN, `${at} z`, zFloor);
    if (ws) zChecked++;

    const wry = i >= W.corr ? win(ry, i, W.corr) : null;
    const wrx = i >= W.corr ? win(rx, i, W.corr) : null;
    close(row[col("corr")]!, wry && wrx ? cov(wry, wrx) / (std(wry) * std(wrx)) : NaN, `${at} corr`);

    let hurst = NaN;
    const sds: number[] = [];
    for (const lag of LAGS) {
      const d: number[] = [];
      for (let t = i - W.hurst + 1; t <= i; t++) d.push(t - lag >= 0 ? s[t]! - s[t - lag]! : NaN);
      if (d.some((v) => !Number.isFinite(v))) break;
      sds.push(std(d));
    }
    if (sds.length === LAGS.length && sds.every((v) => v > 0)) {
      const lx = LAGS.map(Math.log);
      const ly = sds.map(Math.log);
      hurst = cov(lx, ly) / cov(lx, lx);
    }
    close(row[col("hurst")]!, hurst, `${at} hurst`);

    let hl = NaN;
    let hlTol = 1e-9;
    const cur = i - W.hl >= 0 ? win(s, i, W.hl) : null;
    const prev = i - W.hl >= 0 ? win(s, i - 1, W.hl) : null;
    if (cur && prev) {
      const b = cov(cur, prev) / cov(prev, prev);
      hl = b > 0 && b < 1 ? -Math.LN2 / Math.log(b) : Infinity;
      // HL = −ln 2 / ln b amplifies b's relative error by 1/|ln b| (≈ 2e4 at HL ≈ 1e4 bars):
      // require b itself to 1e-12 relative, which is what that means for HL.
      if (b > 0 && b < 1) hlTol = Math.max(1e-9, 1e-12 / Math.abs(Math.log(b)));
    }
    close(row[col("half_life")]!, hl, `${at} half_life`, Number.isFinite(hl) ? hlTol * hl : 1e-12);

    let stat = NaN;
    const lev = i - W.adf >= 0 ? win(s, i - 1, W.adf) : null;
    const now = i - W.adf >= 0 ? win(s, i, W.adf) : null;
    if (lev && now) {
      const dy = now.map((v, k) => v - lev[k]!);
      const g = cov(lev, dy) / cov(lev, lev);
      const c = mean(dy) - g * mean(lev);
      let rss = 0;
      for (let k = 0; k < dy.length; k++) rss += (dy[k]! - c - g * lev[k]!) ** 2;
      const sxx = cov(lev, lev) * (lev.length - 1);
      stat = g / Math.sqrt(rss / (dy.length - 2) / sxx);
      gateChecked++;
    }
    // The statistic is O(1) (gates compare it with ≈ −3); near 0 its γ is a small difference of
    // nearly equal products, so relative error is meaningless there: absolute floor 1e-10.
    close(row[col("adf_stat")]!, stat, `${at} adf_stat`, 1e-10);
    close(row[col("adf_pvalue")]!, Number.isNaN(stat) ? NaN : mackinnonPValue(stat), `${at} adf_pvalue`);

    const ct = ts[i]! + L;
    assert.equal(row[col("trading_day")], day(ct), `${at} trading_day`);
    const nextDiffers = i + 1 < n && day(ts[i + 1]! + L) !== day(ct);
    assert.equal(row[col("eod")], m(ct) >= mFlat || nextDiffers ? "1" : "0", `${at} eod`);
    assert.equal(row[col("window_ok")], m(ct) >= mStart && m(ct) < mEnd ? "1" : "0", `${at} window_ok`);
  }
  assert.ok(zChecked > n * 0.8, `z defined on ${zChecked} of ${n} bars`);
  assert.ok(gateChecked > n * 0.8);
});
