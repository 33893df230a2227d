// W6, one group (issue 19 item 5): CPU per combination of ONE indicator group of the W6 grid (one
// OLS × z window, every threshold × gate combination: 26,880 of them) run through runChunk in this
// process, chunked as `pairgrid run --threads 2` chunks it, split into
//   precompute  GroupPrecompute.compute of the group (hedge, z, gate metrics, event index), both
//               with the hedge fresh and with it already cached (the next z window of the hedge):
//               W6 has 8 z windows per hedge, so the amortized figure is cached + (fresh − cached)/8
//   kernel      runChunk over every chunk of the group (thread time, one thread)
//   statistics  the part of the kernel time in the daily statistics and folds (statistics/*.js)
//               and the tally (rules/kernel-tally.js), from a sampling CPU profile of the kernel
//               runs (node:inspector; PAIRGRID_PROFILE_OUT=<file.cpuprofile> keeps it)
//   encode      encodeChunkResult of every chunk result (what a queue worker sends)
// Trees: PAIRGRID_TREES="/path/before,/path/after" (default: this checkout) loads each tree's
// built engine in this one process and times them in alternating turns (PAIRGRID_TURNS, default
// 3), medians reported, and checks that every tree writes the same bits for every row.
// PAIRGRID_GROUP=<ols>x<z> picks the group (default 2000x100); PAIRGRID_W6_FULL=1 takes the group's
// thresholds and gates from W6_FULL_SPEC (104,160 combinations: z_entry every 0.05, 4 min_corr).
//   node bench/w6-group-profile.mjs
//   PAIRGRID_TREES=/work/main,. node bench/w6-group-profile.mjs
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ensureSynthData, root, writeSpec } from "./lib/bench-data.mjs";
import { median, sig } from "./lib/measure.mjs";
import { W6_FULL_SPEC, W6_SPEC } from "./w6-seed-scale.mjs";

const trees = (process.env.PAIRGRID_TREES ?? root).split(",").map((t) => resolve(t));
const turns = Number(process.env.PAIRGRID_TURNS ?? 3);
const [olsWindow, zWindow] = (process.env.PAIRGRID_GROUP ?? "2000x100").split("x").map(Number);

const dataDir = ensureSynthData("synth-1200d-seed7", { days: 1200, seed: 7 });
// the W6 grid with one OLS and one z window: its one group is the W6 group of those windows
const base = process.env.PAIRGRID_W6_FULL === "1" ? W6_FULL_SPEC : W6_SPEC;
const spec1 = {
  ...base,
  name: "bench-w6-group",
  params: { ...base.params, ols_window: olsWindow, zscore_window: zWindow },
};
const specFile = writeSpec(dataDir, "w6-group.json", spec1);

/** Everything of one tree needed to run the group: its engine, spec, plan, data, event settings. */
async function setUp(tree) {
  const E = await import(pathToFileURL(join(tree, "libs", "engine", "dist", "src", "index.js")).href);
  const { spec } = E.loadSpecFile(specFile);
  const plan = E.planGrid(spec);
  const sp = await E.loadSlowPair(spec);
  const data = E.packGridData(sp);
  const events = E.eventSettingsFor(spec, plan, data.base, "auto");
  if (events === null) throw new Error(`${tree}: W6's group does not run on the event kernel`);
  const chunks = E.planChunks(plan, E.defaultChunkSize(plan, 2)).filter((c) => c.group === 0);
  return { tree, E, spec, plan, sp, data, events, chunks };
}

/** CPU time of this process (user + system), ms. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** The group's context over its packed arrays, as a chunk thread makes it. */
function groupOf(t, packed) {
  const { E, data } = t;
  const inputs = E.inputsFromPacked(data.base, packed, data.barMs, data.nDays);
  return E.slowGroupContext(inputs, E.GroupEvents.fromPacked(inputs, E.unpackArrays(packed)));
}

/** runChunk over every chunk of the group, one thread's scratch. */
function runKernels(t, group) {
  const { E, spec, plan, data, chunks } = t;
  const scratch = E.makeKernelScratch(data.nDays);
  return chunks.map((chunk) => E.runChunk(spec, plan, group, chunk, scratch));
}

/** One turn of a tree: precompute (fresh and cached hedge), kernels, encode. */
function oneTurn(t, keepRows) {
  const { E, spec, plan, sp, events } = t;
  const c = E.groupCombination(plan, 0);
  const pre = new E.GroupPrecompute(sp.pair, spec, null, events);
  let c0 = cpuMs();
  const packed = pre.compute(c);
  const precomputeFresh = cpuMs() - c0;
  c0 = cpuMs();
  pre.compute(c); // the hedge (and z, gate metrics) cached: what the group's siblings pay
  const precomputeCached = cpuMs() - c0;
  const group = groupOf(t, packed);
  c0 = cpuMs();
  const results = runKernels(t, group);
  const kernel = cpuMs() - c0;
  c0 = cpuMs();
  let bytes = 0;
  for (const r of results) bytes += E.encodeChunkResult(r).length;
  const encode = cpuMs() - c0;
  const rows = results.reduce((s, r) => s + r.k, 0);
  const copies = results.reduce((s, r) => s + (r.copies ?? 0), 0);
  return {
    rows,
    copies,
    bytes,
    precomputeFresh,
    precomputeCached,
    kernel,
    encode,
    results: keepRows ? results : null,
  };
}

