// Twins (INTERFACE.md `same_as`): rows of a job whose §7 statistics are all identical are one
// result. Identical configurations that the kernels copy are the obvious case; behavioural twins
// (different parameters that make the same trades: a gate that never refuses, a max_hold never
// reached) have identical statistics too, and are caught the same way. Computed exactly in SQL
// when the job is finalised: candidates by a hash of every statistic, then an exact grouping of
// the candidates by a window over the statistics themselves.
import { type DuckDBConnection, UBIGINT, VARCHAR } from "@duckdb/node-api";
import { PARAM_NAMES, STAT_NAMES } from "@pairgrid/engine";
import { ident } from "./schema.js";

/** Options of markTwins; only tests set them. */
export interface MarkTwinsOptions {
  /** How many partitions to mark the job in (default: twinPartitions under the connection's limit). */
  partitions?: number;
  /**
   * Cuts the candidate hash to this many values, so that rows with different statistics share it
   * (tests: the exact grouping, not the hash, decides who is a twin).
   */
  hashModulus?: number;
}

/**
 * Rows per partition for each GB of DuckDB's memory_limit. W7 (25 M rows, 40 % of them
 * candidates), same_as reset then marked under the writer's 512 MB, quiet machine: 1 partition
 * 14.4 s wall, 27.7 CPU-s, 709 MB peak RSS; 2 partitions 20.8 s, 40.4 CPU-s, 890 MB (each reads
 * the whole job twice). The window over a partition's candidates spills to disk past the limit,
 * so this only keeps the spill small; it does not bound memory on its own.
 */
const PARTITION_ROWS_PER_GB = 50_000_000;

const MEMORY_UNITS: Record<string, number> = {
  bytes: 1,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
};

/** The connection's memory_limit in bytes (DuckDB shows it rounded: "488.2 MiB"); null if unread. */
async function memoryLimitBytes(conn: DuckDBConnection): Promise<number | null> {
  const reader = await conn.runAndReadAll("SELECT current_setting('memory_limit')::VARCHAR");
  const m = /^([\d.]+)\s*([A-Za-z]+)$/.exec(String(reader.getRowsJS()[0]![0]).trim());
  const unit = m ? MEMORY_UNITS[m[2]!] : undefined;
  return m && unit ? Number(m[1]) * unit : null;
}

/** How many partitions a job of `rows` rows is marked in under `memoryBytes` of memory_limit. */
export function twinPartitions(rows: number, memoryBytes: number): number {
  const perPartition = Math.max(1, Math.floor((PARTITION_ROWS_PER_GB * memoryBytes) / 1e9));
  return Math.max(1, Math.ceil(rows / perPartition));
}

const stats = STAT_NAMES.map(ident).join(", ");

/**
 * Sets `same_as` of every row of the job: the lowest combo_id among the rows with the same
 * statistics, or NULL for that lowest row itself (and every row without a twin). Returns the
 * number of rows that point at a twin. One transaction.
 *
 * Twins share a hash of their statistics, so only rows whose hash another row of the job also
 * has can be twins: the candidates (in W7, 40 % of the rows; a hash collision only adds a
 * candidate). The candidates are then grouped exactly by a window over the statistics (PARTITION
 * BY treats NULL = NULL, NaN = NaN, 0 = -0, as the hash does), and only rows whose group starts
 * lower are kept. The previous method ran that window over every row: on W7, quiet, medians of 3,
 * 36.8 s wall, 71.1 CPU-s, 1.54 GB (1 GB limit, 7 partitions; 53.4 s and 101 CPU-s in the 13
 * partitions the writer's 512 MB would need) against 17.0 s, 32.5 CPU-s, 0.87 GB now.
 * A list() of each group's ids instead of the window ran out of memory at 512 MB (it does not spill).
 * Big jobs are done a hash partition at a time (twins hash alike, so a group never spans two).
 */
