import { InputError } from "@pairgrid/engine";
import { type Command, CommanderError } from "commander";

/** Parses argv and runs the chosen command, mapping errors to the exit-code contract. */
export async function runCli(program: Command, argv: string[]): Promise<void> {
  program.exitOverride();
  program.configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const cmd of program.commands) cmd.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = exitCodeFor(err);
  }
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // help and version are not errors; commander already printed the usage problem
    if (err.exitCode === 0) return 0;
    return 2;
  }
  if (err instanceof InputError) {
    process.stderr.write(`pairgrid: ${err.message}\n`);
    return 2;
  }
  const e = err as Error;
  process.stderr.write(`pairgrid: internal error: ${e?.stack ?? String(err)}\n`);
  return 1;
}
