// Shared by the synth-*.test.ts files: reading back the Sierra Chart CSVs the generator writes.
import { readFileSync } from "node:fs";

export interface CsvBars {
  header: string;
  /** "YYYY/M/D HH:MM:SS" as written. */
  stamp: string[];
  date: string[];
  time: string[];
  /** Prices exactly as written (strings), and as numbers. */
  text: string[][];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
  trades: number[];
  bid: number[];
  ask: number[];
}

export function readSierra(path: string): CsvBars {
  const lines = readFileSync(path, "latin1").split("\n");
  const out: CsvBars = {
    header: lines[0],
    stamp: [],
    date: [],
    time: [],
    text: [],
    open: [],
    high: [],
    low: [],
    close: [],
    volume: [],
    trades: [],
    bid: [],
    ask: [],
  };
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === "") continue;
    const f = lines[i].split(", ");
    out.date.push(f[0]);
    out.time.push(f[1]);
    out.stamp.push(`${f[0]} ${f[1]}`);
    out.text.push(f.slice(2, 6));
    out.open.push(Number(f[2]));
    out.high.push(Number(f[3]));
    out.low.push(Number(f[4]));
    out.close.push(Number(f[5]));
    out.volume.push(Number(f[6]));
    out.trades.push(Number(f[7]));
    out.bid.push(Number(f[8]));
    out.ask.push(Number(f[9]));
  }
  return out;
}

/** Seconds after local midnight of "HH:MM:SS". */
export function secondOfDay(time: string): number {
  return Number(time.slice(0, 2)) * 3600 + Number(time.slice(3, 5)) * 60 + Number(time.slice(6, 8));
}
