// `pairgrid run` flags, checked before anything is loaded (bad values exit 2 naming the flag).
import { availableParallelism } from "node:os";
import { InputError, KERNEL_CHOICES, type KernelChoice, maxCombosFromEnv } from "@pairgrid/engine";

export interface RunFlagsInput {
  db: string;
  threads?: string;
  chunkSize?: string;
  maxCombos?: string;
  resume?: string;
  quiet?: boolean;
  kernel?: string;
}

export interface RunSettings {
  db: string;
  threads: number;
  /** Requested chunk size; undefined = the default (or, on resume, the job's). */
  chunkSize: number | undefined;
  maxCombos: number;
  resume: string | undefined;
  quiet: boolean;
  kernel: KernelChoice;
}

/** `--kernel` (run and worker): which slow kernel; auto picks the event-driven one when it pays. */
export function kernelChoice(v: string | undefined): KernelChoice {
  if (v === undefined) return "auto";
  if (!(KERNEL_CHOICES as readonly string[]).includes(v)) {
    throw new InputError(`--kernel ${v}: expected one of ${KERNEL_CHOICES.join(", ")}`, "--kernel");
  }
  return v as KernelChoice;
}

export function positiveInt(
  flag: string,
  v: string | undefined,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < 1 || n > max) {
    throw new InputError(`${flag} ${v}: expected an integer from 1 to ${max}`, flag);
  }
  return n;
}

export function runSettings(flags: RunFlagsInput): RunSettings {
  if (flags.resume !== undefined && !/^[\w-]+$/.test(flags.resume)) {
    throw new InputError(`--resume ${flags.resume}: not a job id`, "--resume");
  }
  return {
    db: flags.db,
    threads: positiveInt("--threads", flags.threads, 1024) ?? availableParallelism(),
    chunkSize: positiveInt("--chunk-size", flags.chunkSize),
    maxCombos: positiveInt("--max-combos", flags.maxCombos) ?? maxCombosFromEnv(),
    resume: flags.resume,
    quiet: flags.quiet ?? false,
    kernel: kernelChoice(flags.kernel),
  };
}
