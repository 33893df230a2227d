// Running the real `pairgrid` binary from tests.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot =
  process.env.PAIRGRID_ROOT ?? resolve(fileURLToPath(new URL(".", import.meta.url)), "../../../..");
const bin = resolve(repoRoot, "apps/cli/bin/pairgrid.js");

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function pairgrid(args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    env: { ...process.env, ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
