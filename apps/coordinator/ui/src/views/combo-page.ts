// `#/job/ID/combo/C`: one combination, re-run by the reference engine on the server: its
// statistics next to the stored ones, the z-score with its bands and the trades on it, equity
// curve and drawdown (zoom linked), exit reasons, the trades, the command that replays it and
// downloads, and the slow-vs-hybrid comparison when the job has fast data. Every time is shown
// in the session's time zone, named.
import { download, getJson, jobPath } from "../api.js";
import { chart, COLORS } from "../charts.js";
import { fill, h } from "../dom.js";
import { fmtInt, fmtParam, fmtStat, fmtTimeIn, sideName } from "../format.js";
import type { ComboDetail, Row } from "../types.js";
import { commandBox } from "./command-box.js";
import { hybridSection } from "./hybrid-compare.js";
import { signalChart, zoneAxes } from "./signal-chart.js";
import { errorBox } from "./status.js";

/** Headline statistics, shown as cards. */
const HEADLINE = ["n_trades", "total_pnl", "sharpe", "dsr", "sortino", "max_dd", "win_rate", "profit_factor"];

/** Parameters of one hedge only: their chips are left out on a job with the other. */
const HEDGE_ONLY: Record<string, "ols" | "kalman"> = { ols_window: "ols", delta: "kalman", ve: "kalman" };

/** Trade columns shown, with their headers and formats; times in the session's zone `tz`. */
const tradeCols = (tz: string): readonly (readonly [string, string, (v: unknown) => string])[] => [
  ["side", "side", sideName],
  ["entry_ts", `entry (${tz})`, (v) => fmtTimeIn(v as number, tz)],
  ["exit_ts", `exit (${tz})`, (v) => fmtTimeIn(v as number, tz)],
  ["bars_held", "bars", (v) => fmtStat("n_", v)],
  ["n_a", "qty A", (v) => fmtStat("n_", v)],
  ["n_b", "qty B", (v) => fmtStat("n_", v)],
  ["beta_entry", "β", (v) => fmtStat("beta", v)],
  ["pnl_gross", "gross", (v) => fmtStat("total_pnl", v)],
  ["costs", "costs", (v) => fmtStat("total_pnl", v)],
  ["pnl_net", "net", (v) => fmtStat("total_pnl", v)],
  ["mfe", "MFE", (v) => fmtStat("total_pnl", v)],
  ["mae", "MAE", (v) => fmtStat("total_pnl", v)],
  ["reason", "exit reason", (v) => String(v ?? "")],
];

export function comboPageView(root: HTMLElement, jobId: string, comboId: string): void {
  const body = h(
    "div",
    {},
    h("p", { class: "muted loading" }, "Running the reference engine on this combination…"),
  );
  fill(
    root,
    h(
      "p",
      { class: "crumbs" },
      h("a", { href: "#/" }, "Jobs"),
      " / ",
      h("a", { href: `#/job/${jobId}` }, jobId),
      " / combination ",
      comboId,
    ),
    body,
  );
  void (async () => {
    try {
      const d = await getJson<ComboDetail>(jobPath(jobId, `/combos/${encodeURIComponent(comboId)}`));
      render(body, jobId, d);
    } catch (err) {
      fill(body, errorBox(err));
    }
  })();
}

