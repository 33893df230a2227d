import type { Command } from "commander";

/** `pairgrid indicators SPEC --set k=v… --out FILE.csv` */
export function registerIndicatorsCommand(program: Command): void {
  program.command("indicators").description("per-bar indicators for one combination");
}
