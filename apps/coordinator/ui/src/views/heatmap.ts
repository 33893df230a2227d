// The heatmap: any statistic over any two parameters, the other parameters either fixed to chosen
// values or aggregated (max, median, mean, min) over. A cell that maps to one combination opens it
// on click. Each cell shows how many rows it aggregates; a third parameter can be swept with a
// slider (its value pinned, the map redrawn). The same numbers are listed in a table under the
// chart.
import { getJson, jobPath } from "../api.js";
import { chart, type Chart } from "../charts.js";
import { esc, field, fill, h, select } from "../dom.js";
import { DASH, fmtInt, fmtParam, fmtStat } from "../format.js";
import type { Agg, Heatmap, ParamValue } from "../types.js";
import type { JobContext } from "./job-context.js";
import { errorBox } from "./status.js";

const AGGS: readonly (readonly [Agg, string])[] = [
  ["max", "max over the others"],
  ["median", "median over the others"],
  ["mean", "mean over the others"],
  ["min", "min over the others"],
  ["fixed", "others fixed"],
];

/** Sequential palette, low → high (viridis-like, readable for colour-blind viewers). */
const PALETTE = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"];

interface State {
  x: string;
  y: string;
  stat: string;
  agg: Agg;
  minTrades: number;
  /** Parameters pinned to a value; in `fixed` mode every parameter but x and y is. */
  fix: Record<string, ParamValue>;
  /** A third parameter swept by the slider (pinned in `fix` to the slider's value), or null. */
  slider: string | null;
}

