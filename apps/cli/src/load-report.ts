import type { LoadReport } from "@pairgrid/engine";

/** One line per leg: rows, bars, cache use; plus skipped rows (lenient mode) and contract rolls. */
export function printLoadReports(log: (s: string) => void, reports: Record<string, LoadReport>): void {
  for (const [leg, r] of Object.entries(reports)) {
    log(
      `leg ${leg}: ${r.file}: ${r.rowsRead} rows → ${r.bars} bars` +
        `${r.fromCache ? " (cache)" : ""} in ${(r.ms / 1000).toFixed(2)} s`,
    );
    if (r.skipped > 0) {
      const kinds = Object.entries(r.skippedByKind)
        .map(([kind, n]) => `${n} ${kind}`)
        .join(", ");
      const first = r.skippedSamples
        .map((s) => `line ${s.line}: ${s.reason}${s.excerpt === undefined ? "" : `: ${s.excerpt}`}`)
        .join("; ");
      log(`  skipped ${r.skipped} bad rows (lenient mode): ${kinds}; first: ${first}`);
    }
    for (const roll of r.rolls) log(`  contract roll at line ${roll.line}: ${roll.from} → ${roll.to}`);
  }
}