/** Self time by where the code lives, from a CPU profile of `fn` (ms). */
async function profiled(fn) {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  fn();
  const { profile } = await session.post("Profiler.stop");
  session.disconnect();
  if (process.env.PAIRGRID_PROFILE_OUT)
    writeFileSync(process.env.PAIRGRID_PROFILE_OUT, JSON.stringify(profile));
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas;
  profile.samples.forEach((id, k) => self.set(id, (self.get(id) ?? 0) + (dt[k] ?? 0) / 1000));
  const where = {};
  const fns = {};
  for (const [id, ms] of self) {
    const { url, functionName } = byNode.get(id).callFrame;
    const file = url.replace(/^.*\/dist\/src\//, "");
    const cat = file.startsWith("statistics/")
      ? "statistics+folds"
      : file === "rules/kernel-tally.js"
        ? "tally"
        : file.startsWith("kernels/") || file.startsWith("rules/")
          ? "kernel"
          : file.startsWith("chunks/")
            ? "chunk layer"
            : functionName === "(garbage collector)"
              ? "gc"
              : "other";
    where[cat] = (where[cat] ?? 0) + ms;
    const name = `${functionName || "(anon)"} ${file.split("/").pop()}`;
    fns[name] = (fns[name] ?? 0) + ms;
  }
  const total = Object.values(where).reduce((s, v) => s + v, 0);
  const top = Object.entries(fns)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)
    .map(([k, v]) => `${sig((100 * v) / total)}% ${k}`);
  return { share: Object.fromEntries(Object.entries(where).map(([k, v]) => [k, sig(v / total)])), top };
}

/** Every row's statistics and folds, bit for bit, between two turns' results. */
function sameBits(a, b) {
  if (a.length !== b.length) return false;
  for (let r = 0; r < a.length; r++) {
    for (const key of ["comboIds", "stats", "folds"]) {
      const x = new Uint32Array(a[r][key].buffer, a[r][key].byteOffset, a[r][key].length * 2);
      const y = new Uint32Array(b[r][key].buffer, b[r][key].byteOffset, b[r][key].length * 2);
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    }
  }
  return true;
}

const setups = [];
for (const tree of trees) setups.push(await setUp(tree));
const first = setups[0];
process.stderr.write(
  `W6 group ols ${olsWindow} × z ${zWindow}: ${first.sp.pair.ts.length} bars, ${first.plan.perGroup} ` +
    `combinations, ${first.chunks.length} chunks; load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}\n`,
);
// warm-up turn per tree (JIT), and the bits compared
const reference = [];
for (const t of setups) reference.push(oneTurn(t, true).results);
const identical = reference.every((r) => sameBits(r, reference[0]));
const byTree = new Map(setups.map((t) => [t.tree, []]));
for (let k = 0; k < turns; k++) {
  const order = k % 2 === 0 ? setups : [...setups].reverse();
  for (const t of order) {
    const r = oneTurn(t, false);
    byTree.get(t.tree).push(r);
    process.stderr.write(
      `  turn ${k} ${t.tree}: kernel ${sig(r.kernel)} ms, precompute ${sig(r.precomputeFresh)} / ${sig(r.precomputeCached)} ms\n`,
    );
  }
}
const out = {
  group: `${olsWindow}x${zWindow}`,
  turns,
  rows_bit_identical_across_trees: identical,
  trees: [],
};
for (const t of setups) {
  const rs = byTree.get(t.tree);
  const rows = rs[0].rows;
  const us = (key) => sig((median(rs.map((r) => r[key])) * 1000) / rows);
  const fresh = median(rs.map((r) => r.precomputeFresh));
  const cached = median(rs.map((r) => r.precomputeCached));
  const packed = new t.E.GroupPrecompute(t.sp.pair, t.spec, null, t.events).compute(
    t.E.groupCombination(t.plan, 0),
  );
  const group = groupOf(t, packed);
  const prof = await profiled(() => runKernels(t, group));
  const kernelUs = (median(rs.map((r) => r.kernel)) * 1000) / rows;
  const amortizedPre = ((cached + (fresh - cached) / 8) * 1000) / rows;
  const encodeUs = (median(rs.map((r) => r.encode)) * 1000) / rows;
  out.trees.push({
    tree: t.tree,
    rows,
    rows_copied: rs[0].copies,
    us_per_combination: {
      precompute_fresh_hedge: us("precomputeFresh"),
      precompute_cached_hedge: us("precomputeCached"),
      precompute_amortized_w6: sig(amortizedPre),
      kernel: sig(kernelUs),
      encode: sig(encodeUs),
      total_amortized: sig(amortizedPre + kernelUs + encodeUs),
    },
    kernel_turns_ms: rs.map((r) => sig(r.kernel)),
    profile_share_of_kernel: prof.share,
    profile_top: prof.top,
  });
}
out.load_after = loadavg().map((x) => sig(x));
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