function render(body: HTMLElement, jobId: string, d: ComboDetail): void {
  const stored = d.stored ?? {};
  const value = (s: string) => (s in d.stats ? d.stats[s] : stored[s]);
  const equityBox = h("div", { class: "chart equity-chart" });
  const signalBox = h("div", { class: "chart signal-chart" });
  const reasonsBox = h("div", { class: "chart reasons-chart" });
  const tz = d.session_tz;
  const chips = Object.entries(d.params).filter(([k]) => (HEDGE_ONLY[k] ?? d.hedge) === d.hedge);
  fill(
    body,
    h("h1", {}, `Combination ${d.combo_id}`),
    twinsNote(jobId, stored),
    h(
      "div",
      { class: "chips" },
      h(
        "span",
        { class: "chip hedge", title: "the job's hedge and engine" },
        `${d.hedge} hedge · ${d.engine} engine`,
      ),
      chips.map(([k, v]) =>
        h(
          "span",
          { class: v === null ? "chip off" : "chip" },
          h("span", { class: "muted" }, k),
          " ",
          fmtParam(v),
        ),
      ),
    ),
    h(
      "div",
      { class: "cards" },
      HEADLINE.filter((s) => value(s) !== undefined).map((s) =>
        h(
          "div",
          { class: "card", "data-stat": s },
          h("div", { class: "card-label" }, s),
          h("div", { class: "card-value" }, fmtStat(s, value(s))),
        ),
      ),
    ),
    commandBox(d.command),
    downloads(jobId, d.combo_id),
    h("h2", {}, "Z-score and trades"),
    h(
      "p",
      { class: "muted small" },
      `The spread's z-score with the ±z_entry, ±z_exit and ±z_stop bands; ▲ long and ▼ short ` +
        `entries, ● exits coloured by exit reason. Times in ${tz}` +
        (d.signal.downsampled
          ? `; drawn from ${fmtInt(d.signal.ts.length)} of ${fmtInt(d.signal.n_bars)} bars (each bucket's extremes, every bar around a trade)`
          : "") +
        ". Zooming here zooms the equity too.",
    ),
    signalBox,
    h("h2", {}, "Equity and drawdown"),
    h(
      "p",
      { class: "muted small" },
      `Mark-to-market, ${fmtInt(d.equity.n_bars)} bars` +
        (d.equity.downsampled
          ? ` (drawn from ${fmtInt(d.equity.ts.length)} points keeping each bucket's extremes)`
          : "") +
        `. Times in ${tz}. Scroll or drag the slider to zoom.`,
    ),
    equityBox,
    h(
      "div",
      { class: "two-col" },
      h("div", {}, h("h2", {}, "Exit reasons"), reasonsBox, reasonsTable(d.reasons)),
      h("div", {}, h("h2", {}, "Statistics"), statsTable(d.stats, d.stored)),
    ),
    d.hybrid ? hybridSection(d.hybrid, tz) : null,
    h("h2", {}, `Trades (${fmtInt(d.trades.length)})`),
    tradesTable(d.trades, tz),
    h("p", { class: "muted small" }, h("a", { href: `#/job/${jobId}` }, "← back to the job")),
  );
  const equity = equityChart(equityBox, d.equity, tz);
  const signal = signalChart(signalBox, d, tz);
  // one zoom for both: a window on the z-score is the same window on the equity
  echarts.connect([signal, equity]);
  reasonsChart(reasonsBox, d.reasons);
}

/** CSV and Parquet downloads of the trades and of the equity at every bar. */
function downloads(jobId: string, comboId: number): HTMLElement {
  const status = h("span", { class: "muted small download-status" });
  const button = (table: "trades" | "equity", format: "csv" | "parquet") =>
    h(
      "button",
      {
        type: "button",
        class: "download",
        "data-download": `${table}-${format}`,
        onclick: () => {
          fill(status, "preparing…");
          download("GET", jobPath(jobId, `/combos/${comboId}/export`), { table, format }).then(
            (name) => fill(status, `saved ${name}`),
            (err: unknown) => fill(status, errorBox(err)),
          );
        },
      },
      `${table} .${format}`,
    );
  return h(
    "div",
    { class: "controls downloads" },
    h("span", { class: "muted" }, "Download"),
    button("trades", "csv"),
    button("trades", "parquet"),
    button("equity", "csv"),
    button("equity", "parquet"),
    status,
  );
}

/** Compact money for narrow axes: 12.5k, −3k. */
const compact = (v: number) =>
  Math.abs(v) >= 1000 ? `${+(v / 1000).toFixed(Math.abs(v) >= 10_000 ? 0 : 1)}k` : String(+v.toFixed(0));

function equityChart(el: HTMLElement, eq: ComboDetail["equity"], tz: string) {
  const { shift, axis } = zoneAxes(tz);
  const pts = (ys: number[], sign = 1) => eq.ts.map((t, i) => [shift(t), sign * ys[i]] as [number, number]);
  // the axis spans the curve and a margin, not echarts' rounded guess (it went to −50,000 for a
  // curve that stays above 0)
  const lo = Math.min(...eq.equity);
  const hi = Math.max(...eq.equity);
  // a round step (1, 2 or 5 × 10^k) for about five intervals, bounds on its multiples
  const raw = Math.max((hi - lo) / 5, 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  return chart(el, {
    animation: false,
    useUTC: true,
    tooltip: { trigger: "axis", axisPointer: { type: "cross", link: [{ xAxisIndex: "all" }] } },
    axisPointer: { link: [{ xAxisIndex: "all" }] },
    grid: [
      { left: 70, right: 30, top: 20, height: "52%" },
      { left: 70, right: 30, top: "68%", height: "18%" },
    ],
    xAxis: [
      { ...axis, gridIndex: 0, axisLabel: { show: false } },
      { ...axis, gridIndex: 1 },
    ],
    yAxis: [
      {
        type: "value",
        gridIndex: 0,
        name: "equity $",
        min: Math.floor(lo / step) * step,
        max: Math.ceil(hi / step) * step,
        interval: step,
        axisLabel: { formatter: compact },
      },
      {
        type: "value",
        gridIndex: 1,
        name: "drawdown $",
        max: 0,
        splitNumber: 2,
        nameGap: 8,
        axisLabel: { formatter: compact },
      },
    ],
    dataZoom: [
      { type: "inside", xAxisIndex: [0, 1] },
      { type: "slider", xAxisIndex: [0, 1], bottom: 8, height: 20 },
    ],
    series: [
      {
        name: "equity",
        type: "line",
        xAxisIndex: 0,
        yAxisIndex: 0,
        data: pts(eq.equity),
        showSymbol: false,
        sampling: "lttb",
        lineStyle: { width: 1.5, color: COLORS.line },
        itemStyle: { color: COLORS.line },
      },
      {
        name: "drawdown",
        type: "line",
        xAxisIndex: 1,
        yAxisIndex: 1,
        data: pts(eq.drawdown, -1),
        showSymbol: false,
        sampling: "lttb",
        lineStyle: { width: 1, color: COLORS.loss },
        itemStyle: { color: COLORS.loss },
        areaStyle: { color: "rgba(192, 57, 43, 0.25)" },
      },
    ],
  });
}

function reasonsChart(el: HTMLElement, reasons: Record<string, number>): void {
  const entries = Object.entries(reasons).sort((a, b) => b[1] - a[1]);
  chart(el, {
    animation: false,
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    grid: { left: 110, right: 40, top: 10, bottom: 30 },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: entries.map(([k]) => k), inverse: true },
    series: [
      {
        type: "bar",
        data: entries.map(([, n]) => n),
        itemStyle: { color: COLORS.line },
        label: { show: true, position: "right" },
      },
    ],
  });
}

