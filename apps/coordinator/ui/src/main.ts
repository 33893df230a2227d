// The dashboard's entry point: hash routes to views. Each view returns how to stop it (close its
// event streams and timers); charts are disposed here before the next view is drawn.
//   #/                    jobs, live progress
//   #/job/ID[/TAB]        one job: ranked (default), heatmap, explore, robustness, sql
//   #/job/ID/combo/C      one combination
import { initToken } from "./api.js";
import { disposeCharts } from "./charts.js";
import { fill, h } from "./dom.js";
import { comboPageView } from "./views/combo-page.js";
import { jobPageView } from "./views/job-page.js";
import { jobsListView } from "./views/jobs-list.js";

const root = document.getElementById("app")!;
let stop: (() => void) | void;

function route(): void {
  stop?.();
  stop = undefined;
  disposeCharts();
  window.scrollTo(0, 0);
  let parts: string[];
  try {
    parts = location.hash
      .replace(/^#\/?/, "")
      .split("/")
      .filter(Boolean)
      .map((p) => decodeURIComponent(p));
  } catch {
    parts = ["?"]; // a malformed %-escape: shown as not found
  }
  if (parts.length === 0) stop = jobsListView(root);
  else if (parts[0] === "job" && parts.length === 4 && parts[2] === "combo")
    comboPageView(root, parts[1], parts[3]);
  else if (parts[0] === "job" && parts.length <= 3) stop = jobPageView(root, parts[1], parts[2] ?? "ranked");
  else fill(root, h("h1", {}, "Not found"), h("p", {}, h("a", { href: "#/" }, "Back to the jobs")));
}

initToken();
window.addEventListener("hashchange", route);
route();
