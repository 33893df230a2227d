import { loadFastPair, loadSlowPair, loadSpecFile } from "@pairgrid/engine";
import type { Command } from "commander";
import { printLoadReports } from "../load-report.js";

/** `pairgrid data check SPEC [--fast]`: load and align a spec's data, report what was found. */
export function registerDataCheck(data: Command): void {
  data
    .command("check")
    .description("load and align the spec's slow (or fast) bars; report rows, bars, time and peak memory")
    .argument("<spec>", "grid spec (YAML or JSON)")
    .option("--fast", "the fast files instead of the slow ones")
    .option("--json", "print the report as JSON")
    .option(
      "--verify-cache",
      "check every cache entry read against its CRC and rebuild any that fails (also PAIRGRID_VERIFY_CACHE=1)",
    )
    .action(async (specPath: string, opts: { fast?: boolean; json?: boolean; verifyCache?: boolean }) => {
      // the loaders read it from the environment, so every command that loads data honours it
      if (opts.verifyCache) process.env.PAIRGRID_VERIFY_CACHE = "1";
      const { spec } = loadSpecFile(specPath, { checkFiles: true });
      const t0 = performance.now();
      // the fast pair as the hybrid engines hold it (ts and closes), the slow one as bars
      const loaded = opts.fast ? await loadFastPair(spec) : await loadSlowPair(spec);
      const ms = performance.now() - t0;
      const ts = "closes" in loaded ? loaded.closes.ts : loaded.pair.ts;
      const report = {
        which: opts.fast ? "fast" : "slow",
        bars: ts.length,
        first: ts.length ? new Date(ts[0]!).toISOString() : null,
        last: ts.length ? new Date(ts[ts.length - 1]!).toISOString() : null,
        seconds: Number((ms / 1000).toFixed(3)),
        peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
        legs: loaded.reports,
      };
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
        return;
      }
      const log = (s: string) => process.stdout.write(`${s}\n`);
      printLoadReports(log, loaded.reports);
      log(
        `${report.which} pair: ${report.bars} aligned bars, ${report.first} … ${report.last}; ` +
          `${report.seconds} s, peak RSS ${report.peak_rss_mb} MB`,
      );
    });
}
