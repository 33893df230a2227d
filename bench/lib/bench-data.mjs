// Benchmark data: made with `pairgrid data synth` into bench/.data/<name>/ on first use (and again
// when the settings recorded in its synth.json differ), plus a grid spec file written next to it
// so the workloads load the data through the engine's own spec → pipeline path.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = join(root, "apps", "cli", "bin", "pairgrid.js");

/**
 * Folder holding synthetic data for `days` and `seed` (and `fastSeconds`, when given) of `model`
 * (the generator's default, "market"; files from before `--model` existed are "simple").
 */
export function ensureSynthData(name, { days, seed, fastSeconds = null, model = "market" }) {
  const dir = join(root, "bench", ".data", name);
  const metaFile = join(dir, "synth.json");
  if (existsSync(metaFile)) {
    const s = JSON.parse(readFileSync(metaFile, "utf8")).settings ?? {};
    const same =
      s.days === days &&
      s.seed === seed &&
      (s.fast_seconds ?? null) === fastSeconds &&
      (s.model ?? "simple") === model;
    if (same) return dir;
  }
  mkdirSync(dir, { recursive: true });
  const args = [
    "data",
    "synth",
    "--out",
    dir,
    "--days",
    String(days),
    "--seed",
    String(seed),
    "--model",
    model,
  ];
  if (fastSeconds !== null) args.push("--fast-seconds", String(fastSeconds));
  process.stderr.write(`bench: making data (first run only): pairgrid ${args.join(" ")}\n`);
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (r.status !== 0) throw new Error(`pairgrid data synth failed (exit ${r.status})`);
  return dir;
}

/** Writes `spec` as JSON (a YAML subset) to `<dir>/<file>` and returns the path. */
export function writeSpec(dir, file, spec) {
  const path = join(dir, file);
  writeFileSync(path, `${JSON.stringify(spec, null, 2)}\n`);
  return path;
}

/** The synthetic pair's legs as a spec's `data` section (instrument constants of NQ and YM). */
export function synthPairData(extra = {}) {
  return {
    a: { symbol: "NQ", slow: "NQ.csv", multiplier: 20, tick_size: 0.25 },
    b: { symbol: "YM", slow: "YM.csv", multiplier: 5, tick_size: 1 },
    bar_minutes: 5,
    ...extra,
  };
}
