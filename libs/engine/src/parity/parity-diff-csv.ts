// The full parity diff as CSV (`pairgrid parity --diff FILE.csv`): one row per bar of the merged
// traces, both sides' values next to each other and the differences the thresholds look at. Empty
// cells are NaN (or a side that does not have the bar); infinities are written inf / -inf.
import { closeSync, openSync, writeSync } from "node:fs";
import type { ParityRow } from "./parity-compare.js";
import type { SignalTrace } from "./signal-trace.js";

const num = (v: number | undefined) =>
  v === undefined || Number.isNaN(v) ? "" : v === Infinity ? "inf" : v === -Infinity ? "-inf" : String(v);
const flag = (v: boolean | undefined) => (v === undefined ? "" : v ? "1" : "0");

/** Paired columns: `<name>_batch`, `<name>_replay`. */
const PAIRED: { name: string; get: (t: SignalTrace) => string }[] = [
  { name: "decision", get: (t) => t.decision },
  { name: "state", get: (t) => t.state },
  { name: "z", get: (t) => num(t.z) },
  { name: "beta", get: (t) => num(t.beta) },
  { name: "sigma", get: (t) => num(t.sigma) },
  { name: "beta_entry", get: (t) => num(t.beta_entry) },
  { name: "n_a", get: (t) => num(t.n_a) },
  { name: "n_b", get: (t) => num(t.n_b) },
  { name: "equity", get: (t) => num(t.equity) },
  { name: "realized", get: (t) => num(t.realized) },
  { name: "eod", get: (t) => flag(t.eod) },
  { name: "window_ok", get: (t) => flag(t.window_ok) },
  { name: "gates_ok", get: (t) => flag(t.gates_ok) },
  { name: "inputs_hash", get: (t) => t.inputs_hash },
];

export const PARITY_DIFF_COLUMNS: readonly string[] = [
  "ts",
  "time_utc",
  "i",
  "present",
  "decision_differs",
  "abs_dz",
  "z_tol",
  "abs_dsize",
  "abs_dequity",
  ...PAIRED.flatMap((c) => [`${c.name}_batch`, `${c.name}_replay`]),
];

function line(r: ParityRow): string {
  const any = (r.batch ?? r.replay)!;
  const present = r.batch === null ? "replay_only" : r.replay === null ? "batch_only" : "both";
  const cells = [
    String(r.ts),
    new Date(r.ts).toISOString(),
    String(any.i),
    present,
    flag(r.decisionDiffers),
    num(r.dz),
    num(r.zTol),
    num(r.dSize),
    num(r.dEquity),
  ];
  for (const c of PAIRED) cells.push(r.batch ? c.get(r.batch) : "", r.replay ? c.get(r.replay) : "");
  return cells.join(",");
}

export function writeParityDiffCsv(path: string, rows: readonly ParityRow[]): void {
  const fd = openSync(path, "w");
  try {
    writeSync(fd, `${PARITY_DIFF_COLUMNS.join(",")}\n`);
    for (let k = 0; k < rows.length; k += 4096) {
      writeSync(
        fd,
        `${rows
          .slice(k, k + 4096)
          .map(line)
          .join("\n")}\n`,
      );
    }
  } finally {
    closeSync(fd);
  }
}
