// Robustness of the job's ranking (GET /jobs/:id/robustness): the Probability of Backtest
// Overfitting (CSCV) with its λ histogram and IS→OOS degradation, walk-forward selection anchored
// and rolling with its stitched out-of-sample equity, and the top rows with Sharpe, DSR and the
// stability of their grid cell. Each figure says in a line what it means. The report takes
// seconds on a big job: the page shows the time it has been computing; the server keeps each
// report until the job's rows or status change (robustness-report.ts), and the page keeps those
// of finished jobs for the session.
import { getJson, jobPath } from "../api.js";
import { chart, COLORS } from "../charts.js";
import { field, fill, h, select } from "../dom.js";
import { fmtInt, fmtParam, fmtStat } from "../format.js";
import type { RobustnessReport, WalkForwardReport } from "../types.js";
import type { JobContext } from "./job-context.js";
import { errorBox } from "./status.js";

type Report = RobustnessReport;

const folds = (from: number, to: number) => (from === to ? `${from}` : `${from}–${to}`);

/** Reports already computed this session, by job and query; a running job's are not kept. */
const reports = new Map<string, Report>();

/** PBO reads: below 0.2 the ranking holds up out of sample, above 0.5 it is mostly noise. */
function pboClass(p: number | null): string {
  if (p === null) return "";
  return p < 0.2 ? "good" : p <= 0.5 ? "warn" : "bad";
}

export function robustnessView(root: HTMLElement, ctx: JobContext): void {
  const state = { by: "sharpe", splits: "", window: "" };
  const controls = h("div", { class: "controls" });
  const body = h("div");
  fill(root, controls, body);

  const numberInput = (name: "splits" | "window", placeholder: string) => {
    const el = h("input", {
      type: "number",
      min: 1,
      step: 1,
      class: "narrow",
      name,
      placeholder,
      value: state[name],
    });
    el.addEventListener("change", () => {
      state[name] = el.value.trim();
      void load();
    });
    return el;
  };
  fill(
    controls,
    field(
      "Statistic",
      select(
        [
          ["sharpe", "sharpe"],
          ["total_pnl", "total_pnl"],
        ],
        state.by,
        (v) => {
          state.by = v;
          void load();
        },
        { name: "by" },
      ),
    ),
    field("CSCV groups", numberInput("splits", "auto")),
    field("Walk-forward window", numberInput("window", "auto")),
  );

  let loading = 0;
  const load = async () => {
    const query = { by: state.by, splits: state.splits || null, window: state.window || null };
    const key = `${ctx.jobId}|${JSON.stringify(query)}`;
    const cached = reports.get(key);
    if (cached) {
      render(body, ctx.jobId, cached);
      return;
    }
    const mine = ++loading;
    const elapsed = h("span", { class: "elapsed" }, "0 s");
    const started = performance.now();
    const tick = setInterval(() => {
      if (mine !== loading || !body.isConnected) return clearInterval(tick);
      fill(elapsed, `${Math.round((performance.now() - started) / 1000)} s`);
    }, 500);
    const rows = ctx.grid.n_rows;
    fill(
      body,
      h(
        "div",
        { class: "computing", "data-computing": "true" },
        h("progress", {}),
        h(
          "p",
          {},
          "Computing: ",
          elapsed,
          ` — reading the fold statistics of ${fmtInt(rows)} rows, then PBO over the CSCV splits ` +
            `and the walk-forward selection (about 5 s for 100,000 rows; the server keeps the report ` +
            `until the job changes, so the next look is instant).`,
        ),
      ),
    );
    try {
      const r = await getJson<Report>(jobPath(ctx.jobId, "/robustness"), query);
      if (ctx.job.status !== "running") reports.set(key, r);
      if (mine === loading) render(body, ctx.jobId, r);
    } catch (err) {
      if (mine === loading) fill(body, errorBox(err));
    } finally {
      clearInterval(tick);
    }
  };
  void load();
}

