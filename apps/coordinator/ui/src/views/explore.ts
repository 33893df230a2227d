// The Explore tab: which axes of the grid matter and how the best rows sit on them. A table of
// parameter importance (the share of the statistic's variance each axis explains, GET
// /jobs/:id/importance) and a parallel-coordinates view of the top N rows of the job's ranking
// (GET /jobs/:id/rows, the same rule as every ranked view), one line per row, coloured by the
// statistic: bundles show the plateaus, lone lines the spikes. A click on a line opens the row.
import { getJson, jobPath } from "../api.js";
import { type Chart, chart, COLORS } from "../charts.js";
import { field, fill, h, select } from "../dom.js";
import { fmtInt, fmtParam, fmtStat } from "../format.js";
import type { Importance, RowsPage } from "../types.js";
import type { JobContext } from "./job-context.js";
import { errorBox } from "./status.js";

const TOP_N = ["50", "100", "200", "500"];

export function exploreView(root: HTMLElement, ctx: JobContext): void {
  const { grid } = ctx;
  const state = { stat: grid.rank.by, n: "100" };
  const controls = h("div", { class: "controls" });
  const importanceBox = h("div");
  const parallelNote = h("p", { class: "muted small" });
  const parallelBox = h("div", { class: "chart parallel-chart" });
  const message = h("div");
  fill(
    root,
    controls,
    message,
    h("h2", {}, "Parameter importance"),
    h(
      "p",
      { class: "muted small" },
      "For each varying parameter, the share of the statistic's variance over the ranked rows " +
        "that its value alone explains (η²). Near 0: the statistic does not care; near 1: this " +
        "axis decides it. Axes interact, so shares need not add up to 1.",
    ),
    importanceBox,
    h("h2", {}, "Top rows in parallel coordinates"),
    parallelNote,
    parallelBox,
  );
  let current: Chart | null = null;

  const renderControls = () =>
    fill(
      controls,
      field(
        "Statistic",
        select(
          grid.stats.map((s) => [s, s] as const),
          state.stat,
          (v) => {
            state.stat = v;
            void load();
          },
          { name: "stat" },
        ),
      ),
      field(
        "Top rows",
        select(
          TOP_N.map((n) => [n, n] as const),
          state.n,
          (v) => {
            state.n = v;
            void load();
          },
          { name: "top_n" },
        ),
      ),
      h("span", { class: "muted small" }, `n_trades ≥ ${grid.rank.min_trades} (the job's rank.min_trades)`),
    );

  const load = async () => {
    try {
      const [imp, page] = await Promise.all([
        getJson<Importance>(jobPath(ctx.jobId, "/importance"), { stat: state.stat }),
        getJson<RowsPage>(jobPath(ctx.jobId, "/rows"), { by: state.stat, limit: Number(state.n) }),
      ]);
      fill(message);
      fill(importanceBox, importanceTable(imp));
      renderParallel(page);
    } catch (err) {
      fill(message, errorBox(err));
    }
  };

  const renderParallel = (page: RowsPage) => {
    const params = grid.params;
    fill(
      parallelNote,
      `The ${fmtInt(page.rows.length)} best of ${fmtInt(page.total)} distinct results by ${state.stat} ` +
        "(rows with identical statistics once), " +
        `one line each over the ${params.length} varying parameters; colour: ${state.stat}. ` +
        "Drag along an axis to keep only the lines crossing it there; click a line to open its combination.",
    );
    const stat = (r: Record<string, unknown>) =>
      typeof r[state.stat] === "number" ? (r[state.stat] as number) : null;
    const values = page.rows.map(stat).filter((v): v is number => v !== null);
    const lo = values.length ? Math.min(...values) : 0;
    const hi = values.length ? Math.max(...values) : 1;
    current?.dispose();
    current = chart(parallelBox, {
      animation: false,
      parallel: { left: 70, right: 110, top: 40, bottom: 30 },
      parallelAxis: [
        ...params.map((p, i) => ({
          dim: i,
          name: p.name,
          type: "category" as const,
          data: p.values.map(fmtParam),
        })),
        { dim: params.length, name: state.stat, type: "value" as const, scale: true },
      ],
      visualMap: {
        min: lo,
        max: hi === lo ? lo + 1 : hi,
        dimension: params.length,
        right: 10,
        top: "middle",
        calculable: true,
        inRange: {
          color: state.stat === "max_dd" ? [COLORS.gain, COLORS.loss] : [COLORS.loss, "#f0c040", COLORS.gain],
        },
        formatter: (v: unknown) => fmtStat(state.stat, Number(v)),
      },
      tooltip: { trigger: "item" },
      series: [
        {
          type: "parallel",
          lineStyle: { width: 1.2, opacity: 0.55 },
          emphasis: { lineStyle: { width: 3, opacity: 1 } },
          data: page.rows.map((r) => ({
            name: `combo ${String(r.combo_id)}`,
            value: [...params.map((p) => fmtParam(r[p.name])), stat(r)],
            combo: r.combo_id,
          })),
        },
      ],
    });
    current.on("click", (e: unknown) => {
      const combo = (e as { data?: { combo?: unknown } }).data?.combo;
      if (typeof combo === "number") location.hash = `#/job/${ctx.jobId}/combo/${combo}`;
    });
    parallelBox.setAttribute("data-lines", String(page.rows.length));
  };

  renderControls();
  void load();
}

function importanceTable(imp: Importance): HTMLElement {
  if (imp.params.length === 0) return h("p", { class: "muted" }, "No varying parameter.");
  return h(
    "table",
    { class: "data compact importance", "data-rows": imp.n_rows },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", {}, "parameter"),
        h("th", { class: "num" }, `share of ${imp.stat} variance`),
        h("th", {}, ""),
        h("th", { class: "num" }, "values"),
        h("th", { class: "num" }, "best value (mean)"),
      ),
    ),
    h(
      "tbody",
      {},
      imp.params.map((p) =>
        h(
          "tr",
          { "data-param": p.param, "data-share": p.share ?? "" },
          h("td", {}, p.param),
          h("td", { class: "num" }, p.share === null ? "—" : `${(p.share * 100).toFixed(1)} %`),
          h(
            "td",
            { class: "bar-cell" },
            h("span", { class: "share-bar", style: `width: ${Math.round((p.share ?? 0) * 200)}px` }),
          ),
          h("td", { class: "num" }, fmtInt(p.n_values)),
          h("td", { class: "num" }, `${fmtParam(p.best_value)} (${fmtStat(imp.stat, p.best_mean)})`),
        ),
      ),
    ),
  );
}
