// The API answers the pages read, as the server's zod schemas define them: those schemas shape
// every response and are what /docs shows, so they are the contract and the pages follow it.
// Type-only imports, erased from the emitted JS: the browser loads no server code and no zod.
// tsconfig.json's reference to the coordinator project resolves "../../src/http/…" to that
// project's declarations (apps/coordinator/dist/src/http/*.d.ts), so it builds first.
import type { z } from "zod";
import type {
  comboBody,
  gridView,
  heatmapBody,
  importanceBody,
  rowsBody,
} from "../../src/http/analysis-schemas.js";
import type { queryAnswer } from "../../src/http/query-schemas.js";
import type { robustnessReport } from "../../src/http/robustness-schemas.js";
import type { jobView } from "../../src/http/schemas.js";

/** GET /jobs, GET /jobs/:id, and the SSE `progress` and `end` events. */
export type JobView = z.output<typeof jobView>;

/** GET /jobs/:id/grid. */
export type GridInfo = z.output<typeof gridView>;

/** A parameter's value (null = feature off). */
export type ParamValue = GridInfo["params"][number]["values"][number];

/** GET /jobs/:id/heatmap. */
export type Heatmap = z.output<typeof heatmapBody>;
export type Agg = Heatmap["agg"];

/** GET /jobs/:id/rows. */
export type RowsPage = z.output<typeof rowsBody>;
export type Row = RowsPage["rows"][number];

/** GET /jobs/:id/combos/:combo. */
export type ComboDetail = z.output<typeof comboBody>;
export type HybridSection = NonNullable<ComboDetail["hybrid"]>;

/** POST /query. */
export type QueryResult = z.output<typeof queryAnswer>;

/** GET /jobs/:id/robustness. */
export type RobustnessReport = z.output<typeof robustnessReport>;
export type WalkForwardReport = NonNullable<RobustnessReport["walk_forward"]>["anchored"];

/** GET /jobs/:id/importance. */
export type Importance = z.output<typeof importanceBody>;
