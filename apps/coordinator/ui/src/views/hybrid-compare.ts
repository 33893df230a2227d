// The slow-vs-hybrid comparison of one combination (GET /jobs/:id/combos/:combo, `hybrid`): both
// runs' statistics side by side, how their trades match up, and the exits the fast bars moved.
import { h } from "../dom.js";
import { fmtInt, fmtStat, fmtTimeIn, sideName } from "../format.js";
import type { HybridSection } from "../types.js";

/** Slow vs hybrid: the statistics side by side, trade matching counts, and the exits that moved. */
export function hybridSection(hy: HybridSection, tz: string): HTMLElement {
  const tc = hy.trades_compared;
  const stat = (k: string, v: number | null, side: string) =>
    h("td", { class: "num", "data-side": side }, fmtStat(k, v));
  return h(
    "section",
    { class: "hybrid" },
    h("h2", {}, `Slow vs hybrid (${hy.engine})`),
    h(
      "p",
      { class: "muted small" },
      "The same combination run by the slow reference engine (the curve, reasons and trades on this page) and " +
        "by the hybrid engine on the fast bars. On a hybrid job the stored row is the hybrid run.",
    ),
    h(
      "div",
      { class: "cards" },
      [
        ["trades slow / hybrid", `${fmtInt(tc.slow)} / ${fmtInt(tc.hybrid)}`],
        ["matched entries", fmtInt(tc.matched)],
        ["exits moved", fmtInt(tc.moved)],
        ["only slow / only hybrid", `${fmtInt(tc.slow_only)} / ${fmtInt(tc.hybrid_only)}`],
        ["PnL hybrid − slow", fmtStat("total_pnl", hy.pnl_difference)],
        ["fast rows", fmtInt(hy.fast_rows)],
      ].map(([label, value]) =>
        h(
          "div",
          { class: "card" },
          h("div", { class: "card-label" }, label),
          h("div", { class: "card-value" }, value),
        ),
      ),
    ),
    h(
      "div",
      { class: "two-col" },
      h(
        "div",
        { class: "table-scroll" },
        h(
          "table",
          { class: "data compact hybrid-table" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", {}, "statistic"),
              h("th", { class: "num" }, "slow"),
              h("th", { class: "num" }, "hybrid"),
              h("th", { class: "num" }, "hybrid − slow"),
            ),
          ),
          h(
            "tbody",
            {},
            Object.entries(hy.statistics).map(([k, p]) =>
              h(
                "tr",
                { "data-stat": k },
                h("td", {}, k),
                stat(k, p.slow, "slow"),
                stat(k, p.hybrid, "hybrid"),
                stat(k, p.diff, "diff"),
              ),
            ),
          ),
        ),
      ),
      h(
        "div",
        {},
        h(
          "h3",
          {},
          `Exits that moved (${fmtInt(tc.moved)}${hy.moved.length < tc.moved ? `, first ${hy.moved.length} listed` : ""})`,
        ),
        hy.moved.length === 0
          ? h("p", { class: "muted" }, "None.")
          : h(
              "div",
              { class: "table-scroll trades-scroll" },
              h(
                "table",
                { class: "data compact moved" },
                h(
                  "thead",
                  {},
                  h(
                    "tr",
                    {},
                    [
                      `entry (${tz})`,
                      "side",
                      "slow exit",
                      "slow reason",
                      "hybrid exit",
                      "hybrid reason",
                      "PnL diff",
                    ].map((t) => h("th", {}, t)),
                  ),
                ),
                h(
                  "tbody",
                  {},
                  hy.moved.map((m) =>
                    h(
                      "tr",
                      {},
                      h("td", {}, fmtTimeIn(m.entry_ts, tz)),
                      h("td", {}, sideName(m.side)),
                      h("td", {}, fmtTimeIn(m.slow.exit_ts, tz, true)),
                      h("td", {}, m.slow.reason),
                      h("td", {}, fmtTimeIn(m.hybrid.exit_ts, tz, true)),
                      h("td", {}, m.hybrid.reason),
                      h("td", { class: "num" }, fmtStat("total_pnl", m.pnl_diff)),
                    ),
                  ),
                ),
              ),
            ),
      ),
    ),
  );
}