export async function markTwins(
  conn: DuckDBConnection,
  jobId: string,
  options: MarkTwinsOptions = {},
): Promise<number> {
  const mod = options.hashModulus;
  if (mod !== undefined && !(Number.isSafeInteger(mod) && mod > 0)) {
    throw new Error(`markTwins: hashModulus must be a positive integer, got ${mod}`);
  }
  const hash = mod === undefined ? `hash(${stats})` : `(hash(${stats}) % ${mod})`;
  await conn.run("BEGIN TRANSACTION");
  try {
    let partitions = options.partitions;
    if (partitions === undefined) {
      const reader = await conn.runAndReadAll(
        "SELECT count(*)::DOUBLE FROM results WHERE job_id = $1",
        [jobId],
        [VARCHAR],
      );
      // an unreadable limit is taken as 1 GB
      const memory = (await memoryLimitBytes(conn)) ?? 1e9;
      partitions = twinPartitions(Number(reader.getRowsJS()[0]![0]), memory);
    }
    if (!(Number.isSafeInteger(partitions) && partitions > 0)) {
      throw new Error(`markTwins: partitions must be a positive integer, got ${partitions}`);
    }
    // (combo_id, first) of every row that points at a lower twin
    await conn.run("CREATE OR REPLACE TEMP TABLE pairgrid_twins (combo_id BIGINT, first BIGINT)");
    const inPartition = partitions === 1 ? "" : ` AND ${hash} % ${partitions} = $2`;
    for (let p = 0; p < partitions; p++) {
      await conn.run(
        "INSERT INTO pairgrid_twins SELECT combo_id, first FROM (" +
          `SELECT combo_id, min(combo_id) OVER (PARTITION BY ${stats}) AS first FROM results ` +
          `WHERE job_id = $1${inPartition} ` +
          `AND ${hash} IN (SELECT ${hash} AS h FROM results WHERE job_id = $1${inPartition} ` +
          "GROUP BY h HAVING count(*) > 1)) WHERE first < combo_id",
        partitions === 1 ? [jobId] : [jobId, BigInt(p)],
        partitions === 1 ? [VARCHAR] : [VARCHAR, UBIGINT],
      );
    }
    // Every row is compared and written when it changes, so a finalize after more rows (or over
    // pointers left by anything else) leaves no stale pointer: twins point at their first row…
    await conn.run(
      "UPDATE results SET same_as = t.first FROM pairgrid_twins t " +
        "WHERE results.job_id = $1 AND results.combo_id = t.combo_id AND results.same_as IS DISTINCT FROM t.first",
      [jobId],
      [VARCHAR],
    );
    // …and every other row points nowhere
    await conn.run(
      "UPDATE results SET same_as = NULL WHERE job_id = $1 AND same_as IS NOT NULL " +
        "AND combo_id NOT IN (SELECT combo_id FROM pairgrid_twins)",
      [jobId],
      [VARCHAR],
    );
    await conn.run("DROP TABLE pairgrid_twins");
    await conn.run("COMMIT");
  } catch (err) {
    await conn.run("ROLLBACK").catch(() => undefined);
    throw err;
  }
  const reader = await conn.runAndReadAll(
    "SELECT count(*)::BIGINT FROM results WHERE job_id = $1 AND same_as IS NOT NULL",
    [jobId],
    [VARCHAR],
  );
  return Number(reader.getRowsJS()[0]![0]);
}

/** A group of twins as rankings show it: its first row, how many more it holds, what varies inside. */
export interface TwinGroup {
  /** The group's lowest combo_id (the row shown; the others' same_as). */
  combo_id: number;
  /** Rows in the group besides the first ("+N identical"). */
  n_identical: number;
  /** Parameters taking more than one value inside the group, with their distinct values (null = off). */
  varying: Record<string, (number | null)[]>;
}

/**
 * The twin groups of the given first rows (e.g. the combo ids of a `top` page, which lists first
 * rows only). A combo id that is no group's first row, or has no twins, gets n_identical 0.
 */
export async function twinGroups(
  conn: DuckDBConnection,
  jobId: string,
  comboIds: readonly number[],
): Promise<TwinGroup[]> {
  const ids = comboIds.filter((id) => Number.isSafeInteger(id) && id >= 0);
  const out = new Map<number, TwinGroup>(
    ids.map((id) => [id, { combo_id: id, n_identical: 0, varying: {} }]),
  );
  if (ids.length === 0) return [...out.values()];
  const list = ids.join(", "); // safe integers checked above
  const lists = PARAM_NAMES.map(
    (p) => `list(DISTINCT ${ident(p)}) FILTER (WHERE ${ident(p)} IS NOT NULL) AS ${ident(p)}`,
  ).join(", ");
  const nulls = PARAM_NAMES.map((p) => `bool_or(${ident(p)} IS NULL) AS ${ident(`${p}__null`)}`).join(", ");
  const reader = await conn.runAndReadAll(
    `SELECT coalesce(same_as, combo_id)::DOUBLE AS first, (count(*) - 1)::INTEGER AS n_identical, ${lists}, ${nulls} ` +
      `FROM results WHERE job_id = $1 AND (same_as IN (${list}) OR (same_as IS NULL AND combo_id IN (${list}))) ` +
      "GROUP BY 1",
    [jobId],
    [VARCHAR],
  );
  for (const row of reader.getRowObjectsJS()) {
    const group = out.get(Number(row.first));
    if (!group) continue;
    group.n_identical = Number(row.n_identical);
    for (const p of PARAM_NAMES) {
      const values = ((row[p] as number[] | null) ?? []).map(Number).sort((a, b) => a - b) as (
        number | null
      )[];
      if (row[`${p}__null`] === true) values.push(null);
      if (values.length > 1) group.varying[p] = values;
    }
  }
  return ids.map((id) => out.get(id)!);
}
