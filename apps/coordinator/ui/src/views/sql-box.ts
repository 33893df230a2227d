// The SQL box: a read-only query over the results file (POST /query), the answer as a table. The
// job's id is filled into the example so a first query works as it stands.
import { download, postJson } from "../api.js";
import { fill, h } from "../dom.js";
import { fmtInt, fmtNumber } from "../format.js";
import type { QueryResult } from "../types.js";
import type { JobContext } from "./job-context.js";
import { errorBox } from "./status.js";

const STORE_KEY = "pairgrid.sql";

/** A value as SQL returned it: full integers, up to 6 decimals, no grouping (ids stay copyable). */
function cell(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(+v.toFixed(6));
  return String(v);
}

export function sqlView(root: HTMLElement, ctx: JobContext): void {
  const saved = sessionStorage.getItem(`${STORE_KEY}.${ctx.jobId}`);
  const box = h("textarea", { class: "sql", rows: 8, spellcheck: "false", name: "sql" });
  // the server writes the example with the ranking rule itself: same filter, same tie order
  box.value = saved ?? ctx.grid.rank.example_sql;
  const run = h("button", { class: "primary", type: "submit" }, "Run");
  // the whole result (up to the export cap, not the page's row cap), written on the server
  const exportButton = (format: "csv" | "parquet") =>
    h(
      "button",
      {
        type: "button",
        class: "download",
        "data-download": `sql-${format}`,
        onclick: () => {
          fill(status, "exporting…");
          download("POST", "/query/export", undefined, { sql: box.value, format }).then(
            (name) => fill(status, `saved ${name}`),
            (err: unknown) => {
              fill(status);
              fill(out, errorBox(err));
            },
          );
        },
      },
      `.${format}`,
    );
  const status = h("span", { class: "muted" });
  const out = h("div", { class: "table-scroll sql-result" });
  const form = h(
    "form",
    { class: "sql-form" },
    box,
    h(
      "div",
      { class: "controls" },
      run,
      h("span", { class: "muted small" }, "download:"),
      exportButton("csv"),
      exportButton("parquet"),
      status,
      h(
        "span",
        { class: "muted small" },
        "Ctrl+Enter runs · read-only · tables: jobs, results, results_folds",
      ),
    ),
  );
  fill(root, form, out);

  const execute = async () => {
    const sql = box.value;
    sessionStorage.setItem(`${STORE_KEY}.${ctx.jobId}`, sql);
    run.disabled = true;
    fill(status, "running…");
    try {
      const r = await postJson<QueryResult>("/query", { sql });
      fill(
        status,
        `${fmtInt(r.rows.length)} row${r.rows.length === 1 ? "" : "s"}${r.truncated ? " (truncated)" : ""} in ${fmtNumber(r.elapsed_ms)} ms` +
          // the coordinator's file is read through a snapshot, which may be behind a running job
          (r.as_of ? ` · data as of ${new Date(r.as_of).toLocaleTimeString()}` : ""),
      );
      fill(
        out,
        h(
          "table",
          { class: "data sql-table" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              r.columns.map((c) => h("th", { title: c.type }, c.name)),
            ),
          ),
          h(
            "tbody",
            {},
            r.rows.map((row) =>
              h(
                "tr",
                {},
                row.map((v) =>
                  h(
                    "td",
                    { class: typeof v === "number" ? "num" : "" },
                    v === null ? "NULL" : typeof v === "object" ? JSON.stringify(v) : cell(v),
                  ),
                ),
              ),
            ),
          ),
        ),
      );
    } catch (err) {
      fill(status);
      fill(out, errorBox(err));
    } finally {
      run.disabled = false;
    }
  };

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    void execute();
  });
  box.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      void execute();
    }
  });
}
