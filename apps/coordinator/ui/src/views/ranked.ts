// The ranked table: rows of GET /jobs/:id/rows sorted by any statistic, with a minimum trade count
// and per-parameter filters; DSR sits next to Sharpe. A click on a statistic's header sorts by it,
// a click on a row opens the combination.
import { download, getJson, jobPath } from "../api.js";
import { field, fill, h, select } from "../dom.js";
import { fmtInt, fmtParam, fmtStat } from "../format.js";
import type { ParamValue, RowsPage } from "../types.js";
import type { JobContext } from "./job-context.js";
import { errorBox } from "./status.js";

const PAGE = 50;

/**
 * "+N identical" for a row standing for a group of twins (rows with identical statistics, listed
 * once), and the parameters that vary inside the group with their values; "" for none.
 */
function twinsText(r: Record<string, unknown>): { n: number; short: string; detail: string } {
  const n = typeof r.n_identical === "number" ? r.n_identical : 0;
  if (n === 0) return { n, short: "", detail: "" };
  const varying = (r.identical_varying ?? {}) as Record<string, ParamValue[]>;
  const detail = Object.entries(varying)
    .map(([p, values]) => `${p} ${values.map(fmtParam).join("|")}`)
    .join(", ");
  return { n, short: `+${fmtInt(n)} identical`, detail };
}

/** Best first when the user picks another column: smaller is better for max_dd only (as ranking.ts). */
const defaultOrder = (stat: string): "asc" | "desc" => (stat === "max_dd" ? "asc" : "desc");
/** The statistics the table shows, in this order (DSR right after Sharpe), when the job has them. */
const SHOWN = [
  "n_trades",
  "total_pnl",
  "sharpe",
  "dsr",
  "sortino",
  "profit_factor",
  "win_rate",
  "max_dd",
  "avg_bars_held",
  "exposure",
];

interface State {
  by: string;
  order: "desc" | "asc";
  minTrades: number;
  /** Lower bound on the Deflated Sharpe Ratio (a probability), or null. */
  minDsr: number | null;
  filter: Record<string, ParamValue>;
  offset: number;
}

