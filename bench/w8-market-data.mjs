// W8 — loading years of 1-second data (BENCH.md): a generated 1-second pair of 3 years in
// Databento-style daily files (half .csv.zst, half .csv.gz, one month of Parquet), loaded with
// `pairgrid data check --fast --json` cold (a fresh, empty cache folder) and again warm (the
// columnar cache filled by the cold run). Reported: rows/s per leg for each, the machine's load
// while it ran, and peak RSS against the size of the loaded columns.
//
// The files are made once with DuckDB (the engine's own dependency) into bench/.data/w8/: per UTC
// weekday 23 h of seconds, of which about 1 in 2 has a trade (a Databento ohlcv-1s file has a row
// only for seconds that traded), as a hash-driven tick walk. PAIRGRID_W8_DAYS=n makes a smaller
// set (a quick run; the JSON says so).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { root, writeSpec } from "./lib/bench-data.mjs";
import { median, sig } from "./lib/measure.mjs";

const cli = join(root, "apps", "cli", "bin", "pairgrid.js");
const DAY_MS = 86_400_000;
const FULL_DAYS = 3 * 261; // weekdays in 3 years
const START = Date.UTC(2021, 0, 4); // a Monday
const LEGS = {
  a: { symbol: "ES", id: 5602, raw: "ESH1", base: 3700, tick: 0.25, seed: 11 },
  b: { symbol: "YM", id: 7801, raw: "YMH1", base: 30000, tick: 1, seed: 23 },
};

function weekdays(n) {
  const out = [];
  for (let t = START; out.length < n; t += DAY_MS) {
    const dow = new Date(t).getUTCDay();
    if (dow !== 0 && dow !== 6) out.push(t);
  }
  return out;
}

/** Makes the daily files of both legs (once per day count); returns the data folder. */
export async function ensureW8Data(days) {
  const dir = join(root, "bench", ".data", `w8-${days}`);
  const done = join(dir, "done.json");
  if (existsSync(done)) return dir;
  process.stderr.write(
    `bench W8: making ${days} days of 1-second files per leg in ${dir} (first run only)\n`,
  );
  const db = await DuckDBInstance.create(":memory:", { threads: "2" });
  const con = await db.connect();
  const list = weekdays(days);
  // one Parquet month in the middle, the rest alternating zstd / gzip
  const parquetFrom = Math.floor(days / 2);
  const parquetTo = Math.min(days, parquetFrom + 21);
  for (const [leg, s] of Object.entries(LEGS)) {
    const legDir = join(dir, leg);
    mkdirSync(legDir, { recursive: true });
    for (let d = 0; d < list.length; d++) {
      const day0 = list[d];
      const ymd = new Date(day0).toISOString().slice(0, 10).replace(/-/g, "");
      const ext = d >= parquetFrom && d < parquetTo ? "parquet" : d % 2 === 0 ? "csv.zst" : "csv.gz";
      const file = join(legDir, `glbx-mdp3-${ymd}.ohlcv-1s.${ext}`);
      // seconds 00:00–23:00 UTC that traded (hash < 1/2); price: a walk of −1/0/+1 ticks from a
      // day-dependent level; prices in Databento's 1e-9 fixed point
      const level = s.base + ((d * 37) % 200) * s.tick * 4;
      const rows = `
        WITH sec AS (
          SELECT i, hash(i, ${d}, ${s.seed}) AS h FROM range(${23 * 3600}) t(i)
        ), traded AS (
          SELECT i, h FROM sec WHERE h % 2 = 0
        ), walk AS (
          SELECT i, h, ${level} + ${s.tick} * sum(((h >> 8) % 3)::BIGINT - 1) OVER (ORDER BY i) AS px FROM traded
        )
        SELECT (${day0}::BIGINT + i * 1000) * 1000000 AS ts_event, 32 AS rtype, 1 AS publisher_id,
          ${s.id} AS instrument_id,
          (px * 1e9)::BIGINT AS open, ((px + ${s.tick}) * 1e9)::BIGINT AS high,
          ((px - ${s.tick}) * 1e9)::BIGINT AS low, (px * 1e9)::BIGINT AS close,
          1 + ((h >> 16) % 40) AS volume, '${s.raw}' AS symbol
        FROM walk ORDER BY i`;
      const how =
        ext === "parquet"
          ? "(FORMAT parquet)"
          : `(HEADER, COMPRESSION ${ext === "csv.zst" ? "zstd" : "gzip"})`;
      await con.run(`COPY (${rows}) TO '${file}' ${how}`);
    }
  }
  con.closeSync();
  db.closeSync();
  writeFileSync(done, `${JSON.stringify({ days, made: new Date().toISOString() })}\n`);
  return dir;
}

function spec() {
  const leg = (k, s, mult, tick) => ({
    symbol: s.symbol,
    slow: k,
    fast: k,
    multiplier: mult,
    tick_size: tick,
  });
  return {
    name: "bench-w8",
    data: {
      a: leg("a", LEGS.a, 50, 0.25),
      b: leg("b", LEGS.b, 5, 1),
      format: "databento",
      bar_minutes: 5,
      fast_seconds: 1,
    },
    session: { tz: "America/New_York", day_roll: "18:00" },
    params: { ols_window: 500, zscore_window: 100, z_entry: 2, z_exit: 0 },
  };
}