function render(body: HTMLElement, jobId: string, r: Report): void {
  const p = r.pbo;
  const lambdaBox = h("div", { class: "chart lambda-chart" });
  const degradationBox = h("div", { class: "chart degradation-chart" });
  const card = (label: string, value: string, help: string, attrs: Record<string, string> = {}) =>
    h(
      "div",
      { class: "card", ...attrs },
      h("div", { class: "card-label" }, label),
      h("div", { class: "card-value" }, value),
      h("div", { class: "card-help" }, help),
    );
  const deg = p?.degradation;
  fill(
    body,
    h(
      "div",
      { class: "cards explained" },
      h(
        "div",
        { class: `card pbo ${pboClass(p?.pbo ?? null)}`, "data-figure": "pbo", "data-value": p?.pbo ?? "" },
        h("div", { class: "card-label" }, "PBO (probability of backtest overfitting)"),
        h("div", { class: "card-value big" }, p ? fmtStat("pbo", p.pbo) : "n/a"),
        h(
          "div",
          { class: "card-help" },
          "How often the row that is best in one half of the folds is below the median in the other half. Under 0.2: the ranking holds; over 0.5: mostly luck.",
        ),
      ),
      p && deg
        ? [
            card(
              "CSCV splits",
              `${fmtInt(p.n_splits)}${p.sampled ? ` of ${fmtInt(p.n_splits_total)}` : ""}`,
              `The folds are cut into ${p.groups} groups; each split picks half of them as in-sample, the rest as out-of-sample${p.sampled ? " (a fixed sample of the splits)" : ""}.`,
            ),
            card(
              `Out-of-sample ${r.by} of the in-sample best`,
              deg.slope === null || deg.intercept === null
                ? "—"
                : `≈ ${fmtStat(r.by, deg.intercept)} ${deg.slope < 0 ? "−" : "+"} ${fmtStat("slope", Math.abs(deg.slope))} × in-sample`,
              deg.slope === null
                ? "Not enough splits for a fit."
                : `Least-squares line through the degradation plot: a slope ${deg.slope < 0 ? "below 0 means a better in-sample figure predicts a worse out-of-sample one" : "near 1 would mean in-sample figures carry over"}.`,
            ),
            card(
              `Chance the in-sample best loses out of sample`,
              fmtStat("win_rate", deg.prob_oos_loss),
              `Share of splits where the winner's out-of-sample ${r.by} is below 0.`,
            ),
          ]
        : null,
      card(
        "combinations × folds",
        `${fmtInt(r.n_combos)} × ${fmtInt(r.n_folds)}` +
          (r.n_distinct < r.n_combos ? ` (${fmtInt(r.n_distinct)} distinct)` : ""),
        "Rows of the job and the time folds (rank.folds) each row's PnL is split into. PBO and " +
          "walk-forward rank distinct results: rows with identical statistics (twins) count once.",
      ),
    ),
    p
      ? h(
          "div",
          { class: "two-col" },
          h(
            "div",
            {},
            h("h2", {}, "λ histogram"),
            h(
              "p",
              { class: "muted small" },
              "Logit of the in-sample winner's out-of-sample rank; the red bars (λ ≤ 0) make up PBO.",
            ),
            lambdaBox,
          ),
          h(
            "div",
            {},
            h("h2", {}, "Degradation"),
            h(
              "p",
              { class: "muted small" },
              `The in-sample winner's ${r.by} against its out-of-sample ${r.by}, one point per split.`,
            ),
            degradationBox,
          ),
        )
      : h("p", { class: "muted" }, "PBO needs at least 2 folds and 2 combinations."),
    h("h2", {}, r.walk_forward ? `Walk-forward (window ${r.walk_forward.window} folds)` : "Walk-forward"),
    r.walk_forward
      ? [
          h(
            "p",
            { class: "muted small" },
            "At each test fold, the row best on the training folds before it (anchored: all of " +
              "them; rolling: the last window) is traded in the test fold. Stitched together, those " +
              "test folds are what the selection would have earned; the in-sample best is the row " +
              "best over all folds, with hindsight, over the same test folds.",
          ),
          h("div", { class: "chart stitched-chart" }),
          walkForwardTable(jobId, r, r.walk_forward.anchored),
          walkForwardTable(jobId, r, r.walk_forward.rolling),
        ]
      : h("p", { class: "muted" }, "Walk-forward needs at least 2 folds."),
    h("h2", {}, `Top rows by ${r.by}, with DSR and stability`),
    h(
      "p",
      { class: "muted small" },
      "Stability: median of the grid neighbours' statistic minus the row's own (about 0 on a plateau, far below 0 for a lone spike).",
    ),
    topTable(jobId, r),
  );
  if (p) {
    lambdaChart(lambdaBox, p.logit_histogram);
    degradationChart(degradationBox, r.by, p.degradation);
  }
  const stitchedBox = body.querySelector<HTMLElement>(".stitched-chart");
  if (stitchedBox && r.walk_forward) stitchedChart(stitchedBox, r.walk_forward);
}

