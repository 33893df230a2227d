// W8 before/after in one run: `node bench/w8-ab.mjs DAYS REPS TREE…` runs `pairgrid data check
// --fast --json` of each built tree (e.g. /work/main and this one) on the generated W8 set of DAYS
// days (bench/.data/w8-DAYS, made by w8-market-data.mjs on first use), alternating trees rep by
// rep (A B A B …) so a busy machine weighs on both alike: cold (a fresh cache) then warm. Each
// line gives rows/s per leg, the process's CPU seconds and peak RSS (GNU /usr/bin/time).
// ONLY=warm does the cold load once per tree and then only warm ones.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ensureW8Data } from "./w8-market-data.mjs";

const [days, reps, ...trees] = process.argv.slice(2);
if (!days || !reps || trees.length === 0) {
  process.stderr.write("usage: node bench/w8-ab.mjs DAYS REPS TREE [TREE…]\n");
  process.exit(2);
}
const dir = await ensureW8Data(Number(days));
const leg = (k, symbol, multiplier, tick) => ({
  symbol,
  slow: join(dir, k),
  fast: join(dir, k),
  multiplier,
  tick_size: tick,
});
const spec = {
  name: "bench-w8-ab",
  data: {
    a: leg("a", "ES", 50, 0.25),
    b: leg("b", "YM", 5, 1),
    format: "databento",
    bar_minutes: 5,
    fast_seconds: 1,
  },
  session: { tz: "America/New_York", day_roll: "18:00" },
  params: { ols_window: 500, zscore_window: 100, z_entry: 2, z_exit: 0 },
};
const specPath = join(dir, "w8-ab.json");
writeFileSync(specPath, JSON.stringify(spec));

function run(tree, cache) {
  const cli = join(resolve(tree), "apps", "cli", "bin", "pairgrid.js");
  const r = spawnSync(
    "/usr/bin/time",
    ["-f", "%U %S %M", process.execPath, cli, "data", "check", specPath, "--fast", "--json"],
    { cwd: tree, env: { ...process.env, PAIRGRID_CACHE_DIR: cache }, encoding: "utf8", maxBuffer: 1 << 26 },
  );
  if (r.status !== 0) throw new Error(`${tree}: data check failed (exit ${r.status}): ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split("\n").pop());
  const [user, sys, maxKb] = r.stderr.trim().split("\n").pop().split(" ").map(Number);
  const rate = (l) => (l.rowsRead / (l.ms / 1000) / 1e6).toFixed(2);
  return {
    a_M_rows_s: rate(out.legs.a),
    b_M_rows_s: rate(out.legs.b),
    seconds: out.seconds,
    cpu_s: (user + sys).toFixed(2),
    peak_rss_mb: Math.round(maxKb / 1024),
    rows_per_leg: out.legs.a.rowsRead,
    from_cache: out.legs.a.fromCache,
  };
}

const caches = new Map(trees.map((t) => [t, null]));
try {
  for (let k = 0; k < Number(reps); k++) {
    for (const t of trees) {
      if (process.env.ONLY !== "warm" || caches.get(t) === null) {
        if (caches.get(t)) rmSync(caches.get(t), { recursive: true, force: true });
        caches.set(t, mkdtempSync(join(tmpdir(), "pairgrid-w8-ab-")));
        console.log(t, "cold", JSON.stringify(run(t, caches.get(t))));
      }
      console.log(t, "warm", JSON.stringify(run(t, caches.get(t))));
    }
  }
} finally {
  for (const c of caches.values()) if (c) rmSync(c, { recursive: true, force: true });
}
