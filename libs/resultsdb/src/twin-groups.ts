// Twins (INTERFACE.md `same_as`): rows of a job whose §7 statistics are all identical are one
// result. Identical configurations that the kernels copy are the obvious case; behavioural twins
// (different parameters that make the same trades: a gate that never refuses, a max_hold never
// reached) have identical statistics too, and are caught the same way. Computed exactly in SQL
// when the job is finalised, grouping on every statistic column (PARTITION BY treats NULLs as
// equal, as a twin should), a hash partition of the job at a time so memory stays bounded.
import { type DuckDBConnection, UBIGINT, VARCHAR } from "@duckdb/node-api";
import { PARAM_NAMES, STAT_NAMES } from "@pairgrid/engine";
import { ident } from "./schema.js";

/** Options of markTwins; only tests set them. */
export interface MarkTwinsOptions {
  /** How many partitions to mark the job in (default: twinPartitions under the connection's limit). */
  partitions?: number;
}

/**
 * Rows per partition for each GB of DuckDB's memory_limit: at 1 GB a window over 4 M rows stays
 * inside it. W7 at 25 M rows: one window spilled ~10 GB to disk (91-158 s); 7 partitions spill
 * nothing (60 s); 13 cost more in scans (each partition reads the whole job) than they save. The
 * writer's limit is lower than 1 GB (results-db.ts WRITER_MEMORY_LIMIT), so its partitions are
 * smaller: a few more scans of a big job rather than a pool that grows back.
 */
const PARTITION_ROWS_PER_GB = 4_000_000;

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

/**
 * The statistics the partition hash reads. Twins agree on every statistic, so any subset splits
 * the job without splitting a group; these three rarely agree between non-twins (an even spread),
 * and hashing 3 columns instead of all of them is ~6× cheaper in each partition's full scan.
 */
const PARTITION_KEY: readonly (typeof STAT_NAMES)[number][] = ["total_pnl", "sharpe", "max_dd"];
const partitionKey = PARTITION_KEY.map(ident).join(", ");

/**
 * Sets `same_as` of every row of the job: the lowest combo_id among the rows with the same
 * statistics, or NULL for that lowest row itself (and every row without a twin). Returns the
 * number of rows that point at a twin. One transaction.
 *
 * The job is split by a hash of some statistics (PARTITION_KEY): twins hash alike, so
 * each group of twins lies inside one partition, and each partition is grouped exactly by a
 * window over the statistics themselves (a hash collision only puts two rows in one partition,
 * never in one group). GROUP BY, PARTITION BY and the hash treat NULL = NULL, NaN = NaN, 0 = -0
 * alike. Memory is bounded by the partition, not the job.
 */
export async function markTwins(
  conn: DuckDBConnection,
  jobId: string,
  options: MarkTwinsOptions = {},
): Promise<number> {
  const stats = STAT_NAMES.map(ident).join(", ");
  await conn.run("BEGIN TRANSACTION");
  try {
    let partitions = options.partitions;
    if (partitions === undefined) {
      const reader = await conn.runAndReadAll(
        "SELECT count(*)::DOUBLE FROM results WHERE job_id = $1",
        [jobId],
        [VARCHAR],
      );
      // an unreadable limit is taken as 1 GB, the size PARTITION_ROWS_PER_GB was measured at
      const memory = (await memoryLimitBytes(conn)) ?? 1e9;
      partitions = twinPartitions(Number(reader.getRowsJS()[0]![0]), memory);
    }
    if (!(Number.isSafeInteger(partitions) && partitions > 0)) {
      throw new Error(`markTwins: partitions must be a positive integer, got ${partitions}`);
    }
    const inPartition = partitions === 1 ? "" : ` AND hash(${partitionKey}) % ${partitions} = $2`;
    for (let p = 0; p < partitions; p++) {
      await conn.run(
        "UPDATE results SET same_as = (CASE WHEN t.first < t.combo_id THEN t.first END) FROM (" +
          `SELECT combo_id, min(combo_id) OVER (PARTITION BY ${stats}) AS first ` +
          `FROM results WHERE job_id = $1${inPartition}) t ` +
          "WHERE results.job_id = $1 AND results.combo_id = t.combo_id " +
          // every row is compared (and written when it changes), so a finalize after more rows
          // leaves no stale pointer
          "AND results.same_as IS DISTINCT FROM (CASE WHEN t.first < t.combo_id THEN t.first END)",
        partitions === 1 ? [jobId] : [jobId, BigInt(p)],
        partitions === 1 ? [VARCHAR] : [VARCHAR, UBIGINT],
      );
    }
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