/** Cumulative PnL over the test folds: each walk-forward selection against the hindsight best. */
function stitchedChart(el: HTMLElement, w: NonNullable<Report["walk_forward"]>): void {
  const cumulative = (xs: (number | null)[]) => {
    let sum = 0;
    return xs.map((x) => (sum += x ?? 0));
  };
  const folds = w.anchored.steps.map((s) => `fold ${s.test_fold}`);
  const line = (name: string, data: number[], color: string, dashed = false) => ({
    name,
    type: "line" as const,
    data: data.map((v) => Math.round(v * 100) / 100),
    symbolSize: 4,
    lineStyle: { color, width: 1.5, type: dashed ? ("dashed" as const) : ("solid" as const) },
    itemStyle: { color },
  });
  chart(el, {
    animation: false,
    legend: { top: 0 },
    tooltip: { trigger: "axis" },
    grid: { left: 70, right: 20, top: 36, bottom: 40 },
    xAxis: { type: "category", data: folds, name: "test fold", nameLocation: "middle", nameGap: 26 },
    yAxis: { type: "value", name: "cumulative PnL $", scale: true },
    series: [
      line(
        "anchored walk-forward (out of sample)",
        cumulative(w.anchored.steps.map((s) => s.oos_pnl)),
        COLORS.line,
      ),
      line(
        "rolling walk-forward (out of sample)",
        cumulative(w.rolling.steps.map((s) => s.oos_pnl)),
        COLORS.palette[1]!,
      ),
      line(
        "in-sample best, with hindsight",
        cumulative(w.anchored.in_sample_best.test_fold_pnl),
        COLORS.muted,
        true,
      ),
    ],
  });
}

function lambdaChart(el: HTMLElement, hist: { edges: number[]; counts: number[] }): void {
  const mids = hist.counts.map((_, k) => (hist.edges[k] + hist.edges[k + 1]) / 2);
  chart(el, {
    animation: false,
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      valueFormatter: (v: unknown) => fmtInt(Number(v)),
    },
    grid: { left: 50, right: 20, top: 20, bottom: 40 },
    xAxis: {
      type: "category",
      name: "λ",
      nameLocation: "middle",
      nameGap: 26,
      data: mids.map((m) => m.toFixed(2)),
    },
    yAxis: { type: "value", name: "splits", minInterval: 1 },
    series: [
      {
        type: "bar",
        barCategoryGap: "8%",
        data: hist.counts.map((c, k) => ({
          value: c,
          itemStyle: { color: mids[k] <= 0 ? COLORS.loss : COLORS.line },
        })),
      },
    ],
  });
}

function degradationChart(el: HTMLElement, by: string, d: NonNullable<Report["pbo"]>["degradation"]): void {
  const pts = d.is.flatMap((x, i) => (d.oos[i] === null ? [] : [[x, d.oos[i]] as [number, number]]));
  const xs = pts.map(([x]) => x);
  const line =
    d.slope !== null && d.intercept !== null && xs.length > 0
      ? [Math.min(...xs), Math.max(...xs)].map((x) => [x, d.intercept! + d.slope! * x] as [number, number])
      : [];
  chart(el, {
    animation: false,
    tooltip: {
      trigger: "item",
      formatter: (q: unknown) => {
        const [x, y] = (q as { data: [number, number] }).data;
        return `IS ${fmtStat(by, x)} → OOS ${fmtStat(by, y)}`;
      },
    },
    grid: { left: 60, right: 20, top: 20, bottom: 40 },
    xAxis: { type: "value", name: `IS ${by}`, nameLocation: "middle", nameGap: 26, scale: true },
    yAxis: { type: "value", name: `OOS ${by}`, scale: true },
    series: [
      { type: "scatter", data: pts, symbolSize: 5, itemStyle: { color: COLORS.line, opacity: 0.6 } },
      {
        type: "line",
        data: line,
        showSymbol: false,
        lineStyle: { color: COLORS.loss, width: 1.5 },
        tooltip: { show: false },
      },
    ],
  });
}

