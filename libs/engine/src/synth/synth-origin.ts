// Whether a grid's data came from `pairgrid data synth`: a synth.json next to a leg's slow file
// says so. The run's output, `pairgrid robustness` and the dashboard show the label, so figures
// from a synthetic market are never mistaken for a real one's.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { z } from "zod";
import { SYNTH_MODELS } from "./synth-options.js";

export const SYNTH_ORIGIN_FILE = "synth.json";

/** What synth.json must hold for the label; files written before `model` existed used "simple". */
const synthJson = z.object({
  generator: z.literal("pairgrid data synth"),
  settings: z.object({
    seed: z.number().int().nonnegative(),
    days: z.number().int().positive(),
    model: z.enum(SYNTH_MODELS).default("simple"),
  }),
});

export interface SynthOrigin {
  /** null when synth.json is there but unreadable: the data is still called synthetic. */
  model: string | null;
  seed: number | null;
  days: number | null;
  /** "synthetic data (model market, seed 7)". */
  label: string;
}

/** The part of a grid spec (validated, or as stored with a job) that names the data files. */
const dataPaths = z.object({
  data: z.object({ a: z.object({ slow: z.string() }), b: z.object({ slow: z.string() }) }),
});

/**
 * The origin of a spec's data when a leg's slow file has a synth.json beside it, else null. Takes
 * a validated spec or one stored with a job (absolute paths); anything else has no known origin.
 */
export function synthOrigin(spec: unknown): SynthOrigin | null {
  const paths = dataPaths.safeParse(spec);
  if (!paths.success) return null;
  for (const leg of [paths.data.data.a, paths.data.data.b]) {
    const file = join(dirname(leg.slow), SYNTH_ORIGIN_FILE);
    if (existsSync(file)) return readOrigin(file);
  }
  return null;
}

function readOrigin(file: string): SynthOrigin {
  let parsed: z.infer<typeof synthJson>;
  try {
    parsed = synthJson.parse(JSON.parse(readFileSync(file, "utf8")));
  } catch {
    return { model: null, seed: null, days: null, label: `synthetic data (${file} unreadable)` };
  }
  const { model, seed, days } = parsed.settings;
  return { model, seed, days, label: `synthetic data (model ${model}, seed ${seed})` };
}
