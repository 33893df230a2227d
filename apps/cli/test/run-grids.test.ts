// The example grids in grids/ are valid specs with the instruments' real contract specs, and
// small enough to run on one machine. Their data files are the user's own exports, so only the
// spec is checked here (no file access).
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadSpecFile, planGrid } from "@pairgrid/engine";
import { repoRoot } from "./cli-helpers.js";

// multiplier (dollars per point) and tick size, from the exchanges' contract specifications
const CONTRACTS: Record<string, [number, number]> = {
  NQ: [20, 0.25],
  YM: [5, 1],
  ES: [50, 0.25],
  GC: [100, 0.1],
  SI: [5000, 0.005],
};

test("every grid in grids/ validates, plans, and uses the real contract specs", () => {
  const dir = join(repoRoot, "grids");
  const files = readdirSync(dir).filter((f) => f.endsWith(".yaml"));
  for (const name of ["demo.yaml", "nq-ym.yaml", "gc-si.yaml"]) assert.ok(files.includes(name), name);
  for (const file of files) {
    const { spec } = loadSpecFile(join(dir, file), { checkFiles: false });
    for (const leg of [spec.data.a, spec.data.b]) {
      const want = CONTRACTS[leg.symbol];
      assert.ok(want, `${file}: a known symbol (${leg.symbol})`);
      assert.deepEqual([leg.multiplier, leg.tick_size], want, `${file}: ${leg.symbol}`);
    }
    const plan = planGrid(spec);
    assert.ok(plan.total > 1 && plan.total <= 200_000, `${file}: ${plan.total} combinations`);
  }
});
