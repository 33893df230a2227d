// The heartbeat of a `pairgrid run`: the job records this process (host, pid, spec file) when the
// run takes it on, and its heartbeat_at is refreshed every HEARTBEAT_MS while the run lasts, so a
// reader can tell a run killed without a chance to mark its job (SIGKILL, a crash, a power cut)
// from one still at work (job-liveness.ts in @pairgrid/resultsdb).
import { hostname } from "node:os";
import { resolve } from "node:path";
import { HEARTBEAT_MS, type ResultsDb } from "@pairgrid/resultsdb";

/** Claims the job for this process and starts beating; the returned function stops the beats. */
export async function startHeartbeat(db: ResultsDb, jobId: string, specPath: string): Promise<() => void> {
  await db.claimJob(jobId, {
    runner: "local",
    specPath: resolve(specPath),
    host: hostname(),
    pid: process.pid,
  });
  let beating = false;
  const timer = setInterval(() => {
    // a beat still queued behind a long ingest is enough; do not pile more behind it
    if (beating) return;
    beating = true;
    db.heartbeat(jobId)
      // best effort: a failing database shows up in the ingest that comes next, with its reason
      .catch(() => undefined)
      .finally(() => (beating = false));
  }, HEARTBEAT_MS);
  // the beat alone must not keep the process alive
  timer.unref();
  return () => clearInterval(timer);
}
