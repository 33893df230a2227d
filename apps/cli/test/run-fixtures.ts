// Shared by the `pairgrid run` tests: synthetic data in a temp dir, specs written next to it, the
// real binary spawned, and the results files read back with DuckDB's own client (SQL over the
// files, not through the code under test).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { type CliResult, pairgrid, repoRoot } from "./cli-helpers.js";

export interface RunDir {
  dir: string;
  env: Record<string, string>;
}

/** A temp dir with `days` of synthetic NQ/YM 5-minute bars in `data/`. */
export function makeRunDir(prefix: string, days = 25, seed = 5): RunDir {
  const dir = mkdtempSync(join(tmpdir(), `pairgrid-${prefix}-`));
  const env = { PAIRGRID_CACHE_DIR: join(dir, "cache") };
  const synth = pairgrid(
    ["data", "synth", "--out", join(dir, "data"), "--days", String(days), "--seed", String(seed)],
    env,
  );
  assert.equal(synth.status, 0, synth.stderr);
  return { dir, env };
}

/** A complete spec over the synthetic data; `over` replaces top-level keys. */
export function specObject(params: Record<string, unknown>, over: Record<string, unknown> = {}): object {
  return {
    name: "run-test",
    data: {
      a: { symbol: "NQ", slow: "data/NQ.csv", multiplier: 20, tick_size: 0.25 },
      b: { symbol: "YM", slow: "data/YM.csv", multiplier: 5, tick_size: 1 },
      bar_minutes: 5,
    },
    session: { tz: "America/New_York", day_roll: "18:00", flat_time: "16:55" },
    costs: { commission: 2.25, slippage_ticks: 0.5 },
    params,
    rank: { by: "sharpe", min_trades: 5, folds: 4 },
    ...over,
  };
}

export function writeSpec(rd: RunDir, name: string, spec: object): string {
  const file = join(rd.dir, name);
  writeFileSync(file, JSON.stringify(spec, null, 2));
  return file;
}

/** `pairgrid run` to completion; asserts exit 0 and returns the job id. */
export function runToEnd(rd: RunDir, args: string[]): { jobId: string; r: CliResult } {
  const r = pairgrid(["run", ...args], rd.env);
  assert.equal(r.status, 0, r.stderr);
  return { jobId: jobIdOf(r.stdout), r };
}

export function jobIdOf(stdout: string): string {
  const m = /^job ([0-9a-f]{8})$/m.exec(stdout);
  assert.ok(m, `a job id on stdout: ${stdout}`);
  return m[1]!;
}

/** The real binary, asynchronously (to signal it mid-run or run several at once). */
export function spawnPairgrid(args: string[], env: Record<string, string>) {
  return spawn(process.execPath, [resolve(repoRoot, "apps/cli/bin/pairgrid.js"), ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Runs SQL over results files attached as db0, db1, … (read-only), then closes everything. */
export async function withResultsFiles<T>(
  files: string[],
  use: (query: (sql: string) => Promise<unknown[][]>) => Promise<T>,
): Promise<T> {
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    for (const [i, f] of files.entries()) await conn.run(`ATTACH '${f}' AS db${i} (READ_ONLY)`);
    return await use(async (sql) => (await conn.runAndReadAll(sql)).getRowsJS() as unknown[][]);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/**
 * Asserts that job `jobs[1]` of file db1 has exactly the rows of job `jobs[0]` of db0: every
 * parameter, statistic, dsr and fold value (SQL set difference both ways, NULL equal to NULL).
 */
export async function assertSameResults(files: [string, string], jobs: [string, string]): Promise<number> {
  return withResultsFiles(files, async (query) => {
    const [[n0]] = (await query(`SELECT count(*)::INTEGER FROM db0.results WHERE job_id = '${jobs[0]}'`)) as [
      [number],
    ];
    const [[n1]] = (await query(`SELECT count(*)::INTEGER FROM db1.results WHERE job_id = '${jobs[1]}'`)) as [
      [number],
    ];
    assert.equal(n1, n0, "row counts");
    for (const table of ["results", "results_folds"]) {
      const side = (i: number) =>
        `SELECT * EXCLUDE (job_id) FROM db${i}.${table} WHERE job_id = '${jobs[i]}'`;
      for (const [x, y] of [
        [0, 1],
        [1, 0],
      ]) {
        const [[diff]] = (await query(
          `SELECT count(*)::INTEGER FROM (${side(x!)} EXCEPT ALL ${side(y!)})`,
        )) as [[number]];
        assert.equal(diff, 0, `${table}: rows of db${x} not in db${y}`);
      }
    }
    return n0;
  });
}

/** A job's status and counts, read from the file. */
export async function jobState(file: string, jobId: string) {
  return withResultsFiles([file], async (query) => {
    const rows = await query(
      `SELECT status, n_combos::BIGINT, n_done::BIGINT, (SELECT count(*) FROM db0.results WHERE job_id = '${jobId}')::BIGINT, ` +
        `finished_at IS NOT NULL FROM db0.jobs WHERE job_id = '${jobId}'`,
    );
    assert.equal(rows.length, 1, `job ${jobId} in ${file}`);
    const [status, nCombos, nDone, rowCount, finished] = rows[0]!;
    return {
      status: status as string,
      nCombos: Number(nCombos),
      nDone: Number(nDone),
      rows: Number(rowCount),
      finished: finished as boolean,
    };
  });
}
