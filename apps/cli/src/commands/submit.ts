// `pairgrid submit SPEC [--url URL] [--watch]`: sends a grid to a coordinator. The spec is
// validated here first (the same checks as the coordinator's, so most mistakes never leave the
// machine) and sent as JSON with its data paths made absolute against the spec's folder.
import { InputError, loadSpecFile, planGrid } from "@pairgrid/engine";
import type { Command } from "commander";
import { positiveInt } from "../run-flags.js";
import { grouped } from "../run-progress.js";
import { coordinatorClient } from "../submit-client.js";
import { watchJob } from "../submit-watch.js";
import { formatTopTable } from "./top.js";

interface SubmitFlags {
  url?: string;
  watch?: boolean;
  chunkSize?: string;
  quiet?: boolean;
}

export function registerSubmitCommand(program: Command): void {
  program
    .command("submit")
    .description("send a grid to a coordinator; --watch follows its progress to the end")
    .argument("<spec>", "grid spec (YAML or JSON)")
    .option("--url <url>", "coordinator URL (default: $PAIRGRID_URL or http://127.0.0.1:8080)")
    .option("--watch", "show progress until the job ends, then the top rows")
    .option("--chunk-size <n>", "combinations per chunk (default: the coordinator's)")
    .option("--quiet", "no progress display")
    .action(async (specPath: string, flags: SubmitFlags) => {
      process.exitCode = await submit(specPath, flags);
    });
}

async function submit(specPath: string, flags: SubmitFlags): Promise<number> {
  const url = flags.url ?? process.env.PAIRGRID_URL ?? "http://127.0.0.1:8080";
  if (!/^https?:\/\//.test(url)) throw new InputError(`--url ${url}: expected http(s)://host:port`, "--url");
  const chunkSize = positiveInt("--chunk-size", flags.chunkSize);
  // data files are checked by the coordinator, which may see other paths than this machine
  const { spec } = loadSpecFile(specPath, { checkFiles: false });
  const plan = planGrid(spec);
  const client = coordinatorClient(url);
  const query = chunkSize ? `?chunk_size=${chunkSize}` : "";
  const job = (await client.post(`/jobs${query}`, spec)) as {
    job_id: string;
    n_combos: number;
    n_chunks: number;
  };
  process.stdout.write(`job ${job.job_id}\n`);
  process.stderr.write(
    `${spec.name}: ${grouped(job.n_combos)} combinations in ${job.n_chunks} chunks → ${client.url}\n`,
  );
  if (!flags.watch) return 0;
  const mode = flags.quiet ? "off" : process.stderr.isTTY ? "bar" : "lines";
  const end = await watchJob(client, job.job_id, mode, (s) => process.stderr.write(`${s}\n`));
  process.stderr.write(`job ${job.job_id}: ${end.status}, ${grouped(end.n_done)} rows\n`);
  if (end.status !== "done") {
    if (end.error) process.stderr.write(`job ${job.job_id}: ${end.error}\n`);
    return 1;
  }
  const { by, min_trades: minTrades } = spec.rank;
  const rows = (await client.get(
    `/jobs/${job.job_id}/results?by=${by}&limit=10&min_trades=${minTrades}`,
  )) as Record<string, unknown>[];
  const params = plan.axes.filter((a) => a.values.length > 1).map((a) => a.name);
  process.stdout.write(`top ${rows.length} by ${by} (n_trades ≥ ${minTrades}):\n`);
  if (rows.length > 0) process.stdout.write(`${formatTopTable(rows, params, by)}\n`);
  return 0;
}
