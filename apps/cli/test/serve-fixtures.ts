// `pairgrid serve` spawned from tests: started on a free port over a results file, the URL it
// prints, and a clean stop.
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { spawnPairgrid } from "./run-fixtures.js";

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  err: () => string;
}

/** Starts `pairgrid serve --db FILE --port 0 …args`; resolves with the URL it prints. */
export async function startServe(
  db: string,
  env: Record<string, string>,
  args: string[] = [],
): Promise<ServeProcess> {
  const child = spawnPairgrid(["serve", "--db", db, "--port", "0", ...args], env);
  let out = "";
  let err = "";
  child.stderr!.on("data", (d) => (err += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed in 20 s: ${err}`)), 20_000);
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on("exit", (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  return { child, url, err: () => err };
}

/** SIGTERM, then the exit code (0 when serve closed cleanly). */
export async function stopServe(serve: ServeProcess): Promise<number | null> {
  if (serve.child.exitCode !== null) return serve.child.exitCode;
  const exited = once(serve.child, "exit");
  serve.child.kill("SIGTERM");
  const [code] = (await exited) as [number | null];
  return code;
}
