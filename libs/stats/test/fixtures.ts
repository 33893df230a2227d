import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Repo root: set by scripts/run-tests.mjs, else four levels above libs/stats/dist/test/. */
function repoRoot(): string {
  return process.env.PAIRGRID_ROOT ?? fileURLToPath(new URL("../../../../", import.meta.url));
}

export interface AdfFixture {
  about: string;
  adf: { name: string; series: number[]; adf_stat: number; pvalue: number; nobs: number }[];
  mackinnonp: { stat: number; pvalue: number }[];
}

/** statsmodels reference values, shared with the other implementations (../shared/fixtures). */
export function loadAdfFixture(): AdfFixture {
  return JSON.parse(readFileSync(resolve(repoRoot(), "../shared/fixtures/adf.json"), "utf8")) as AdfFixture;
}
