import type { Command } from "commander";

/** `pairgrid data …`: data utilities (synthetic data). */
export function registerDataCommands(program: Command): void {
  program.command("data").description("data utilities");
}
