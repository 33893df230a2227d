// The job a results-file command means (`pairgrid top`, `pairgrid robustness`): the one `--job`
// names, which must exist, or else the latest. Bad input is an InputError naming the flag.
import { InputError } from "@pairgrid/engine";
import type { JobRecord, ResultsDb } from "@pairgrid/resultsdb";

export async function resolveJob(
  db: ResultsDb,
  jobId: string | undefined,
  dbFlag: string,
): Promise<JobRecord> {
  if (jobId !== undefined) {
    const job = await db.getJob(jobId);
    if (!job) throw new InputError(`--job ${jobId}: no such job in ${dbFlag}`, "--job");
    return job;
  }
  const [latest] = await db.listJobs();
  if (!latest) throw new InputError(`--db ${dbFlag}: no jobs in this results file`, "--db");
  return latest;
}
