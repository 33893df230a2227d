// A group's event index as `pairgrid run` ships it (group-precompute.ts): computed straight into the
// shared buffer, it holds the same arrays as buildEventArrays makes on their own, and no gated ones:
// a gate configuration's entry candidates (GroupEvents.gatedCandidates, built by the thread that
// runs it) are exactly the bars where §5 step 3 can enter at that level and the gates pass.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { buildEventArrays, EVENT_PREFIX, gateKeyOf, GroupEvents } from "../src/kernels/event-index.js";
import { CFG_LENGTH, CFG_MIN_CORR, CFG_MIN_GATES } from "../src/rules/config-vector.js";
import { GateSet } from "../src/rules/kernel-gates.js";
import { entryCandidates } from "../src/kernels/entry-candidates.js";
import { packGridData } from "../src/chunks/grid-data.js";
import { groupCombination, planGrid } from "../src/chunks/grid-plan.js";
import { GroupPrecompute } from "../src/chunks/group-precompute.js";
import { eventSettingsFor } from "../src/kernels/kernel-choice.js";
import { unpackArrays } from "../src/chunks/shared-arrays.js";
import { loadSlowPair } from "../src/loaders/load-slow-pair.js";
import { validateSpec } from "../src/grid-spec/validate-spec.js";
import { writeSynthFiles } from "../src/synth/index.js";

test("event arrays computed in the shared buffer = built alone; gated candidates = the definition", async () => {
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
    const alone = buildEventArrays(source, events.levels).arrays;
    const shipped = Object.keys(packed).filter((name) => name.startsWith(EVENT_PREFIX));
    assert.deepEqual(shipped.sort(), Object.keys(alone).sort());
    for (const name of shipped) assert.deepEqual(packed[name], alone[name], name);
    assert.ok(!shipped.some((name) => name.includes("gates")), "no gated arrays in the group");

    // each gate configuration's candidates, built on first use, against the definition: the
    // bars before the last where |z| reaches the level, the window and the calendar allow an
    // entry and the gate passes (a long one as ~bar), then n
    const metrics = { corr: packed.corr!, hurst: null, halfLife: null, adfStat: null, adfPvalue: null };
    const check = new GroupEvents(source);
    for (const minCorr of [-1, 0.8]) {
      const cfg = new Float64Array(CFG_LENGTH).fill(Number.NaN);
      cfg[CFG_MIN_CORR] = minCorr;
      cfg[CFG_MIN_GATES] = -1; // every gate on required
      const gates = new GateSet(metrics, cfg, 0);
      for (const level of events.levels.entry) {
        const expected: number[] = [];
        for (let i = 0; i < source.n - 1; i++) {
          const z = source.z[i]!;
          if ((z <= -level || z >= level) && source.windowOk[i] !== 0 && source.eod[i] === 0 && gates.pass(i))
            expected.push(z <= -level ? ~i : i);
        }
        expected.push(source.n);
        const list = check.gatedCandidates(level, gateKeyOf(cfg, 0), gates);
        assert.deepEqual(Array.from(list), expected, `min_corr ${minCorr} at ${level}`);
        const all = entryCandidates(check.entry(level)).length;
        if (list.length < all) kept++;
        else leftOut++;
      }
    }
  }
  // both kinds were checked: lists the gate cut, and lists it left whole
  assert.ok(leftOut > 0 && kept > 0, `${leftOut} lists whole, ${kept} cut by the gate`);
});
