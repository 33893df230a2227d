import {
  configFor,
  type GridSpec,
  type HybridEngineName,
  InputError,
  loadFastCloses,
  loadSlowPair,
  loadSpecFile,
  type ParityOutcome,
  resolveCombination,
  runHybridParity,
  runParity,
  type SignalTrace,
  writeParityDiffCsv,
  writeTraceJsonl,
} from "@pairgrid/engine";
import type { Command } from "commander";
import { printLoadReports } from "../load-report.js";
import { collectSets } from "../options.js";
import { type ParityFlags, paritySettings } from "../parity-flags.js";
import { checkGolden, writeGolden } from "../parity-golden.js";
import { parityReport } from "../parity-report.js";
import { paritySummary } from "../parity-summary.js";

function writeOutput(flag: string, path: string, write: () => void): void {
  try {
    write();
  } catch (err) {
    throw new InputError(`${flag} ${path}: ${(err as Error).message}`, flag);
  }
}

/** Both paths' traces, bar by bar: the batch line, then the replay line, of each timestamp. */
function* interleaved(o: ParityOutcome): Generator<SignalTrace> {
  for (const row of o.comparison.rows) {
    if (row.batch) yield row.batch;
    if (row.replay) yield row.replay;
  }
}

type ParityEngine = "slow" | HybridEngineName;

/** --engine, else the spec's engine. */
function engineOf(spec: GridSpec, flag: string | undefined): ParityEngine {
  const name = flag ?? spec.engine;
  if (name === "slow" || name === "hybrid_dollar" || name === "hybrid_zlive") return name;
  if (flag === undefined && name === "hybrid_curve") {
    throw new InputError(
      "engine: hybrid_curve (the curve grid, an approximation of hybrid_dollar) has no live replay; " +
        "choose --engine",
      "--engine",
    );
  }
  throw new InputError(`--engine ${flag}: expected slow, hybrid_dollar or hybrid_zlive`, "--engine");
}

/** `pairgrid parity SPEC --set k=v… [--start D --end D] [--trace F] [--diff F.csv]` */
export function registerParityCommand(program: Command): void {
  program
    .command("parity")
    .description(
      "live replay (bar by bar, incremental indicators, warm-up) against the batch reference engine",
    )
    .argument("<spec>", "grid spec (YAML or JSON)")
    .option(
      "--set <k=v>",
      "fix a parameter (repeatable); unset ones take their axis's first value",
      collectSets,
      [],
    )
    .option("--start <YYYY-MM-DD>", "first trading day that may trade (warm-up is taken from before it)")
    .option("--end <YYYY-MM-DD>", "last trading day that may trade")
    .option("--trace <file.jsonl>", "write both paths' SignalTrace per bar (default: $PAIRGRID_TRACE)")
    .option("--diff <file.csv>", "write the full bar-by-bar comparison")
    .option("--warmup <bars>", "replay warm-up in bars (default: the shortest that is bit-identical)")
    .option(
      "--next-bar <mode>",
      "how the replay knows the next bar: lookahead (feed) | exchange (calendar)",
      "lookahead",
    )
    .option("--max-divergent <n>", "divergent decisions allowed", "0")
    .option("--z-tol <x>", "|Δz| allowed where z is well conditioned", "1e-9")
    .option("--z-ulps <k>", "|Δz| allowed as k ulps of the spread's terms over sigma (0 = off)", "32")
    .option("--size-tol <n>", "|Δ leg size| allowed, contracts", "0")
    .option("--pnl-tol <dollars>", "|Δ MTM PnL| allowed at any bar", "1e-6")
    .option(
      "--engine <name>",
      "slow | hybrid_dollar | hybrid_zlive (default: the spec's engine); hybrid replays merge fast and slow bars",
    )
    .option("--json", "print the summary as one JSON object on stdout")
    .option("--golden <file.json>", "also require the decision counts and trace digest in this file")
    .option("--update-golden", "write the --golden file from this run instead of checking it")
    .action(async (specPath: string, flags: ParityFlags) => {
      const log = (s: string) => process.stderr.write(`${s}\n`);
      const settings = paritySettings(flags);
      if (flags.updateGolden && !flags.golden)
        throw new InputError("--update-golden needs --golden FILE", "--golden");
      const { spec } = loadSpecFile(specPath);
      const engine = engineOf(spec, flags.engine);
      if (engine !== "slow" && settings.nextBar !== "lookahead") {
        throw new InputError(
          `--next-bar ${settings.nextBar}: the hybrid replay reads the next bars off its feed (lookahead)`,
          "--next-bar",
        );
      }
      const combo = resolveCombination(spec, flags.set);
      const sp = await loadSlowPair(spec);
      printLoadReports(log, sp.reports);
      const common = {
        combo,
        settings: { hedge: spec.hedge, hurstLags: spec.gates.hurst_lags },
        cfg: configFor(spec, combo),
        startDay: settings.startDay,
        endDay: settings.endDay,
        warmupBars: settings.warmupBars,
        thresholds: settings.thresholds,
      };
      let outcome: ParityOutcome;
      if (engine === "slow") outcome = await runParity(sp, { ...common, nextBar: settings.nextBar });
      else {
        const fl = await loadFastCloses(spec, sp);
        printLoadReports(log, { "a fast": fl.reports.a, "b fast": fl.reports.b });
        outcome = await runHybridParity(sp, fl.fast, { ...common, engine });
      }
      const summary = paritySummary(spec.name, spec.hedge, sp, outcome);

      if (settings.trace)
        writeOutput("--trace", settings.trace, () => writeTraceJsonl(settings.trace!, interleaved(outcome)));
      if (flags.diff)
        writeOutput("--diff", flags.diff, () => writeParityDiffCsv(flags.diff!, outcome.comparison.rows));
      let goldenProblems: string[] = [];
      if (flags.golden && flags.updateGolden) writeGolden(flags.golden, summary);
      else if (flags.golden) goldenProblems = checkGolden(flags.golden, summary);

      if (flags.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      else {
        const symbols: [string, string] = [spec.data.a.symbol, spec.data.b.symbol];
        process.stdout.write(parityReport(summary, symbols, spec.data.bar_minutes, outcome.ms));
      }
      if (goldenProblems.length > 0) log(`golden ${flags.golden}: ${goldenProblems.join("; ")}`);
      if (!summary.pass || goldenProblems.length > 0) process.exitCode = 1;
    });
}
