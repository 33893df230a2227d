// One command as a child process under /usr/bin/time: its wall time, CPU seconds (user + sys)
// and peak RSS, so each analysis route is measured in a process of its own.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function timedCommand(argv, { env = {}, cwd } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "pairgrid-timed-"));
  const out = join(dir, "time.txt");
  try {
    const t0 = performance.now();
    const r = spawnSync("/usr/bin/time", ["-o", out, "-f", "%U %S %M", ...argv], {
      encoding: "utf8",
      env: { ...process.env, CI: "true", ...env },
      cwd,
      maxBuffer: 1 << 28,
    });
    const wall = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`${argv.join(" ")} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
    const [user, sys, maxKb] = readFileSync(out, "utf8").trim().split("\n").at(-1).split(/\s+/).map(Number);
    return {
      wall_seconds: wall,
      cpu_seconds: user + sys,
      peak_rss_mb: maxKb / 1024,
      stdout: r.stdout,
      stderr: r.stderr,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
