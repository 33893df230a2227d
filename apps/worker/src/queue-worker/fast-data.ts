// A hybrid job's fast side on a worker: the manifest's day blobs (through the disk cache), decoded
// and laid end to end in one SharedArrayBuffer, then the same HybridGridData `pairgrid run`
// builds (slow→fast index, z-live rows), which every chunk thread of the job's pool shares. A job
// over the data the previous one assembled takes it from memory (fast-data-memo.ts).
import {
  assembleFastCloses,
  BASE_ARRAYS,
  decodeFastDayAsync,
  type FastDay,
  type GridSpec,
  type HybridGridData,
  hybridGridDataOf,
  isHybridEngine,
  type PackedArrays,
  SessionCalendar,
  type SlowSide,
  unpackArrays,
} from "@pairgrid/engine";
import type { JobManifest } from "@pairgrid/cluster";
import { UnrecoverableError } from "bullmq";
import { CorruptBlobError, type DiskBlobCache, type DiskBlobCounts } from "./disk-blob-cache.js";
import { fastClosesKey, type FastDataMemo, hybridGridKey } from "./fast-data-memo.js";

/** Day blobs fetched at once: enough to hide Redis's round trips, few enough to bound memory. */
const FETCH_AT_ONCE = 4;

export interface FastDataLoad {
  data: HybridGridData;
  days: number;
  /** Fetched from Redis (the rest came from the disk cache). */
  fetchedDays: number;
  fetchedBytes: number;
  /** Taken whole from the memo: no blob was read, from disk or Redis. */
  fromMemory: boolean;
}

/** The job's HybridGridData, or null for a slow job. Throws UnrecoverableError on corrupt data. */
export async function loadFastData(
  jobId: string,
  spec: GridSpec,
  manifest: JobManifest,
  base: PackedArrays,
  cache: DiskBlobCache,
  memo: FastDataMemo | null = null,
): Promise<FastDataLoad | null> {
  if (!isHybridEngine(spec.engine)) return null;
  const fast = manifest.fast;
  if (fast === undefined)
    throw new UnrecoverableError(`job ${jobId}: a ${spec.engine} manifest without fast data`);
  const closesKey = memo === null ? null : fastClosesKey(manifest);
  const gridKey = hybridGridKey(spec, manifest);
  const kept = closesKey === null ? undefined : memo!.get(closesKey, gridKey);
  if (kept !== undefined) {
    const data = kept.data ?? hybridGridDataOf(spec.engine, slowSide(spec, manifest, base), kept.closes);
    memo!.set(closesKey!, gridKey, data);
    return { data, days: fast.days.length, fetchedDays: 0, fetchedBytes: 0, fromMemory: true };
  }
  // this load's own reads: other jobs' loads may share the cache at the same time
  const mine: DiskBlobCounts = { hits: 0, misses: 0, bytesFetched: 0 };
  const days: FastDay[] = new Array(fast.days.length);
  let next = 0;
  const fetchSome = async () => {
    while (next < fast.days.length) {
      const d = next++;
      const entry = fast.days[d]!;
      let day: FastDay;
      try {
        day = await decodeFastDayAsync(await cache.get(entry.sha, mine));
      } catch (err) {
        if (err instanceof CorruptBlobError) throw new UnrecoverableError(`job ${jobId}: ${err.message}`);
        throw err;
      }
      if (day.n !== entry.rows)
        throw new UnrecoverableError(
          `job ${jobId}: fast day blob ${entry.sha} holds ${day.n} rows, not ${entry.rows}`,
        );
      days[d] = day;
    }
  };
  await Promise.all(Array.from({ length: FETCH_AT_ONCE }, fetchSome));
  const closes = assembleFastCloses(days, fast.barMs);
  if (closes.n !== fast.rows)
    throw new UnrecoverableError(
      `job ${jobId}: fast days hold ${closes.n} rows, the manifest says ${fast.rows}`,
    );
  const data = hybridGridDataOf(spec.engine, slowSide(spec, manifest, base), closes);
  if (closesKey !== null) memo!.set(closesKey, gridKey, data);
  return {
    data,
    days: fast.days.length,
    fetchedDays: mine.misses,
    fetchedBytes: mine.bytesFetched,
    fromMemory: false,
  };
}

/** The slow side the hybrid index is built from: the base's bar times and the spec's session. */
function slowSide(spec: GridSpec, manifest: JobManifest, base: PackedArrays): SlowSide {
  const ts = unpackArrays(base)[BASE_ARRAYS[0]] as Float64Array;
  return { ts, barMs: manifest.barMs, calendar: new SessionCalendar(spec.session) };
}
