// Which commands run without incremental marking (gc-flags.ts): every batch command, a nested one
// (`data check`) included, and none of the long-running services.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Command } from "commander";
import { useBatchGcFlags } from "../src/gc-flags.js";

function flagsSetBy(argv: string[]): string[] {
  const set: string[] = [];
  const program = new Command("pairgrid").exitOverride();
  for (const name of ["run", "robustness", "serve", "coordinator", "worker"]) {
    program.command(name).action(() => undefined);
  }
  program
    .command("data")
    .command("check")
    .action(() => undefined);
  useBatchGcFlags(program, (flags) => set.push(flags));
  program.parse(["node", "pairgrid", ...argv]);
  return set;
}

test("batch commands, nested ones too, turn incremental marking off; services keep V8's default", () => {
  for (const argv of [["run"], ["robustness"], ["data", "check"]]) {
    assert.deepEqual(flagsSetBy(argv), ["--no-incremental-marking"], argv.join(" "));
  }
  for (const argv of [["serve"], ["coordinator"], ["worker"]]) {
    assert.deepEqual(flagsSetBy(argv), [], argv.join(" "));
  }
});
