// Small pieces several views show: a job's status badge, its progress bar, and an error box.
import { ApiError } from "../api.js";
import { h } from "../dom.js";
import { fmtDuration, fmtInt, fmtNumber, fmtPct } from "../format.js";
import type { JobView } from "../types.js";

export function statusBadge(status: string): HTMLSpanElement {
  return h("span", { class: `badge status-${status}`, "data-status": status }, status);
}

/** A progress bar whose `data-progress` and `data-status` the browser tests read. */
export function progressBar(v: JobView): HTMLDivElement {
  const pct = Math.max(0, Math.min(1, v.progress));
  const bar = h(
    "div",
    {
      class: `progress status-${v.status}`,
      role: "progressbar",
      "aria-valuemin": 0,
      "aria-valuemax": 100,
      "aria-valuenow": Math.round(pct * 100),
      "data-progress": pct,
      "data-status": v.status,
    },
    h("div", { class: "progress-fill", style: `width: ${(pct * 100).toFixed(2)}%` }),
    h("span", { class: "progress-label" }, `${fmtPct(pct)} · ${fmtInt(v.n_done)} / ${fmtInt(v.n_combos)}`),
  );
  return bar;
}

/** "1,234/s · ETA 12s" while running; then how long it took, or why it failed. */
export function rateText(v: JobView): string {
  if (v.status === "running") return `${fmtNumber(Math.round(v.rate))}/s · ETA ${fmtDuration(v.eta_s)}`;
  if (v.error) return v.error;
  const took = v.finished_at ? (Date.parse(v.finished_at) - Date.parse(v.created_at)) / 1000 : NaN;
  return Number.isFinite(took) ? `took ${fmtDuration(took)}` : "";
}

/**
 * The rate and ETA of a running job, how another ended, and for an interrupted one (its `pairgrid
 * run` was killed) the command that finishes it, ready to copy.
 */
export function rateOrResume(v: JobView): HTMLSpanElement | string {
  if (v.status !== "interrupted") return rateText(v);
  return h(
    "span",
    { class: "resume" },
    "stopped without finishing; resume with ",
    v.resume_command
      ? h("code", { class: "resume-command" }, v.resume_command)
      : "`pairgrid run SPEC --db FILE --resume JOB`",
  );
}

/** An error as the page shows it: the server's message, and the field when it named one. */
export function errorBox(err: unknown): HTMLDivElement {
  const msg = err instanceof Error ? err.message : String(err);
  const where = err instanceof ApiError && err.path ? ` (${err.path})` : "";
  return h("div", { class: "error", role: "alert" }, msg + where);
}

/**
 * A hybrid job's fast-side work in one line (null for a slow job): rows the kernels scanned and
 * day blob bytes the workers fetched from Redis. Work counters: a redelivered chunk counts twice.
 */
export function fastWorkText(v: JobView): string | null {
  const f = v.fast;
  if (!f) return null;
  const workers = f.by_worker.length;
  return (
    `Fast side: ${fmtInt(f.rows_scanned)} rows scanned, ` +
    `${(f.blob_bytes_fetched / 1e6).toFixed(1)} MB of day blobs fetched ` +
    `(${workers} worker${workers === 1 ? "" : "s"})`
  );
}
