// `#/job/ID[/tab]`: the job's header (status, live progress) and one tab: the ranked table, the
// heatmap, explore (parameter importance, parallel coordinates), robustness, or the SQL box. The tab is part of the URL so it can be linked to.
import { getJson, jobPath } from "../api.js";
import { fill, h } from "../dom.js";
import { fmtInt, fmtTime } from "../format.js";
import type { GridInfo, JobView } from "../types.js";
import { exploreView } from "./explore.js";
import { heatmapView } from "./heatmap.js";
import type { JobContext } from "./job-context.js";
import { followJob } from "./live-job.js";
import { rankedView } from "./ranked.js";
import { robustnessView } from "./robustness.js";
import { sqlView } from "./sql-box.js";
import { errorBox, fastWorkText, progressBar, rateOrResume, statusBadge } from "./status.js";

type TabView = (root: HTMLElement, ctx: JobContext) => (() => void) | void;

const TABS: readonly (readonly [string, string, TabView])[] = [
  ["ranked", "Ranked", rankedView],
  ["heatmap", "Heatmap", heatmapView],
  ["explore", "Explore", exploreView],
  ["robustness", "Robustness", robustnessView],
  ["sql", "SQL", sqlView],
];

export function jobPageView(root: HTMLElement, jobId: string, tab: string): () => void {
  const header = h("div", { class: "job-header" });
  const content = h("section", { class: "tab-content", "data-tab": tab });
  const nav = h(
    "nav",
    { class: "tabs" },
    TABS.map(([id, label]) =>
      h(
        "a",
        {
          href: `#/job/${jobId}${id === "ranked" ? "" : `/${id}`}`,
          class: id === tab ? "tab active" : "tab",
        },
        label,
      ),
    ),
  );
  fill(root, h("p", { class: "crumbs" }, h("a", { href: "#/" }, "Jobs"), " / ", jobId), header, nav, content);

  const stops: (() => void)[] = [];
  const renderHeader = (v: JobView, grid?: GridInfo) => {
    const fixed = grid ? Object.entries(grid.fixed) : [];
    const fastLine = fastWorkText(v);
    fill(
      header,
      h(
        "h1",
        {},
        v.name,
        " ",
        statusBadge(v.status),
        // figures from a synthetic market must not pass for a real one's: said on every tab
        grid?.data_origin ? h("span", { class: "badge synthetic" }, grid.data_origin) : null,
      ),
      h(
        "div",
        { class: "job-meta" },
        progressBar(v),
        h("span", { class: "muted" }, rateOrResume(v)),
        h("span", {}, `${fmtInt(v.n_combos)} combinations in ${fmtInt(v.n_chunks)} chunks`),
        h("span", { class: "muted" }, `created ${fmtTime(v.created_at)} UTC`),
        v.finished_at ? h("span", { class: "muted" }, `finished ${fmtTime(v.finished_at)} UTC`) : null,
      ),
      fastLine === null ? null : h("p", { class: "muted small fast-work" }, fastLine),
      fixed.length > 0
        ? h(
            "p",
            { class: "muted small" },
            "Fixed: ",
            fixed.map(([k, val]) => `${k} = ${val === null ? "off" : String(val)}`).join(", "),
          )
        : null,
    );
  };

  void (async () => {
    try {
      const [job, grid] = await Promise.all([
        getJson<JobView>(jobPath(jobId)),
        getJson<GridInfo>(jobPath(jobId, "/grid")),
      ]);
      renderHeader(job, grid);
      if (job.status === "running") stops.push(followJob(jobId, (v) => renderHeader(v, grid)));
      const view = TABS.find(([id]) => id === tab)?.[2];
      if (!view) return fill(content, errorBox(`no tab '${tab}'`));
      const stop = view(content, { jobId, job, grid });
      if (stop) stops.push(stop);
    } catch (err) {
      fill(content, errorBox(err));
    }
  })();
  return () => stops.forEach((s) => s());
}
