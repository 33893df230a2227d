// `pairgrid hybrid`: one combination through a hybrid engine (ENGINE.md §8), optionally beside the
// slow engine (--compare) or as a precomputed-curve TP×SL grid (--curve-grid).
import {
  axisValues,
  compareRuns,
  configFor,
  dayNumberToIso,
  type GridSpec,
  hybridInputsFor,
  InputError,
  loadFastCloses,
  loadSlowPair,
  loadSpecFile,
  type ReferenceResult,
  resolveCombination,
  runCurveGrid,
  runHybridDollarReference,
  runHybridZLiveReference,
  runReference,
  writeTradesCsv,
} from "@pairgrid/engine";
import type { Command } from "commander";
import { backtestReport } from "../backtest-report.js";
import { comparisonReport, curveGridJson, curveGridReport } from "../hybrid-report.js";
import { printLoadReports } from "../load-report.js";
import { collectSets } from "../options.js";

type HybridEngine = "hybrid_dollar" | "hybrid_zlive";

interface HybridFlags {
  set: string[];
  trades?: string;
  json?: boolean;
  compare?: boolean;
  curveGrid?: boolean;
  engine?: string;
}

/** --engine, else the spec's engine; a slow spec runs dollar mode (said on stderr). */
function engineOf(spec: GridSpec, flag: string | undefined, log: (s: string) => void): HybridEngine {
  const name = flag ?? spec.engine;
  if (name === "hybrid_dollar" || name === "hybrid_zlive") return name;
  // the curve grid reworks hybrid_dollar's levels: its one-combination view is --curve-grid
  if (flag === undefined && name === "hybrid_curve") return "hybrid_dollar";
  if (flag !== undefined)
    throw new InputError(`--engine ${flag}: expected hybrid_dollar or hybrid_zlive`, "--engine");
  log("note: the spec's engine is slow; running hybrid_dollar (choose with --engine)");
  return "hybrid_dollar";
}

/** The spec's values of a dollar axis for --curve-grid (null = that exit off). */
function levelsOf(spec: GridSpec, name: "dollar_tp" | "dollar_sl"): (number | null)[] {
  const axis = (spec.params as Record<string, Parameters<typeof axisValues>[0]>)[name];
  return axis === undefined ? [null] : axisValues(axis);
}

/** `pairgrid hybrid SPEC --set k=v… [--trades FILE.csv] [--json] [--compare] [--curve-grid]` */
export function registerHybridCommand(program: Command): void {
  program
    .command("hybrid")
    .description("hybrid engine on one combination: slow-bar indicators, execution on the fast bars")
    .argument(
      "<spec>",
      "grid spec (YAML or JSON) with fast files (data.a.fast, data.b.fast, data.fast_seconds)",
    )
    .option(
      "--set <k=v>",
      "fix a parameter (repeatable); unset ones take their axis's first value",
      collectSets,
      [],
    )
    .option("--engine <name>", "hybrid_dollar | hybrid_zlive (default: the spec's engine)")
    .option("--trades <file.csv>", "write the hybrid trade list (INTERFACE.md columns, then ISO times)")
    .option("--json", "print only JSON on stdout: the statistics, or the comparison / curve grid")
    .option("--compare", "run the slow engine too: statistics side by side, trades matched by entry time")
    .option(
      "--curve-grid",
      "dollar mode: TP×SL grid over the spec's dollar_tp × dollar_sl axes on fast curves",
    )
    .action(async (specPath: string, opts: HybridFlags) => {
      const t0 = performance.now();
      const log = (s: string) => process.stderr.write(`${s}\n`);
      const { spec } = loadSpecFile(specPath);
      const combo = resolveCombination(spec, opts.set);
      const engine = engineOf(spec, opts.engine, log);
      if (spec.engine === "hybrid_curve" && opts.engine === undefined && !opts.curveGrid) {
        log("note: the spec's engine is hybrid_curve; running the curve grid (--curve-grid)");
        opts.curveGrid = true;
      }
      if (opts.curveGrid && engine !== "hybrid_dollar") {
        throw new InputError(
          "--curve-grid: applies to hybrid_dollar (dollar levels on fast curves)",
          "--curve-grid",
        );
      }
      const sp = await loadSlowPair(spec);
      printLoadReports(log, sp.reports);
      const fl = await loadFastCloses(spec, sp);
      printLoadReports(log, { "a fast": fl.reports.a, "b fast": fl.reports.b });
      const empty = fl.coverage.a.emptySlowBars + fl.coverage.b.emptySlowBars;
      if (empty > 0) {
        log(
          `note: slow bars without a fast bar: ${fl.coverage.a.emptySlowBars} (${spec.data.a.symbol}), ` +
            `${fl.coverage.b.emptySlowBars} (${spec.data.b.symbol})`,
        );
      }
      const h = hybridInputsFor(spec, sp, fl.fast, combo);
      const cfg = configFor(spec, combo);
      const tz = sp.calendar.tz;
      const localTime = (ms: number) =>
        new Date(tz.toLocalNaive(ms)).toISOString().slice(0, 19).replace("T", " ");

      if (opts.curveGrid) {
        const grid = runCurveGrid(
          { slow: h.slow, fast: h.fast, tradingDayOf: (ms) => sp.calendar.tradingDay(ms) },
          cfg,
          levelsOf(spec, "dollar_tp"),
          levelsOf(spec, "dollar_sl"),
        );
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(curveGridJson(grid))}\n`);
        } else process.stdout.write(curveGridReport(grid));
        log(`${grid.cells.length} cells in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
        return;
      }

      const result: ReferenceResult =
        engine === "hybrid_zlive"
          ? runHybridZLiveReference(h, cfg, spec.rank.folds)
          : runHybridDollarReference(h, cfg, spec.rank.folds);
      if (opts.trades) {
        try {
          writeTradesCsv(opts.trades, result.trades);
        } catch (err) {
          throw new InputError(`--trades ${opts.trades}: ${(err as Error).message}`, "--trades");
        }
      }
      const comparison = opts.compare
        ? compareRuns(runReference(h.slow, cfg, spec.rank.folds), result)
        : null;

      if (opts.json) {
        const out = comparison === null ? result.stats : { engine, ...comparison };
        process.stdout.write(`${JSON.stringify(out)}\n`);
      } else {
        process.stdout.write(
          `${engine}: ${spec.data.fast_seconds}-second fast bars (${fl.fast.n.toLocaleString("en-US")} aligned rows)\n`,
        );
        process.stdout.write(
          backtestReport({
            specName: spec.name,
            symbols: [spec.data.a.symbol, spec.data.b.symbol],
            barMinutes: spec.data.bar_minutes,
            hedge: spec.hedge,
            combo,
            result,
            nBars: h.slow.n,
            firstDay: dayNumberToIso(h.slow.tradingDay[0]),
            lastDay: dayNumberToIso(h.slow.tradingDay[h.slow.n - 1]),
            tzName: tz.name,
            localTime: (ms) => localTime(ms).slice(0, 16),
          }),
        );
        if (comparison !== null) process.stdout.write(`\n${comparisonReport(comparison, engine, localTime)}`);
      }
      log(
        `${h.slow.n} slow bars, ${fl.fast.n} fast rows, ${result.trades.length} trades in ` +
          `${((performance.now() - t0) / 1000).toFixed(2)} s`,
      );
    });
}
