import { loadLeg } from "@pairgrid/engine";
const [file, cacheDir] = process.argv.slice(2);
const t0 = performance.now();
const { bars, report } = await loadLeg(file, {
  format: "sierra",
  tz: "America/New_York",
  label: "start",
  fileBarMs: 1000,
  delimiter: ",",
  dropZeroVolume: false,
  lenient: false,
  targetBarMs: 1000,
  cacheDir: cacheDir === "none" ? null : cacheDir,
});
const s = (performance.now() - t0) / 1000;
console.log(
  JSON.stringify({
    rows: report.rowsRead,
    bars: bars.ts.length,
    fromCache: report.fromCache,
    seconds: +s.toFixed(2),
    rows_per_s: Math.round(report.rowsRead / s),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
