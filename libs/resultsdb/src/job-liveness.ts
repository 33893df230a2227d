// Whether a job stored as `running` is still being run. A `pairgrid run` killed with SIGKILL (or
// by a power cut) cannot mark its job, which then reads `running` for ever; the run therefore
// records its host and pid and refreshes a heartbeat, and readers (`pairgrid top`, `pairgrid
// serve`, the coordinator's job list) show a job whose run is gone as `interrupted`, with the
// command that resumes it. The stored status is left alone: readers open the file read-only, and
// the resume itself marks the job running again.
import { hostname } from "node:os";
import { resolve } from "node:path";
import type { JobRecord } from "./job-records.js";
import { JOB_STATUSES } from "./schema.js";

/** How often a running `pairgrid run` refreshes its job's heartbeat. */
export const HEARTBEAT_MS = 5000;
/**
 * A heartbeat older than this means the run is gone: three missed beats, so a run whose event
 * loop is held up for a moment (a large group commit, the final DSR pass) is not declared dead.
 */
export const STALE_AFTER_MS = 3 * HEARTBEAT_MS;

/** What readers show: a stored status, or `interrupted` for a local run that is gone. */
export const SHOWN_STATUSES = [...JOB_STATUSES, "interrupted"] as const;
export type ShownStatus = (typeof SHOWN_STATUSES)[number];

/** What a reader knows of the world: the time, this machine, and which processes exist here. */
export interface LivenessProbe {
  now: number;
  host: string;
  pidAlive(pid: number): boolean;
}

/** Signal 0 checks that a process exists without touching it (EPERM: it exists, not ours). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function localProbe(): LivenessProbe {
  return { now: Date.now(), host: hostname(), pidAlive };
}

export interface Interruption {
  /** When the run last showed it was alive (null: it never did). */
  heartbeat_at: Date | null;
  /** Seconds since then, at the probe's time. */
  age_s: number | null;
  host: string | null;
  pid: number | null;
  /** The `pairgrid run` command that finishes the job; null when the spec file is unknown. */
  resume: string | null;
}

/**
 * How a job stored as running by a `pairgrid run` turned out to be interrupted, or null when it
 * was not (any other status, a coordinator's job — the coordinator resumes those itself when it
 * restarts — or a job of a file older than runners). Interrupted: the heartbeat is missing or
 * older than STALE_AFTER_MS, or the run was on this machine and its process no longer exists.
 */
export function interruption(job: JobRecord, dbFile: string, probe: LivenessProbe): Interruption | null {
  if (job.status !== "running" || job.runner !== "local") return null;
  const beat = job.heartbeat_at;
  const ageMs = beat ? probe.now - beat.getTime() : null;
  const stale = ageMs === null || ageMs > STALE_AFTER_MS;
  const goneHere = job.host === probe.host && job.pid !== null && !probe.pidAlive(job.pid);
  if (!stale && !goneHere) return null;
  return {
    heartbeat_at: beat,
    age_s: ageMs === null ? null : Math.max(0, ageMs / 1000),
    host: job.host,
    pid: job.pid,
    // absolute: the reader may have opened the file by a path relative to another folder
    resume: job.spec_path === null ? null : resumeCommand(job.spec_path, resolve(dbFile), job.job_id),
  };
}

export function shownStatus(job: JobRecord, dbFile: string, probe: LivenessProbe): ShownStatus {
  return interruption(job, dbFile, probe) ? "interrupted" : job.status;
}

/** A word as a POSIX shell reads it: bare when that is safe, else in single quotes. */
export function shellWord(s: string): string {
  return /^[\w./:@%+=,-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

/** `pairgrid run SPEC --db FILE --resume JOB`: runs the job's missing chunks, then ranks. */
export function resumeCommand(specPath: string, dbFile: string, jobId: string): string {
  return `pairgrid run ${shellWord(specPath)} --db ${shellWord(dbFile)} --resume ${shellWord(jobId)}`;
}

/** "last heartbeat 12 s ago, pid 4242 on build-3" — for one-line messages. */
export function describeInterruption(i: Interruption): string {
  const ago = i.age_s === null ? "no heartbeat" : `last heartbeat ${formatAge(i.age_s)} ago`;
  const where = i.pid !== null ? `, pid ${i.pid}${i.host ? ` on ${i.host}` : ""}` : "";
  return `${ago}${where}`;
}

function formatAge(s: number): string {
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} days`;
}
