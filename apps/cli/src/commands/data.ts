import {
  DEFAULT_SYNTH_OPTIONS,
  InputError,
  SYNTH_MODELS,
  type SynthModel,
  writeSynthFiles,
} from "@pairgrid/engine";
import type { Command } from "commander";
import { registerDataCheck } from "./data-check.js";

/** `pairgrid data …`: data utilities (synthetic data, checking a spec's data). */
export function registerDataCommands(program: Command): void {
  const data = program.command("data").description("data utilities");
  registerDataSynth(data);
  registerDataCheck(data);
}

interface SynthFlags {
  out: string;
  days: string;
  seed: string;
  fastSeconds?: string;
  barMinutes: string;
  start: string;
  model: string;
}

/** `pairgrid data synth --out DIR [--days N] [--seed S] [--fast-seconds F] [--bar-minutes M] [--start D] [--model M]` */
function registerDataSynth(data: Command): void {
  const d = DEFAULT_SYNTH_OPTIONS;
  data
    .command("synth")
    .description(
      "deterministic synthetic NQ/YM pair: Sierra Chart CSVs (slow, optionally fast bars) and synth.json, " +
        "CME-like sessions in America/New_York",
    )
    .requiredOption("--out <dir>", "output folder (created if missing; files in it are overwritten)")
    .option("--days <n>", "trading days (weekday sessions, holidays skipped)", String(d.days))
    .option(
      "--seed <s>",
      "random seed (non-negative integer); same arguments give identical files",
      String(d.seed),
    )
    .option("--fast-seconds <f>", "also write fast bars of this many seconds (e.g. 1)")
    .option("--bar-minutes <m>", "slow bar length in minutes (divides 60)", String(d.bar_minutes))
    .option(
      "--start <date>",
      "first trading day YYYY-MM-DD (its session opens 18:00 the evening before)",
      d.start,
    )
    .option(
      "--model <m>",
      `price model: ${SYNTH_MODELS.join(" | ")} (market: regimes, GARCH, jumps; simple: one OU spread)`,
      d.model,
    )
    // runCli overrides exits only on top-level commands: a usage error here must throw, not exit
    .exitOverride()
    .action((flags: SynthFlags) => {
      const t0 = performance.now();
      const meta = withFlagNames(() =>
        writeSynthFiles(flags.out, {
          days: integerFlag("--days", flags.days),
          seed: integerFlag("--seed", flags.seed),
          fast_seconds:
            flags.fastSeconds === undefined ? null : integerFlag("--fast-seconds", flags.fastSeconds),
          bar_minutes: integerFlag("--bar-minutes", flags.barMinutes),
          start: flags.start,
          model: flags.model as SynthModel,
        }),
      );
      const { a, b } = meta.legs;
      const fast =
        meta.fast_bars === null ? "" : `, fast ${a.fast_file} ${a.fast_bars} / ${b.fast_file} ${b.fast_bars}`;
      process.stdout.write(
        `${flags.out}: synthetic data (model ${meta.settings.model}, seed ${meta.settings.seed}), ${meta.trading_days} trading days ${meta.first_trading_day} … ${meta.last_trading_day}; ` +
          `${a.file} ${a.bars} bars, ${b.file} ${b.bars} bars${fast}; synth.json ` +
          `(${((performance.now() - t0) / 1000).toFixed(2)} s)\n`,
      );
    });
}

/** A whole number as typed; anything else is an input error naming the flag. */
function integerFlag(flag: string, value: string): number {
  if (!/^[+-]?\d+$/.test(value.trim()))
    throw new InputError(`${flag} must be an integer, got '${value}'`, flag);
  return Number(value);
}

/** The engine names option fields (`bar_minutes`); on the command line they are flags (`--bar-minutes`). */
function withFlagNames<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof InputError) || !e.path || !e.message.startsWith(e.path)) throw e;
    const flag = `--${e.path.replace(/_/g, "-")}`;
    throw new InputError(flag + e.message.slice(e.path.length), flag);
  }
}
