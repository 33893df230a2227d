// `pairgrid data synth`: the synthetic pair as Sierra Chart CSV files plus synth.json, streamed
// slot by slot (the slow closes of all slots are in memory — a few MB — but fast bars only ever
// for the slot being written).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DAY_MS } from "../calendar/clock-time.js";
import { InputError } from "../errors.js";
import { generatePair, LEG_INDEX_A, type PairSink } from "./generate-pair.js";
import { LEG_A, LEG_B } from "./instruments.js";
import type { SessionSchedule } from "./session-schedule.js";
import { datePrefix, SierraWriter } from "./sierra-writer.js";
import { describeSynth, SIERRA_HEADER, type SynthFiles, type SynthMeta } from "./synth-meta.js";
import { resolveSynthOptions, type SynthOptions } from "./synth-options.js";

export const SYNTH_META_FILE = "synth.json";

/** Writes NQ.csv, YM.csv (and NQ_fast.csv, YM_fast.csv with fast bars) and synth.json into `outDir`. */
export function writeSynthFiles(outDir: string, options: Partial<SynthOptions> = {}): SynthMeta {
  const opts = resolveSynthOptions(options);
  const fastSeconds = opts.fast_seconds;
  const files: SynthFiles = {
    a: { file: `${LEG_A.symbol}.csv`, fast_file: fastSeconds === null ? null : `${LEG_A.symbol}_fast.csv` },
    b: { file: `${LEG_B.symbol}.csv`, fast_file: fastSeconds === null ? null : `${LEG_B.symbol}_fast.csv` },
  };
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (e) {
    throw new InputError(
      `out: cannot create folder ${outDir} (${(e as NodeJS.ErrnoException).code ?? e})`,
      "out",
    );
  }

  const writers: SierraWriter[] = [];
  const open = (name: string | null, tick: number) => {
    if (name === null) return null;
    let w: SierraWriter;
    try {
      w = new SierraWriter(join(outDir, name), tick, SIERRA_HEADER);
    } catch (e) {
      throw new InputError(
        `out: cannot write ${join(outDir, name)} (${(e as NodeJS.ErrnoException).code ?? e})`,
        "out",
      );
    }
    writers.push(w);
    return w;
  };
  try {
    const slow = [open(files.a.file, LEG_A.tick_size)!, open(files.b.file, LEG_B.tick_size)!];
    const fast = [open(files.a.fast_file, LEG_A.tick_size), open(files.b.fast_file, LEG_B.tick_size)];
    let schedule: SessionSchedule | null = null;
    // "YYYY/M/D, " per local date, made once: a session spans two dates, a run a few thousand
    const prefixes = new Map<number, Uint8Array>();
    const sink: PairSink = {
      begin(s) {
        schedule = s;
      },
      bar(leg, slot, b) {
        const naive = schedule!.naive[slot];
        const day = Math.floor(naive / DAY_MS);
        const second = (naive - day * DAY_MS) / 1000;
        let prefix = prefixes.get(day);
        if (prefix === undefined) prefixes.set(day, (prefix = datePrefix(day)));
        const li = leg === LEG_INDEX_A ? 0 : 1;
        const fw = fast[li];
        if (fw !== null && fastSeconds !== null) {
          for (let k = 0; k < b.count; k++) {
            fw.row(
              prefix,
              second + b.step[k] * fastSeconds,
              b.open[k],
              b.high[k],
              b.low[k],
              b.close[k],
              b.volume[k],
              b.trades[k],
              b.bidVolume[k],
              b.askVolume[k],
            );
          }
        }
        slow[li].row(
          prefix,
          second,
          b.slowOpen,
          b.slowHigh,
          b.slowLow,
          b.slowClose,
          b.slowVolume,
          b.slowTrades,
          b.slowBidVolume,
          b.slowAskVolume,
        );
      },
    };
    const gen = generatePair(opts, sink);
    for (const w of writers.splice(0)) w.close();
    const meta = describeSynth(opts, gen, files);
    writeFileSync(join(outDir, SYNTH_META_FILE), `${JSON.stringify(meta, null, 2)}\n`);
    return meta;
  } finally {
    for (const w of writers) w.close();
  }
}
