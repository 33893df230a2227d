// What every tab of a job page is given, in a file of its own so the tabs (heatmap, ranked,
// robustness, SQL box) need not import the page that shows them.
import type { GridInfo, JobView } from "../types.js";

export interface JobContext {
  jobId: string;
  job: JobView;
  grid: GridInfo;
}
