// `#/`: every job with a live progress bar. Running jobs are followed over SSE (a few at a time);
// the list itself is re-read every few seconds so jobs submitted meanwhile appear.
import { getJson } from "../api.js";
import { fill, h } from "../dom.js";
import { fmtInt, fmtTime } from "../format.js";
import type { JobView } from "../types.js";
import { followJob } from "./live-job.js";
import { errorBox, progressBar, rateOrResume, statusBadge } from "./status.js";

const REFRESH_MS = 5000;
/**
 * Running jobs followed over SSE at once. A browser opens at most 6 connections to one HTTP/1.1
 * server, and each stream holds one; jobs past this many move with the list's refresh instead.
 */
const MAX_STREAMS = 3;

export function jobsListView(root: HTMLElement): () => void {
  const body = h("tbody");
  const table = h(
    "table",
    { class: "data jobs" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ["Job", "Name", "Status", "Progress", "Rate / ETA", "Combinations", "Created", "Finished"].map((t) =>
          h("th", {}, t),
        ),
      ),
    ),
    body,
  );
  const message = h("div");
  fill(root, h("h1", {}, "Jobs"), message, table);

  const rows = new Map<string, HTMLTableRowElement>();
  const streams = new Map<string, () => void>();

  const render = (v: JobView): HTMLTableRowElement => {
    const tr = h(
      "tr",
      { "data-job": v.job_id },
      h("td", { class: "mono" }, h("a", { href: `#/job/${v.job_id}` }, v.job_id)),
      h("td", {}, h("a", { href: `#/job/${v.job_id}` }, v.name)),
      h("td", {}, statusBadge(v.status)),
      h("td", { class: "wide" }, progressBar(v)),
      h("td", { class: "muted" }, rateOrResume(v)),
      h("td", { class: "num" }, fmtInt(v.n_combos)),
      h("td", {}, fmtTime(v.created_at)),
      h("td", {}, fmtTime(v.finished_at)),
    );
    const old = rows.get(v.job_id);
    if (old) old.replaceWith(tr);
    rows.set(v.job_id, tr);
    return tr;
  };

  const load = async () => {
    try {
      const jobs = await getJson<JobView[]>("/jobs");
      fill(
        message,
        jobs.length === 0
          ? h("p", { class: "muted" }, "No jobs yet. Submit one with `pairgrid submit SPEC`.")
          : null,
      );
      // newest first; a job seen for the first time goes where it belongs in that order
      jobs.sort((a, b) => b.created_at.localeCompare(a.created_at));
      for (const v of jobs) {
        // a job followed live keeps its row: the stream's view is newer than the list's
        const followed = streams.has(v.job_id);
        body.append(followed ? rows.get(v.job_id)! : render(v));
        if (!followed && v.status === "running" && streams.size < MAX_STREAMS) {
          const stop = followJob(
            v.job_id,
            (nv) => render(nv),
            () => streams.delete(v.job_id),
          );
          streams.set(v.job_id, stop);
        }
      }
    } catch (err) {
      fill(message, errorBox(err));
    }
  };

  void load();
  const timer = setInterval(() => void load(), REFRESH_MS);
  return () => {
    clearInterval(timer);
    for (const stop of streams.values()) stop();
  };
}
