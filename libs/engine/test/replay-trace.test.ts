// SignalTrace plumbing: decision names, the JSONL encoding (no NaN or ∞ in JSON), digests that
// ignore which path wrote a line, configuration hashes that follow the configuration, and the
// replay's refusal of a bar that does not move time forward.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { CME_GLOBEX_HOURS, ExchangeSchedule } from "../src/live/exchange-schedule.js";
import { indicatorPlan } from "../src/live/incremental-indicators.js";
import { ReplayEngine } from "../src/live/replay-engine.js";
import { runParity } from "../src/parity/run-parity.js";
import {
  decisionName,
  runConfigHash,
  type SignalTrace,
  traceDigest,
  traceJson,
  writeTraceJsonl,
} from "../src/parity/signal-trace.js";
import { BAR_MS, CME_SESSION, makeSpec, parityOptions, synthData } from "./replay-fixtures.js";

const spec = makeSpec({ ols_window: 200, zscore_window: 50, z_entry: 1.5, z_exit: 0, hl_window: 100 });
const opts = parityOptions(spec);

test("decision names", () => {
  assert.equal(decisionName(null, 0), "NONE");
  assert.equal(decisionName(null, 1), "ENTER_LONG");
  assert.equal(decisionName("TP_ZSCORE", 0), "EXIT_TP_ZSCORE");
  assert.equal(decisionName("TP_DOLLAR", -1), "EXIT_TP_DOLLAR+ENTER_SHORT");
});

test("JSONL: NaN as null, ±∞ as strings; digests leave out the path and see every other field", async () => {
  const out = await runParity(synthData(10, 2), opts);
  const t: SignalTrace = {
    ...out.batch.traces[400]!,
    half_life: Number.POSITIVE_INFINITY,
    beta_entry: Number.NaN,
  };
  const parsed = JSON.parse(traceJson(t));
  assert.equal(parsed.half_life, "Infinity");
  assert.equal(parsed.beta_entry, null);
  assert.equal(parsed.path, "batch");
  assert.equal(JSON.parse(traceJson(t, false)).path, undefined);

  assert.equal(traceDigest(out.batch.traces), traceDigest(out.replay));
  const nudged = out.replay.map((r, k) => (k === 300 ? { ...r, z: r.z + 1e-15 } : r));
  assert.notEqual(traceDigest(nudged), traceDigest(out.replay));

  const file = join(mkdtempSync(join(tmpdir(), "pairgrid-trace-")), "t.jsonl");
  writeTraceJsonl(file, out.replay);
  const lines = readFileSync(file, "utf8").trimEnd().split("\n");
  assert.equal(lines.length, out.replay.length);
  assert.equal(JSON.parse(lines[0]!).path, "replay");
});

test("configuration hashes change with any setting and agree between the paths", async () => {
  const plan = indicatorPlan(opts.combo, opts.settings);
  const base = runConfigHash(plan, opts.cfg, CME_SESSION, BAR_MS);
  assert.equal(runConfigHash({ ...plan }, Float64Array.from(opts.cfg), { ...CME_SESSION }, BAR_MS), base);
  const cfg = Float64Array.from(opts.cfg);
  cfg[0] = cfg[0]! + 0.25;
  assert.notEqual(runConfigHash(plan, cfg, CME_SESSION, BAR_MS), base);
  assert.notEqual(runConfigHash({ ...plan, zWindow: 51 }, opts.cfg, CME_SESSION, BAR_MS), base);
  assert.notEqual(runConfigHash(plan, opts.cfg, { ...CME_SESSION, flat_time: null }, BAR_MS), base);
  const out = await runParity(synthData(10, 2), opts);
  assert.equal(out.batch.traces[0]!.config_hash, out.replay[0]!.config_hash);
});

test("the replay refuses a bar that repeats or goes back in time", () => {
  const data = synthData(10, 2);
  const engine = new ReplayEngine({
    plan: indicatorPlan(opts.combo, opts.settings),
    cfg: opts.cfg,
    calendar: data.calendar,
    barMs: BAR_MS,
    schedule: new ExchangeSchedule(CME_GLOBEX_HOURS, BAR_MS, data.calendar, null),
    firstIndex: 0,
    decideFromTs: 0,
  });
  const bar = { ts: data.pair.ts[0]!, a: data.pair.a.close[0]!, b: data.pair.b.close[0]! };
  assert.equal(engine.push(bar)?.decision, "NONE");
  assert.throws(() => engine.push({ ...bar }), /does not follow the previous bar/);
});
