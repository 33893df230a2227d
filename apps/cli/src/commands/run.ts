import { MAX_DEFAULT_CHUNK } from "@pairgrid/engine";
import type { Command } from "commander";
import { type RunFlagsInput, runSettings } from "../run-flags.js";
import { runLocalGrid } from "../run-local-grid.js";

/** `pairgrid run SPEC [--db FILE.duckdb] [--threads N] [--chunk-size N] [--max-combos N] [--resume JOB] [--quiet]` */
export function registerRunCommand(program: Command): void {
  program
    .command("run")
    .description("whole grid on this machine: thread pool, results into DuckDB, top rows printed")
    .argument("<spec>", "grid spec (YAML or JSON)")
    .option("--db <file.duckdb>", "results file (created if missing)", "pairgrid.duckdb")
    .option("--threads <n>", "worker threads (default: the machine's available parallelism)")
    .option(
      "--chunk-size <n>",
      `combinations per task (default: at least 4 chunks per thread, at most ${MAX_DEFAULT_CHUNK})`,
    )
    .option("--max-combos <n>", "refuse larger grids (default: $PAIRGRID_MAX_COMBOS or 50,000,000)")
    .option(
      "--resume <job>",
      "finish a cancelled or interrupted job: run only its missing chunks (same spec file)",
    )
    .option("--quiet", "no load reports or progress on stderr")
    .option(
      "--kernel <kind>",
      "slow kernel: auto (event-driven when it pays), events, or scan (bar by bar)",
      "auto",
    )
    .addHelpText(
      "after",
      "\nCtrl-C stops cleanly: running chunks finish, the job is marked cancelled (exit 130), and\n" +
        "`pairgrid run SPEC --db FILE --resume JOB` completes it later.",
    )
    .action(async (specPath: string, flags: RunFlagsInput) => {
      process.exitCode = await runLocalGrid(specPath, runSettings(flags));
    });
}
