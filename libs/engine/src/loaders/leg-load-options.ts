// Translates a grid spec's `data` section into loader options for one leg's slow or fast files.
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
    // unset: Databento files say their bar length (rtype); other files are taken to be at the target
    fileBarMs: declared !== undefined ? declared * 1000 : d.format === "databento" ? null : targetBarMs,
    fileBarSetting: which === "slow" ? "data.file_bar_seconds" : "data.fast_file_bar_seconds",
    delimiter: d.delimiter ?? ",",
    columns: d.columns,
    dropZeroVolume: d.drop_zero_volume,
    lenient: d.lenient,
    maxJump: d.max_jump,
    targetBarMs,
    ...(d.roll === undefined ? {} : { roll: d.roll }),
    days: { tz: spec.session.tz, day_roll: spec.session.day_roll },
    cacheDir: d.cache ? undefined : null,
  };
}
