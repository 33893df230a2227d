// Translates a grid spec's `data` section into loader options for one leg's slow or fast file.
import type { LoadLegOptions } from "./leg-format.js";
import type { GridSpec } from "../grid-spec/grid-spec-schema.js";

export function legLoadOptions(spec: GridSpec, which: "slow" | "fast"): LoadLegOptions {
  const d = spec.data;
  const targetBarMs = which === "slow" ? d.bar_minutes * 60_000 : (d.fast_seconds ?? 1) * 1000;
  const declared = which === "slow" ? d.file_bar_seconds : d.fast_file_bar_seconds;
  return {
    format: d.format,
    tz: d.tz,
    label: d.label ?? "start",
    fileBarMs: declared !== undefined ? declared * 1000 : targetBarMs,
    delimiter: d.delimiter ?? ",",
    columns: d.columns,
    dropZeroVolume: d.drop_zero_volume,
    lenient: d.lenient,
    maxJump: d.max_jump,
    targetBarMs,
    cacheDir: d.cache ? undefined : null,
  };
}
