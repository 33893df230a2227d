// One point of W1's scaling figures, in a process of its own (w1-grid-kernel.mjs spawns it):
// loads the grid at `days` of data and z_entry step `step`, warms the kernel up, times `runs`
// event-kernel runs (index build included) and prints them as one JSON line.
// Usage: node bench/w1-scaling-point.mjs DAYS STEP RUNS
import { eventRun, loadGrid, rowsOf } from "./w1-grid-kernel.mjs";

const [days, step, runs] = process.argv.slice(2).map(Number);
const g = await loadGrid(days, step);
const { rows, folds } = rowsOf(g);
eventRun({ ...g, combos: g.combos.slice(0, 300) }, rows, folds);
const out = [];
for (let r = 0; r < runs; r++) {
  const { seconds, trades, familyStats } = eventRun(g, rows, folds);
  out.push({ seconds, trades, copied: familyStats.copied, cutTrades: familyStats.cutTrades });
}
process.stdout.write(`${JSON.stringify({ bars: g.inp.n, combinations: g.combos.length, runs: out })}\n`);
