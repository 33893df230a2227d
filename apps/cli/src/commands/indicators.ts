import {
  computeIndicators,
  InputError,
  loadSlowPair,
  loadSpecFile,
  resolveCombination,
  writeIndicatorsCsv,
} from "@pairgrid/engine";
import type { Command } from "commander";
import { printLoadReports } from "../load-report.js";
import { collectSets } from "../options.js";

/** `pairgrid indicators SPEC --set k=v… --out FILE.csv` */
export function registerIndicatorsCommand(program: Command): void {
  program
    .command("indicators")
    .description("per-bar hedge, spread, z-score, gate metrics and calendar flags for one combination")
    .argument("<spec>", "grid spec (YAML or JSON)")
    .option(
      "--set <k=v>",
      "fix a parameter (repeatable); unset ones take their axis's first value",
      collectSets,
      [],
    )
    .requiredOption("--out <file.csv>", "output CSV ('-' for stdout)")
    .action(async (specPath: string, opts: { set: string[]; out: string }) => {
      const t0 = performance.now();
      const { spec } = loadSpecFile(specPath);
      const combo = resolveCombination(spec, opts.set, false);
      const sp = await loadSlowPair(spec);
      const ind = computeIndicators(sp.pair, combo, { hedge: spec.hedge, hurstLags: spec.gates.hurst_lags });
      try {
        writeIndicatorsCsv(opts.out, sp, ind);
      } catch (err) {
        throw new InputError(`--out ${opts.out}: ${(err as Error).message}`, "--out");
      }
      const log = (s: string) => process.stderr.write(`${s}\n`);
      printLoadReports(log, sp.reports);
      let valid = 0;
      for (let i = 0; i < ind.z.length; i++) if (!Number.isNaN(ind.z[i]!)) valid++;
      log(
        `${sp.pair.ts.length} aligned bars, ${valid} with a defined z, written to ${opts.out} ` +
          `in ${((performance.now() - t0) / 1000).toFixed(2)} s`,
      );
    });
}
