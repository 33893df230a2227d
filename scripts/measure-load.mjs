// Load time and peak RSS of one 1-second Sierra file through loadLeg (the numbers in the notes).
// Usage: node scripts/measure-load.mjs FILE [CACHE_DIR|none]
//   make a 20 M-row file: npx pairgrid data synth --out /tmp/s --days 257 --fast-seconds 1
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