export function rankedView(root: HTMLElement, ctx: JobContext): void {
  const { grid } = ctx;
  const statNames = [...grid.stats];
  // the job's own ranking (rank.by, rank.min_trades), the same rule as `pairgrid top`
  const state: State = {
    by: grid.rank.by,
    order: grid.rank.order,
    minTrades: grid.rank.min_trades,
    minDsr: null,
    filter: {},
    offset: 0,
  };

  const controls = h("div", { class: "controls" });
  const exportStatus = h("span", { class: "muted small download-status" });
  const exportButton = (format: "csv" | "parquet") =>
    h(
      "button",
      {
        type: "button",
        class: "download",
        "data-download": `rows-${format}`,
        title: "every row passing the filters, in this order (not only this page)",
        onclick: () => {
          fill(exportStatus, "preparing…");
          download("GET", jobPath(ctx.jobId, "/rows/export"), {
            by: state.by,
            order: state.order,
            min_trades: state.minTrades,
            filter: filterJson(),
            format,
          }).then(
            (name) => fill(exportStatus, `saved ${name}`),
            (err: unknown) => fill(exportStatus, errorBox(err)),
          );
        },
      },
      `rows .${format}`,
    );
  const exports = h(
    "div",
    { class: "controls downloads" },
    h("span", { class: "muted" }, "Download the filtered rows"),
    exportButton("csv"),
    exportButton("parquet"),
    exportStatus,
  );
  const message = h("div");
  const tableBox = h("div", { class: "table-scroll" });
  const pager = h("div", { class: "pager" });
  fill(root, controls, exports, message, tableBox, pager);

  const reload = () => void load();
  const renderControls = () => {
    const minTrades = h("input", {
      type: "number",
      min: 0,
      step: 1,
      value: state.minTrades,
      class: "narrow",
    });
    minTrades.addEventListener("change", () => {
      state.minTrades = Math.max(0, Math.floor(Number(minTrades.value) || 0));
      state.offset = 0;
      reload();
    });
    const minDsr = h("input", {
      type: "number",
      min: 0,
      max: 1,
      step: 0.05,
      value: state.minDsr ?? "",
      class: "narrow",
      name: "min_dsr",
      placeholder: "any",
    });
    minDsr.addEventListener("change", () => {
      const v = minDsr.value.trim() === "" ? null : Number(minDsr.value);
      state.minDsr = v !== null && Number.isFinite(v) ? v : null;
      state.offset = 0;
      reload();
    });
    fill(
      controls,
      field(
        "Rank by",
        select(
          statNames.map((s) => [s, s] as const),
          state.by,
          (v) => {
            state.by = v;
            state.order = defaultOrder(v);
            state.offset = 0;
            renderControls();
            reload();
          },
          { name: "by" },
        ),
      ),
      field(
        "Order",
        select(
          [
            ["desc", "high → low"],
            ["asc", "low → high"],
          ],
          state.order,
          (v) => {
            state.order = v === "asc" ? "asc" : "desc";
            state.offset = 0;
            reload();
          },
          { name: "order" },
        ),
      ),
      field("Min trades", minTrades),
      field("Min DSR", minDsr),
      grid.params.map((p) =>
        field(
          p.name,
          select(
            [["", "any"], ...p.values.map((v) => [JSON.stringify(v), fmtParam(v)] as const)],
            p.name in state.filter ? JSON.stringify(state.filter[p.name]) : "",
            (v) => {
              if (v === "") delete state.filter[p.name];
              else state.filter[p.name] = JSON.parse(v) as ParamValue;
              state.offset = 0;
              reload();
            },
            { name: `filter-${p.name}` },
          ),
        ),
      ),
    );
  };

  const filterJson = (): string | null => {
    const f: Record<string, ParamValue | { min: number }> = { ...state.filter };
    if (state.minDsr !== null) f.dsr = { min: state.minDsr };
    return Object.keys(f).length > 0 ? JSON.stringify(f) : null;
  };

  const load = async () => {
    try {
      const page = await getJson<RowsPage>(jobPath(ctx.jobId, "/rows"), {
        by: state.by,
        order: state.order,
        limit: PAGE,
        offset: state.offset,
        min_trades: state.minTrades,
        filter: filterJson(),
      });
      fill(message);
      renderTable(page);
    } catch (err) {
      fill(message, errorBox(err));
    }
  };

  const twinsCell = (r: Record<string, unknown>) => {
    const t = twinsText(r);
    return h(
      "td",
      { class: "twins small", "data-identical": t.n, title: t.detail },
      t.short,
      t.detail ? h("span", { class: "muted" }, ` (${t.detail})`) : "",
    );
  };

  const renderTable = (page: RowsPage) => {
    const stats = SHOWN.filter((s) => statNames.includes(s));
    if (!stats.includes(state.by)) stats.push(state.by);
    const params = grid.params.map((p) => p.name);
    const sortHeader = (s: string) =>
      h(
        "th",
        {
          class: s === state.by ? "num sortable sorted" : "num sortable",
          title: `rank by ${s}`,
          onclick: () => {
            state.order = s === state.by ? (state.order === "desc" ? "asc" : "desc") : defaultOrder(s);
            state.by = s;
            state.offset = 0;
            renderControls();
            reload();
          },
        },
        s,
        s === state.by ? (state.order === "desc" ? " ▾" : " ▴") : "",
      );
    const table = h(
      "table",
      { class: "data compact ranked", "data-total": page.total },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { class: "num" }, "#"),
          h("th", { class: "num" }, "combo"),
          h("th", { title: "rows with identical statistics, listed once (the lowest combo id)" }, "twins"),
          params.map((p) => h("th", { class: "num param" }, p)),
          stats.map(sortHeader),
        ),
      ),
      h(
        "tbody",
        {},
        page.rows.map((r, i) => {
          const href = `#/job/${ctx.jobId}/combo/${String(r.combo_id)}`;
          return h(
            "tr",
            { class: "clickable", "data-combo": String(r.combo_id), onclick: () => (location.hash = href) },
            h("td", { class: "num muted" }, fmtInt(state.offset + i + 1)),
            h("td", { class: "num" }, h("a", { href }, String(r.combo_id))),
            twinsCell(r),
            params.map((p) => h("td", { class: "num param" }, fmtParam(r[p]))),
            stats.map((s) =>
              h("td", { class: s === state.by ? "num sorted" : "num", "data-stat": s }, fmtStat(s, r[s])),
            ),
          );
        }),
      ),
    );
    fill(tableBox, page.rows.length > 0 ? table : h("p", { class: "muted" }, "No rows match."));
    const last = Math.min(page.total, state.offset + page.rows.length);
    fill(
      pager,
      h(
        "button",
        {
          disabled: state.offset === 0,
          onclick: () => {
            state.offset = Math.max(0, state.offset - PAGE);
            reload();
          },
        },
        "← previous",
      ),
      h(
        "span",
        { class: "muted" },
        page.total === 0
          ? "0 rows"
          : `${fmtInt(state.offset + 1)}–${fmtInt(last)} of ${fmtInt(page.total)} distinct results`,
      ),
      h(
        "button",
        {
          disabled: last >= page.total,
          onclick: () => {
            state.offset += PAGE;
            reload();
          },
        },
        "next →",
      ),
    );
  };

  renderControls();
  reload();
}
