// A group's event index as `pairgrid run` ships it (group-precompute.ts): computed straight into the
// shared buffer, it holds the same arrays as buildEventArrays makes on their own, and a gated entry
// array only where the gate refuses some candidate of that level; where it is left out, the gated
// array would have been the ungated one.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { buildEventArrays, EVENT_PREFIX, gateKeyOf, GroupEvents } from "../src/kernels/event-index.js";
import { GateSet } from "../src/rules/kernel-gates.js";
import { packGridData } from "../src/chunks/grid-data.js";
import { groupCombination, planGrid } from "../src/chunks/grid-plan.js";
import { GroupPrecompute } from "../src/chunks/group-precompute.js";
import { eventSettingsFor } from "../src/kernels/kernel-choice.js";
import { unpackArrays } from "../src/chunks/shared-arrays.js";
import { loadSlowPair } from "../src/loaders/load-slow-pair.js";
import { validateSpec } from "../src/grid-spec/validate-spec.js";
import { writeSynthFiles } from "../src/synth/index.js";

test("event arrays computed in the shared buffer = built alone; gated arrays only where gates refuse", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pairgrid-group-events-"));
  writeSynthFiles(join(dir, "data"), { days: 20, seed: 5 });
  const spec = validateSpec(
    {
      name: "group-events",
      data: {
        a: { symbol: "NQ", slow: "data/NQ.csv", multiplier: 20, tick_size: 0.25 },
        b: { symbol: "YM", slow: "data/YM.csv", multiplier: 5, tick_size: 1 },
        cache: false,
      },
      session: { flat_time: "16:55" },
      params: {
        ols_window: [200, 400],
        zscore_window: 30,
        z_entry: { from: 1, to: 4, step: 0.25 },
        z_exit: [0, 0.5],
        z_stop: [null, 4.5],
        max_hold: [0, 20],
        // the correlation is NaN over its first 300 bars (refused there, where z already exists);
        // −1 refuses nothing else, 0.8 refuses often
        corr_window: 300,
        min_corr: [null, -1, 0.8],
      },
    },
    dir,
  );
  const plan = planGrid(spec);
  const sp = await loadSlowPair(spec);
  const data = packGridData(sp);
  const events = eventSettingsFor(spec, plan, data.base, "events")!;
  assert.equal(events.gateConfigs.length, 2);
  const pre = new GroupPrecompute(sp.pair, spec, null, events);
  let leftOut = 0;
  let kept = 0;
  for (let g = 0; g < plan.nGroups; g++) {
    const packed = unpackArrays(pre.compute(groupCombination(plan, g))) as Record<string, Float64Array>;
    const source = {
      n: packed.z!.length,
      z: packed.z!,
      beta: packed.beta!,
      eod: events.eod,
      windowOk: events.windowOk,
      dayIndex: events.dayIndex,
      closeA: sp.pair.a.close,
      closeB: sp.pair.b.close,
    };
    const metrics = { corr: packed.corr!, hurst: null, halfLife: null, adfStat: null, adfPvalue: null };
    const filters = events.gateConfigs.map((cfg) => ({
      key: gateKeyOf(cfg, 0),
      gates: new GateSet(metrics, cfg, 0),
    }));
    const alone = buildEventArrays(source, events.levels, filters).arrays;
    const shipped = Object.keys(packed).filter((name) => name.startsWith(EVENT_PREFIX));
    assert.deepEqual(shipped.sort(), Object.keys(alone).sort());
    for (const name of shipped) assert.deepEqual(packed[name], alone[name], name);
    // every gated array kept is the one built alone; every one left out equals the ungated one
    const check = new GroupEvents(source);
    for (const f of filters) {
      for (const level of events.levels.entry) {
        const name = `${EVENT_PREFIX}entry:${level}:gates:${f.key}`;
        if (name in packed) {
          // the planned pass (a gate mask, four levels at a time) = the one-level loop on demand
          assert.deepEqual(packed[name], check.gatedEntry(level, f.key, f.gates), name);
          kept++;
          continue;
        }
        leftOut++;
        assert.deepEqual(check.gatedEntry(level, f.key, f.gates), check.entry(level), `${f.key} at ${level}`);
      }
    }
  }
  assert.ok(leftOut > 0 && kept > 0, `${leftOut} gated arrays left out, ${kept} kept`);
});
