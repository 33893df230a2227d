// The `pairgrid` command: wires subcommands to libs/engine. Exit codes: 0 ok, 1 failed check or
// internal error, 2 bad input (one line naming the file/field, never a stack trace).
import { Command } from "commander";
import { registerBacktestCommand } from "./commands/backtest.js";
import { registerCoordinatorCommand } from "./commands/coordinator.js";
import { registerDataCommands } from "./commands/data.js";
import { registerHybridCommand } from "./commands/hybrid.js";
import { registerIndicatorsCommand } from "./commands/indicators.js";
import { registerParityCommand } from "./commands/parity.js";
import { registerRobustnessCommand } from "./commands/robustness.js";
import { registerRunCommand } from "./commands/run.js";
import { registerServeCommand } from "./commands/serve.js";
import { registerSubmitCommand } from "./commands/submit.js";
import { registerTopCommand } from "./commands/top.js";
import { registerWorkerCommand } from "./commands/worker.js";
import { useGcFlags } from "./gc-flags.js";
import { runCli } from "./run-cli.js";

const program = new Command("pairgrid")
  .description("Robust parameter search for pairs-trading strategies on futures")
  .version("0.1.0");
registerDataCommands(program);
registerIndicatorsCommand(program);
registerBacktestCommand(program);
registerHybridCommand(program);
registerRunCommand(program);
registerTopCommand(program);
registerRobustnessCommand(program);
registerParityCommand(program);
registerCoordinatorCommand(program);
registerSubmitCommand(program);
registerWorkerCommand(program);
registerServeCommand(program);
useGcFlags(program);

await runCli(program, process.argv);