export function heatmapView(root: HTMLElement, ctx: JobContext): void {
  const { grid } = ctx;
  const axes = grid.params;
  if (axes.length < 2) {
    fill(
      root,
      h("p", { class: "muted" }, "This grid varies fewer than two parameters: there is nothing to map."),
    );
    return;
  }
  // default axes: the two parameters with the most values (the most to see), the longer one on x
  const [xAxis, yAxis] = [...axes].sort((a, b) => b.values.length - a.values.length);
  const state: State = {
    x: xAxis.name,
    y: yAxis.name,
    stat: grid.rank.by,
    agg: "max",
    minTrades: ctx.grid.rank.min_trades, // the job's rank.min_trades, as every ranking
    fix: {},
    slider: null,
  };

  const controls = h("div", { class: "controls" });
  const sliderControls = h("div", { class: "controls slider-controls" });
  const fixControls = h("div", { class: "controls" });
  const message = h("div");
  const summary = h("p", { class: "muted heatmap-summary" });
  const chartBox = h("div", { class: "chart heatmap-chart" });
  const tableBox = h("div", { class: "table-scroll" });
  fill(root, controls, sliderControls, fixControls, message, summary, chartBox, tableBox);
  let current: Chart | null = null;

  const others = () => axes.filter((p) => p.name !== state.x && p.name !== state.y);
  /** In fixed mode every other parameter needs a value: the first one unless already chosen. */
  const normalizeFix = () => {
    for (const k of Object.keys(state.fix)) if (k === state.x || k === state.y) delete state.fix[k];
    if (state.slider === state.x || state.slider === state.y) state.slider = null;
    if (state.slider !== null && !(state.slider in state.fix)) {
      state.fix[state.slider] = axes.find((p) => p.name === state.slider)!.values[0]!;
    }
    if (state.agg === "fixed")
      for (const p of others()) if (!(p.name in state.fix)) state.fix[p.name] = p.values[0];
  };

  /** Choosing for x the parameter on y (or the reverse) swaps the two. */
  const setAxis = (axis: "x" | "y", v: string) => {
    const other = axis === "x" ? "y" : "x";
    if (state[other] === v) state[other] = state[axis];
    state[axis] = v;
  };

  const change = (apply: () => void) => () => {
    apply();
    normalizeFix();
    renderControls();
    void load();
  };

  const renderControls = () => {
    const names = axes.map((p) => [p.name, p.name] as const);
    const minTrades = h("input", {
      type: "number",
      min: 0,
      step: 1,
      value: state.minTrades,
      class: "narrow",
      name: "min_trades",
    });
    minTrades.addEventListener(
      "change",
      change(() => (state.minTrades = Math.max(0, Math.floor(Number(minTrades.value) || 0)))),
    );
    fill(
      controls,
      field(
        "x",
        select(names, state.x, (v) => change(() => setAxis("x", v))(), { name: "x" }),
      ),
      field(
        "y",
        select(names, state.y, (v) => change(() => setAxis("y", v))(), { name: "y" }),
      ),
      field(
        "Statistic",
        select(
          grid.stats.map((s) => [s, s] as const),
          state.stat,
          (v) => change(() => (state.stat = v))(),
          { name: "stat" },
        ),
      ),
      field(
        "Others",
        select(AGGS, state.agg, (v) => change(() => (state.agg = v as Agg))(), { name: "agg" }),
      ),
      field("Min trades", minTrades),
    );
    // the slider: a third parameter, stepped through its values
    const sweep = axes.find((p) => p.name === state.slider) ?? null;
    const range = sweep
      ? h("input", {
          type: "range",
          min: 0,
          max: sweep.values.length - 1,
          step: 1,
          value: Math.max(
            0,
            sweep.values.findIndex((v) => v === state.fix[sweep.name]),
          ),
          name: "slider",
          class: "slider",
        })
      : null;
    const shown = h("b", { class: "slider-value" }, sweep ? fmtParam(state.fix[sweep.name]) : "");
    range?.addEventListener("input", () => {
      fill(shown, fmtParam(sweep!.values[Number(range.value)]));
    });
    range?.addEventListener(
      "change",
      change(() => (state.fix[sweep!.name] = sweep!.values[Number(range.value)]!)),
    );
    fill(
      sliderControls,
      field(
        "Slider",
        select(
          [["", "none"], ...others().map((p) => [p.name, p.name] as const)],
          state.slider ?? "",
          (v) =>
            change(() => {
              if (state.slider !== null && state.agg !== "fixed") delete state.fix[state.slider];
              state.slider = v === "" ? null : v;
            })(),
          { name: "slider-param" },
        ),
      ),
      range ? [range, h("span", { class: "muted" }, `${sweep!.name} = `), shown] : null,
    );
    fill(
      fixControls,
      others()
        .filter((p) => p.name !== state.slider)
        .map((p) =>
          field(
            p.name,
            select(
              [
                ...(state.agg === "fixed" ? [] : [["", `all (${state.agg})`] as const]),
                ...p.values.map((v) => [JSON.stringify(v), fmtParam(v)] as const),
              ],
              p.name in state.fix ? JSON.stringify(state.fix[p.name]) : "",
              (v) =>
                change(() => {
                  if (v === "") delete state.fix[p.name];
                  else state.fix[p.name] = JSON.parse(v) as ParamValue;
                })(),
              { name: `fix-${p.name}` },
            ),
          ),
        ),
    );
  };

  const load = async () => {
    try {
      const hm = await getJson<Heatmap>(jobPath(ctx.jobId, "/heatmap"), {
        x: state.x,
        y: state.y,
        stat: state.stat,
        agg: state.agg,
        min_trades: state.minTrades,
        fix: Object.keys(state.fix).length > 0 ? JSON.stringify(state.fix) : null,
      });
      fill(message);
      render(hm);
    } catch (err) {
      fill(message, errorBox(err));
    }
  };

  const comboAt = (hm: Heatmap, xi: number, yi: number): number | null => hm.combo_ids[yi]?.[xi] ?? null;
  const open = (combo: number | null) => {
    if (combo !== null) location.hash = `#/job/${ctx.jobId}/combo/${combo}`;
  };

  const render = (hm: Heatmap) => {
    const values: number[] = [];
    const data: [number, number, number][] = [];
    hm.cells.forEach((row, yi) =>
      row.forEach((v, xi) => {
        if (v !== null && Number.isFinite(v)) {
          values.push(v);
          data.push([xi, yi, v]);
        }
      }),
    );
    const lo = values.length > 0 ? Math.min(...values) : 0;
    const hi = values.length > 0 ? Math.max(...values) : 1;
    const best = hm.best;
    const bx = best ? hm.x.values.findIndex((v) => v === best.x) : -1;
    const by = best ? hm.y.values.findIndex((v) => v === best.y) : -1;
    const how = hm.agg === "fixed" ? "others fixed" : `${hm.agg} over the others`;
    fill(
      summary,
      `${hm.stat} over ${hm.x.name} × ${hm.y.name}, ${how} · ` +
        `${fmtInt(data.length)} of ${fmtInt(hm.x.values.length * hm.y.values.length)} cells filled · ` +
        "n = distinct results per cell (rows with identical statistics count once)",
      best
        ? [
            ` · best ${fmtStat(hm.stat, best.value)} at ${hm.x.name} = ${fmtParam(best.x)}, ${hm.y.name} = ${fmtParam(best.y)} `,
            best.combo_id !== null
              ? h("a", { href: `#/job/${ctx.jobId}/combo/${best.combo_id}` }, `(combo ${best.combo_id})`)
              : null,
          ]
        : null,
      hm.combo_ids.some((r) => r.some((c) => c !== null)) ? " · click a cell to open its combination" : "",
    );
    current?.dispose();
    chartBox.style.height = `${Math.max(340, 90 + 36 * hm.y.values.length)}px`;
    current = chart(chartBox, {
      animation: false,
      tooltip: {
        formatter: (p: unknown) => {
          const [xi, yi, v] = (p as { data: [number, number, number] }).data;
          const combo = comboAt(hm, xi, yi);
          return (
            `${esc(hm.x.name)} = ${fmtParam(hm.x.values[xi])}<br>${esc(hm.y.name)} = ${fmtParam(hm.y.values[yi])}<br>` +
            `<b>${esc(hm.stat)} = ${fmtStat(hm.stat, v)}</b><br>${fmtInt(hm.counts[yi]?.[xi] ?? 0)} distinct results` +
            (combo !== null ? `<br>combo ${combo}` : "")
          );
        },
      },
      grid: { left: 80, right: 110, top: 20, bottom: 60 },
      xAxis: {
        type: "category",
        name: hm.x.name,
        nameLocation: "middle",
        nameGap: 32,
        data: hm.x.values.map(fmtParam),
        splitArea: { show: true },
      },
      yAxis: {
        type: "category",
        name: hm.y.name,
        nameLocation: "middle",
        nameGap: 56,
        data: hm.y.values.map(fmtParam),
        splitArea: { show: true },
      },
      visualMap: {
        min: lo,
        max: hi === lo ? lo + 1 : hi,
        calculable: true,
        orient: "vertical",
        right: 10,
        top: "middle",
        // max_dd: smaller is better, so the bright end goes to the small values
        inRange: { color: hm.stat === "max_dd" ? [...PALETTE].reverse() : PALETTE },
        formatter: (v: unknown) => fmtStat(hm.stat, Number(v)),
      },
      series: [
        {
          type: "heatmap",
          data,
          label: {
            show: hm.x.values.length <= 14 && hm.y.values.length <= 24,
            fontSize: 10,
            // the value, and under it how many rows the cell aggregates
            formatter: (p: unknown) => {
              const [xi, yi, v] = (p as { data: [number, number, number] }).data;
              const n = hm.counts[yi]?.[xi] ?? 0;
              return hm.agg === "fixed" ? fmtStat(hm.stat, v) : `${fmtStat(hm.stat, v)}\n{n|n=${fmtInt(n)}}`;
            },
            lineHeight: 13,
            rich: { n: { fontSize: 9, lineHeight: 13, color: "#eee" } },
          },
          emphasis: { itemStyle: { borderColor: "#111", borderWidth: 1 } },
        },
      ],
    });
    current.on("click", (p: unknown) => {
      const [xi, yi] = (p as { data: [number, number, number] }).data;
      open(comboAt(hm, xi, yi));
    });
    renderTable(hm, bx, by);
  };

  const renderTable = (hm: Heatmap, bx: number, by: number) => {
    const table = h(
      "table",
      { class: "data heatmap-table" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", {}, `${hm.y.name} \\ ${hm.x.name}`),
          hm.x.values.map((v) => h("th", { class: "num" }, fmtParam(v))),
        ),
      ),
      h(
        "tbody",
        {},
        hm.y.values.map((yv, yi) =>
          h(
            "tr",
            {},
            h("th", { class: "num" }, fmtParam(yv)),
            hm.x.values.map((_, xi) => {
              const v = hm.cells[yi]?.[xi] ?? null;
              const combo = comboAt(hm, xi, yi);
              return h(
                "td",
                {
                  class: `num${xi === bx && yi === by ? " best" : ""}${combo !== null ? " clickable" : ""}`,
                  "data-x": xi,
                  "data-y": yi,
                  "data-value": v === null ? "" : v,
                  "data-count": hm.counts[yi]?.[xi] ?? 0,
                  "data-combo": combo ?? "",
                  onclick: () => open(combo),
                },
                v === null ? DASH : fmtStat(hm.stat, v),
                hm.agg === "fixed"
                  ? null
                  : h("span", { class: "cell-count" }, ` n=${fmtInt(hm.counts[yi]?.[xi] ?? 0)}`),
              );
            }),
          ),
        ),
      ),
    );
    fill(
      tableBox,
      h(
        "details",
        { open: hm.x.values.length * hm.y.values.length <= 400 },
        h("summary", {}, "Values"),
        table,
      ),
    );
  };

  normalizeFix();
  renderControls();
  void load();
}