function check(specPath, cacheDir) {
  const load = loadavg()[0];
  const r = spawnSync(process.execPath, [cli, "data", "check", specPath, "--fast", "--json"], {
    cwd: root,
    env: { ...process.env, PAIRGRID_CACHE_DIR: cacheDir },
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`pairgrid data check failed (exit ${r.status}): ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split("\n").pop());
  return { ...out, load_before: load };
}

const rate = (leg) => leg.rowsRead / (leg.ms / 1000);

/**
 * DuckDB's own read of one leg's files, as the loader asks for them (typed columns, every one
 * the loader converts, on 2 threads) but summed inside DuckDB: no rows handed to JavaScript, no
 * checks, no merge, no cache. The ceiling a loader built on DuckDB's readers can reach here.
 */
async function duckdbFloor(legDir) {
  const files = readdirSync(legDir).sort();
  const list = (parquet) =>
    `[${files
      .filter((f) => f.endsWith(".parquet") === parquet)
      .map((f) => `'${join(legDir, f)}'`)
      .join(", ")}]`;
  const hasParquet = files.some((f) => f.endsWith(".parquet"));
  const types =
    "{'ts_event': 'BIGINT', 'rtype': 'DOUBLE', 'publisher_id': 'VARCHAR', 'instrument_id': 'DOUBLE', " +
    "'open': 'BIGINT', 'high': 'BIGINT', 'low': 'BIGINT', 'close': 'BIGINT', 'volume': 'DOUBLE', 'symbol': 'VARCHAR'}";
  const sums =
    "count(*), sum(ts_event), sum(rtype), sum(instrument_id), sum(open), sum(high), sum(low), sum(close), sum(volume), max(symbol)";
  const db = await DuckDBInstance.create(":memory:", { threads: "2", memory_limit: "1GB" });
  const con = await db.connect();
  try {
    // every sum is fetched: DuckDB drops an aggregate no one reads, and then the column's parse
    const sources = [
      `read_csv(${list(false)}, header = true, auto_detect = false, delim = ',', quote = '"', ` +
        `columns = ${types}, strict_mode = true)`,
      ...(hasParquet ? [`read_parquet(${list(true)})`] : []),
    ];
    let rows = 0;
    const t0 = performance.now();
    for (const from of sources) {
      const r = await con.runAndReadAll(`SELECT ${sums} FROM ${from}`);
      rows += Number(r.getRows()[0][0]);
    }
    return rows / ((performance.now() - t0) / 1000);
  } finally {
    con.closeSync();
    db.closeSync();
  }
}

export async function runW8({ reps }) {
  const days = Number(process.env.PAIRGRID_W8_DAYS ?? FULL_DAYS);
  const dir = await ensureW8Data(days);
  const specPath = writeSpec(dir, "w8.json", spec());
  const runs = [];
  for (let k = 0; k < reps; k++) {
    const cache = mkdtempSync(join(tmpdir(), "pairgrid-w8-cache-"));
    try {
      const cold = check(specPath, cache);
      const warm = check(specPath, cache);
      runs.push({ cold, warm });
      process.stderr.write(
        `bench W8 rep ${k + 1}: cold ${sig(rate(cold.legs.a) / 1e6)} / ${sig(rate(cold.legs.b) / 1e6)} M rows/s, ` +
          `warm ${sig(rate(warm.legs.a) / 1e6)} / ${sig(rate(warm.legs.b) / 1e6)} M rows/s\n`,
      );
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  }
  const floors = [];
  for (let k = 0; k < reps; k++) floors.push(await duckdbFloor(join(dir, "a")));
  const last = runs[runs.length - 1].cold;
  // what `data check --fast` holds, as the hybrid engines do: each leg's ts and close (a parse
  // reads and caches all six columns, a warm load reads these two), then the aligned closes
  const legBytes = (leg) => leg.bars * 2 * 8;
  const columnsMb = (legBytes(last.legs.a) + legBytes(last.legs.b)) / (1 << 20);
  // the aligned pair: its time axis and both legs' closes over the union of bar times
  const pairMb = (last.bars * 8 * 3) / (1 << 20);
  const pick = (which, f) => sig(median(runs.map((r) => f(r[which]))));
  return {
    workload: "W8",
    scope: days === FULL_DAYS ? "full (3 years)" : `${days} days (PAIRGRID_W8_DAYS)`,
    reps,
    files_per_leg: last.legs.a.files,
    rows_per_leg: { a: last.legs.a.rowsRead, b: last.legs.b.rowsRead },
    cold_rows_per_s: { a: pick("cold", (r) => rate(r.legs.a)), b: pick("cold", (r) => rate(r.legs.b)) },
    warm_rows_per_s: { a: pick("warm", (r) => rate(r.legs.a)), b: pick("warm", (r) => rate(r.legs.b)) },
    // leg a's files read and typed by DuckDB alone, summed inside it (duckdbFloor): the ceiling
    duckdb_read_rows_per_s: sig(median(floors)),
    cold_seconds: pick("cold", (r) => r.seconds),
    warm_seconds: pick("warm", (r) => r.seconds),
    cold_peak_rss_mb: pick("cold", (r) => r.peak_rss_mb),
    warm_peak_rss_mb: pick("warm", (r) => r.peak_rss_mb),
    leg_columns_mb: sig(columnsMb),
    aligned_pair_mb: sig(pairMb),
    load_average_1m: runs.map((r) => [sig(r.cold.load_before), sig(r.warm.load_before)]),
    targets: "cold ≥ 3e6 rows/s per leg, warm ≥ 5e7 rows/s per leg, peak RSS ≈ the columns",
  };
}
