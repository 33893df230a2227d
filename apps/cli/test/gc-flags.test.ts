// Which commands run without incremental marking (gc-flags.ts): every command, a nested one
// (`data check`) and `serve` included, but the cluster's coordinator and worker.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Command } from "commander";
import { useGcFlags } from "../src/gc-flags.js";

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
  useGcFlags(program, (flags) => set.push(flags));
  program.parse(["node", "pairgrid", ...argv]);
  return set;
}

test("commands, nested ones too, turn incremental marking off; the cluster's processes keep V8's default", () => {
  for (const argv of [["run"], ["robustness"], ["data", "check"], ["serve"]]) {
    assert.deepEqual(flagsSetBy(argv), ["--no-incremental-marking"], argv.join(" "));
  }
  for (const argv of [["coordinator"], ["worker"]]) {
    assert.deepEqual(flagsSetBy(argv), [], argv.join(" "));
  }
});
