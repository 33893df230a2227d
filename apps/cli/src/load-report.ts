import type { LoadReport, Roll } from "@pairgrid/engine";

/** `+73.25` / `−0.5`: a price gap in points. */
function fmtGap(gap: number): string {
  const text = Number(Math.abs(gap).toPrecision(10)).toString();
  return `${gap < 0 ? "−" : "+"}${text}`;
}

/** `5602 ESM4`: a contract by instrument id and, when known, its raw symbol. */
const contract = (id: string, symbol: string | undefined) => (symbol === undefined ? id : `${id} ${symbol}`);

function rollLine(roll: Roll, adjust: string): string {
  const where = roll.line > 0 ? `${roll.file}:${roll.line}` : roll.file;
  return (
    `  roll ${roll.day}: ${contract(roll.from, roll.fromSymbol)} → ${contract(roll.to, roll.toSymbol)}, ` +
    `gap ${fmtGap(roll.gap)} (×${roll.ratio.toFixed(6)}), ${adjust} (${where})`
  );
}

/**
 * One line per leg: files, rows, bars, cache use; plus skipped rows (lenient mode), repeated
 * headers and merged overlaps, and every contract roll with its gap.
 */
export function printLoadReports(log: (s: string) => void, reports: Record<string, LoadReport>): void {
  for (const [leg, r] of Object.entries(reports)) {
    const files = r.files > 1 ? ` (${r.files} files)` : "";
    log(
      `leg ${leg}: ${r.file}${files}: ${r.rowsRead} rows → ${r.bars} bars` +
        `${r.fromCache ? " (cache)" : ""} in ${(r.ms / 1000).toFixed(2)} s`,
    );
    if (r.skipped > 0) {
      const kinds = Object.entries(r.skippedByKind)
        .map(([kind, n]) => `${n} ${kind}`)
        .join(", ");
      const first = r.skippedSamples
        .map(
          (s) =>
            `${s.file === undefined ? "line " : `${s.file}:`}${s.line}: ${s.reason}${s.excerpt === undefined ? "" : `: ${s.excerpt}`}`,
        )
        .join("; ");
      log(`  skipped ${r.skipped} bad rows (lenient mode): ${kinds}; first: ${first}`);
    }
    if (r.headersRepeated > 0) log(`  ${r.headersRepeated} repeated header lines skipped`);
    if (r.duplicatesMerged > 0) log(`  ${r.duplicatesMerged} bars found identical in two files, kept once`);
    const adjust =
      r.roll === null || r.roll.adjust === "none"
        ? "not adjusted"
        : `earlier prices adjusted by ${r.roll.adjust}`;
    for (const roll of r.rolls) log(rollLine(roll, adjust));
  }
}
