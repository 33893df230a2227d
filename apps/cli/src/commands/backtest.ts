import {
  backtestInputs,
  computeIndicators,
  configFor,
  dayNumberToIso,
  InputError,
  loadSlowPair,
  loadSpecFile,
  resolveCombination,
  runReference,
  writeEquityCsv,
  writeTradesCsv,
} from "@pairgrid/engine";
import type { Command } from "commander";
import { backtestReport } from "../backtest-report.js";
import { printLoadReports } from "../load-report.js";
import { collectSets } from "../options.js";

interface BacktestFlags {
  set: string[];
  trades?: string;
  equity?: string;
  json?: boolean;
}

/**
 * A gate switched on by `--set` (or its window switched off) would otherwise reach the engine with
 * no metric to compare; the spec check only sees the spec's own axes.
 */
function writeOutput(flag: string, path: string, write: () => void): void {
  try {
    write();
  } catch (err) {
    throw new InputError(`${flag} ${path}: ${(err as Error).message}`, flag);
  }
}

/** `pairgrid backtest SPEC --set k=v… [--trades FILE.csv] [--equity FILE.csv] [--json]` */
export function registerBacktestCommand(program: Command): void {
  program
    .command("backtest")
    .description("reference engine on one combination: statistics, trade list, equity curve")
    .argument("<spec>", "grid spec (YAML or JSON)")
    .option(
      "--set <k=v>",
      "fix a parameter (repeatable); unset ones take their axis's first value",
      collectSets,
      [],
    )
    .option("--trades <file.csv>", "write the trade list (INTERFACE.md columns, then ISO times)")
    .option("--equity <file.csv>", "write the mark-to-market equity and drawdown at every bar close")
    .option("--json", "print only the statistics, as one JSON object, on stdout")
    .action(async (specPath: string, opts: BacktestFlags) => {
      const t0 = performance.now();
      const log = (s: string) => process.stderr.write(`${s}\n`);
      const { spec } = loadSpecFile(specPath);
      const combo = resolveCombination(spec, opts.set);
      const sp = await loadSlowPair(spec);
      printLoadReports(log, sp.reports);
      if (spec.engine !== "slow") {
        log(`note: the spec's engine is ${spec.engine}; backtest runs the slow reference engine`);
      }
      const ind = computeIndicators(sp.pair, combo, { hedge: spec.hedge, hurstLags: spec.gates.hurst_lags });
      const inputs = backtestInputs(sp, ind);
      const result = runReference(inputs, configFor(spec, combo), spec.rank.folds);

      if (opts.trades)
        writeOutput("--trades", opts.trades, () => writeTradesCsv(opts.trades!, result.trades));
      if (opts.equity) {
        writeOutput("--equity", opts.equity, () =>
          writeEquityCsv(opts.equity!, inputs.ts, inputs.barMs, result.equity),
        );
      }

      if (opts.json) {
        // exactly the statistics object, so a script can compare it with a results row
        process.stdout.write(`${JSON.stringify(result.stats)}\n`);
      } else {
        const tz = sp.calendar.tz;
        process.stdout.write(
          backtestReport({
            specName: spec.name,
            symbols: [spec.data.a.symbol, spec.data.b.symbol],
            barMinutes: spec.data.bar_minutes,
            hedge: spec.hedge,
            combo,
            result,
            nBars: inputs.n,
            firstDay: dayNumberToIso(inputs.tradingDay[0]!),
            lastDay: dayNumberToIso(inputs.tradingDay[inputs.n - 1]!),
            tzName: tz.name,
            localTime: (ms) => new Date(tz.toLocalNaive(ms)).toISOString().slice(0, 16).replace("T", " "),
          }),
        );
      }
      log(
        `${inputs.n} bars, ${result.trades.length} trades in ${((performance.now() - t0) / 1000).toFixed(2)} s`,
      );
    });
}
