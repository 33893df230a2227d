// The real ES/NQ Q1 2015 data (data/es-nq-2015-1min, in the repository) through `pairgrid indicators`
// with grids/es-nq-2015.yaml: semicolon CSV, bar-end labels with 24:00, US Central time and
// zero-volume filler rows, resampled to 5-minute bars.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { pairgrid, repoRoot } from "./cli-helpers.js";

test("grids/es-nq-2015.yaml runs through pairgrid indicators", () => {
  const dir = mkdtempSync(join(tmpdir(), "pairgrid-esnq-"));
  const out = join(dir, "esnq.csv");
  const r = pairgrid(["indicators", join(repoRoot, "grids/es-nq-2015.yaml"), "--out", out], {
    PAIRGRID_CACHE_DIR: join(dir, "cache"),
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /NQ\.csv: 92160 rows/);
  assert.match(r.stderr, /ES\.csv: 92160 rows/);
  const lines = readFileSync(out, "utf8").trimEnd().split("\n");
  const header = lines[0]!.split(",");
  const rows = lines.slice(1).map((l) => l.split(","));
  const col = (name: string) => rows.map((row) => row[header.indexOf(name)]!);
  // 5-minute bars of ~62 trading days; every bar starts on the 5-minute grid
  assert.ok(rows.length > 15_000 && rows.length < 17_000, `${rows.length} bars`);
  for (const t of col("ts")) assert.equal(Number(t) % 300_000, 0);
  // first bar: 2015-01-01 17:00 CT reopen → first 5-min bar starting 17:00 CT = 23:00 UTC
  assert.equal(new Date(Number(col("ts")[0])).toISOString(), "2015-01-01T23:00:00.000Z");
  // prices in the right ranges for each leg
  const a = col("a").map(Number);
  const b = col("b").map(Number);
  assert.ok(Math.min(...a) > 3800 && Math.max(...a) < 4600, "NQ range");
  assert.ok(Math.min(...b) > 1950 && Math.max(...b) < 2150, "ES range");
  // the pair is highly correlated and the statistics are defined after their windows
  const corr = col("corr")
    .filter((v) => v !== "")
    .map(Number);
  assert.ok(corr.length > rows.length * 0.9);
  const meanCorr = corr.reduce((s, v) => s + v, 0) / corr.length;
  assert.ok(meanCorr > 0.85 && meanCorr < 1, `mean corr ${meanCorr}`);
  const z = col("z")
    .filter((v) => v !== "")
    .map(Number);
  assert.ok(z.length > rows.length * 0.85);
  assert.ok(z.every((v) => Math.abs(v) < 20));
  const days = new Set(col("trading_day"));
  assert.ok(days.size >= 60 && days.size <= 80, `${days.size} trading days`);
});
