// The command that replays one row of a job through the reference engine: `pairgrid backtest SPEC
// --set name=value …` with every axis the grid varies, so the row is reproduced exactly (the
// single-valued parameters come from the spec itself). `pairgrid run`, `pairgrid top` and the
// dashboard's copy button all print this one form.
import { shellWord } from "./job-liveness.js";

/** Stands for the spec file when the job does not record one (a coordinator's job). */
export const SPEC_PLACEHOLDER = "SPEC";

/** A parameter as the spec writes it: shortest exact decimal, `null` for a switched-off feature. */
function paramText(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "number") return String(v);
  return String(v as string);
}

export function replayCommand(
  specPath: string | null,
  grid: { params: readonly { name: string }[] },
  row: Record<string, unknown>,
): string {
  const sets = grid.params.map((a) => `--set ${a.name}=${paramText(row[a.name])}`);
  return ["pairgrid backtest", shellWord(specPath ?? SPEC_PLACEHOLDER), ...sets].join(" ");
}