function walkForwardTable(jobId: string, r: Report, w: WalkForwardReport): HTMLElement {
  const st = w.stitched;
  const best = w.in_sample_best;
  const comboLink = (id: number | null) =>
    id === null ? "—" : h("a", { href: `#/job/${jobId}/combo/${id}` }, String(id));
  return h(
    "div",
    { class: "walk" },
    h("h3", {}, w.mode),
    h(
      "p",
      { class: "small" },
      `Stitched out of sample: sharpe ${fmtStat("sharpe", st.sharpe)}, pnl ${fmtStat("total_pnl", st.pnl)}, ` +
        `${fmtInt(st.n_trades)} trades over ${fmtInt(st.n_days)} days. `,
      best.combo_id === null
        ? "No in-sample best."
        : [
            "In-sample best over all folds: combo ",
            comboLink(best.combo_id),
            ` (sharpe ${fmtStat("sharpe", best.sharpe)}), which made sharpe ${fmtStat("sharpe", best.oos_period_sharpe)}, ` +
              `pnl ${fmtStat("total_pnl", best.oos_period_pnl)} over the same test folds.`,
          ],
    ),
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { class: `data compact walk-forward ${w.mode}` },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", {}, "train folds"),
            h("th", { class: "num" }, "test fold"),
            h("th", { class: "num" }, "combo"),
            h("th", { class: "params-cell" }, "parameters chosen"),
            ["IS sharpe", "IS pnl", "OOS sharpe", "OOS pnl", "OOS trades"].map((t) =>
              h("th", { class: "num" }, t),
            ),
          ),
        ),
        h(
          "tbody",
          {},
          w.steps.map((s) =>
            h(
              "tr",
              {},
              h("td", {}, folds(s.train_from, s.train_to)),
              h("td", { class: "num" }, String(s.test_fold)),
              h("td", { class: "num" }, comboLink(s.combo_id)),
              // one wrapping cell, so the table fits the page whatever the number of axes
              h(
                "td",
                { class: "params-cell" },
                s.params ? r.params.map((p) => `${p} ${fmtParam(s.params![p])}`).join(" · ") : "—",
              ),
              h("td", { class: "num" }, fmtStat("sharpe", s.is_sharpe)),
              h("td", { class: "num" }, fmtStat("total_pnl", s.is_pnl)),
              h(
                "td",
                { class: `num ${s.oos_sharpe !== null && s.oos_sharpe < 0 ? "neg" : ""}` },
                fmtStat("sharpe", s.oos_sharpe),
              ),
              h(
                "td",
                { class: `num ${s.oos_pnl !== null && s.oos_pnl < 0 ? "neg" : ""}` },
                fmtStat("total_pnl", s.oos_pnl),
              ),
              h("td", { class: "num" }, fmtInt(s.oos_n_trades)),
            ),
          ),
        ),
      ),
    ),
  );
}

function topTable(jobId: string, r: Report): HTMLElement {
  if (r.top.length === 0) return h("p", { class: "muted" }, "No rows.");
  return h(
    "div",
    { class: "table-scroll" },
    h(
      "table",
      { class: "data compact robust-top" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { class: "num" }, "#"),
          h("th", { class: "num" }, "combo"),
          r.params.map((p) => h("th", { class: "num param" }, p)),
          ["sharpe", "dsr", "stability", "neighbours", "total_pnl", "n_trades"].map((t) =>
            h("th", { class: "num" }, t),
          ),
        ),
      ),
      h(
        "tbody",
        {},
        r.top.map((t) =>
          h(
            "tr",
            { "data-combo": t.combo_id },
            h("td", { class: "num muted" }, String(t.rank)),
            h(
              "td",
              { class: "num" },
              h("a", { href: `#/job/${jobId}/combo/${t.combo_id}` }, String(t.combo_id)),
            ),
            r.params.map((p) => h("td", { class: "num param" }, fmtParam(t.params[p]))),
            h("td", { class: "num" }, fmtStat("sharpe", t.sharpe)),
            h("td", { class: "num" }, fmtStat("dsr", t.dsr)),
            h(
              "td",
              { class: `num ${t.stability !== null && t.stability < 0 ? "neg" : ""}` },
              fmtStat("stability", t.stability),
            ),
            h("td", { class: "num" }, fmtInt(t.n_neighbours)),
            h("td", { class: "num" }, fmtStat("total_pnl", t.total_pnl)),
            h("td", { class: "num" }, t.n_trades === null ? "—" : fmtInt(t.n_trades)),
          ),
        ),
      ),
    ),
  );
}
