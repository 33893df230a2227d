// The human-readable `pairgrid parity` report: what ran, one line per check with its threshold and
// verdict, the findings, and PASS or FAIL. Scripts read `--json`, `--diff` and `--trace` instead.
import { alignedRows, dollars } from "./backtest-report.js";
import type { ParitySummary } from "./parity-summary.js";

const COUNT = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const count = (v: unknown) => COUNT.format(Number(v));
const small = (v: unknown) => {
  const n = Number(v);
  return n === 0 ? "0" : n.toExponential(2);
};
const verdict = (ok: boolean) => (ok ? "ok" : "FAIL");

function checkRows(s: ParitySummary): string[][] {
  const m = s.metrics;
  const t = s.thresholds;
  const n = (k: string) => Number(m[k]);
  const zThreshold = t.zUlps! > 0 ? `${t.zTol} (or ${t.zUlps} ulp/sigma)` : String(t.zTol);
  return [
    ["check", "value", "threshold", ""],
    ["bars in both", count(n("both")), "", ""],
    ["batch only", count(n("batchOnly")), "0", verdict(n("batchOnly") === 0)],
    ["replay only", count(n("replayOnly")), "0", verdict(n("replayOnly") === 0)],
    [
      "divergent decisions",
      count(n("divergentDecisions")),
      String(t.maxDivergent),
      verdict(n("divergentDecisions") <= t.maxDivergent!),
    ],
    ["divergent states", count(n("divergentStates")), "", ""],
    ["|Δz| mean", small(n("meanAbsDz")), "", ""],
    ["|Δz| max", small(n("maxAbsDz")), zThreshold, verdict(n("zOverTol") === 0)],
    ["z on one side only", count(n("zOneSided")), "0", verdict(n("zOneSided") === 0)],
    ["|Δbeta| max", small(n("maxAbsDBeta")), "", ""],
    ["|Δsize| max", count(n("maxAbsDSize")), String(t.sizeTol), verdict(n("maxAbsDSize") <= t.sizeTol!)],
    ["beta_entry differs", count(n("entryBetaMismatches")), "0", verdict(n("entryBetaMismatches") === 0)],
    [
      "|ΔPnL| max (MTM)",
      dollars(n("maxAbsDEquity")),
      `$${t.pnlTol}`,
      verdict(n("maxAbsDEquity") <= t.pnlTol!),
    ],
    ["ΔPnL realized at end", dollars(n("dRealizedEnd")), "", ""],
    [
      "inputs / config hashes",
      `${count(n("inputMismatches"))} / ${count(n("configMismatches"))} differ`,
      "0",
      verdict(n("inputMismatches") + n("configMismatches") === 0),
    ],
  ];
}

export function parityReport(
  s: ParitySummary,
  symbols: [string, string],
  barMinutes: number,
  ms: { batch: number; replay: number },
): string {
  const w = s.window;
  const sec = (v: number) => `${(v / 1000).toFixed(2)} s`;
  const digestsEqual = s.digests.batch === s.digests.replay;
  const head = [
    `parity ${s.spec}: ${symbols[0]} / ${symbols[1]}, ${barMinutes}-minute bars, ${s.hedge} hedge`,
    ...(s.hybrid_rows === undefined
      ? []
      : [
          `engine   ${s.engine}: ${count(s.hybrid_rows.fast)} fast-bar rows and ${count(s.hybrid_rows.slow)} slow completions compared (${count(s.hybrid_rows.fast_in_window)} fast bars sent)`,
        ]),
    `window   ${w.first_day} … ${w.last_day}: ${count(w.bars)} decision bars (bars ${count(w.from)} … ${count(w.to - 1)})`,
    `replay   warm-up ${count(s.warmup.bars)} bars from bar ${count(s.warmup.start)}: ${s.warmup.reason}`,
    `         next bar: ${s.next_bar}`,
    `batch    ${count(s.n_trades)} trades, total PnL ${dollars(s.total_pnl)}; paths took ${sec(ms.batch)} (batch), ${sec(ms.replay)} (replay)`,
    `digests  ${s.digests.batch.slice(0, 16)} (batch) ${digestsEqual ? "=" : "≠"} ${s.digests.replay.slice(0, 16)} (replay)`,
  ];
  const findings =
    s.findings.length === 0
      ? ["Findings", "  none"]
      : [
          "Findings",
          ...s.findings.map((f) => `  ${f.kind === "cause" ? "cause" : "note "} ${f.code}: ${f.message}`),
        ];
  const end = s.pass
    ? "PASS: the replay made the batch's decision at every bar"
    : ["FAIL:", ...s.failures.map((f) => `  ${f}`)].join("\n");
  const sections = [head, alignedRows(checkRows(s), ["left", "right", "right", "left"]), findings, [end]];
  return `${sections.map((x) => x.join("\n")).join("\n\n")}\n`;
}