function reasonsTable(reasons: Record<string, number>): HTMLTableElement {
  const total = Object.values(reasons).reduce((a, b) => a + b, 0);
  return h(
    "table",
    { class: "data compact reasons" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", {}, "reason"),
        h("th", { class: "num" }, "trades"),
        h("th", { class: "num" }, "share"),
      ),
    ),
    h(
      "tbody",
      {},
      Object.entries(reasons)
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) =>
          h(
            "tr",
            { "data-reason": k },
            h("td", {}, k),
            h("td", { class: "num" }, fmtInt(n)),
            h("td", { class: "num" }, total > 0 ? fmtStat("win_rate", n / total) : ""),
          ),
        ),
    ),
  );
}

/** The reference run's statistics, with the stored ones beside them when the row was stored. */
function statsTable(stats: Row, stored: Row | null): HTMLTableElement {
  // dsr is a ranking figure: the stored row has it, a single run does not
  const names = [...Object.keys(stats), ...(stored && "dsr" in stored && !("dsr" in stats) ? ["dsr"] : [])];
  return h(
    "table",
    { class: "data compact stats-table" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", {}, "statistic"),
        h("th", { class: "num", title: "the reference engine (slow bars), run now" }, "reference run"),
        stored ? h("th", { class: "num", title: "the job's row, from its own engine" }, "stored") : null,
      ),
    ),
    h(
      "tbody",
      {},
      names.map((k) =>
        h(
          "tr",
          { "data-stat": k },
          h("td", {}, k),
          h("td", { class: "num" }, fmtStat(k, stats[k])),
          stored ? h("td", { class: "num" }, fmtStat(k, stored[k])) : null,
        ),
      ),
    ),
  );
}

function tradesTable(trades: Row[], tz: string): HTMLElement {
  const TRADE_COLS = tradeCols(tz);
  if (trades.length === 0) return h("p", { class: "muted" }, "No trades.");
  return h(
    "div",
    { class: "table-scroll trades-scroll" },
    h(
      "table",
      { class: "data compact trades" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { class: "num" }, "#"),
          TRADE_COLS.map(([, label]) =>
            h(
              "th",
              { class: label === "exit reason" || label === "side" ? "" : "num", "data-col": label },
              label,
            ),
          ),
        ),
      ),
      h(
        "tbody",
        {},
        trades.map((t, i) =>
          h(
            "tr",
            { class: typeof t.pnl_net === "number" && t.pnl_net < 0 ? "loss" : "gain" },
            h("td", { class: "num muted" }, fmtInt(i + 1)),
            TRADE_COLS.map(([k, , f]) =>
              h("td", { class: k === "reason" || k === "side" ? "" : "num" }, f(t[k])),
            ),
          ),
        ),
      ),
    ),
  );
}

/**
 * Twins (rows with identical statistics, which rankings list once by the lowest combo id): "identical
 * to combination N" on a twin, "+N identical" on the row that stands for its group.
 */
function twinsNote(jobId: string, stored: Record<string, unknown>): HTMLElement | null {
  if (typeof stored.same_as === "number") {
    const href = `#/job/${jobId}/combo/${stored.same_as}`;
    return h(
      "p",
      { class: "twins-note muted", "data-same-as": stored.same_as },
      "Identical to ",
      h("a", { href }, `combination ${stored.same_as}`),
      " (same statistics): rankings list that one.",
    );
  }
  const n = typeof stored.n_identical === "number" ? stored.n_identical : 0;
  if (n === 0) return null;
  return h(
    "p",
    { class: "twins-note muted", "data-identical": n },
    `+${fmtInt(n)} identical: other combinations of this job have the same statistics; rankings list this one.`,
  );
}
