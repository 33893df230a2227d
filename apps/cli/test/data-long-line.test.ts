// A data file with no newline (here 200 MB; the report was a 2 GB one) through the real binary:
// `pairgrid data check` exits 2 with one `file:line: reason` line within a second of a normal
// start-up, and its peak memory stays near that of a run that fails on a tiny file.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";
import { repoRoot } from "./cli-helpers.js";

const dir = mkdtempSync(join(tmpdir(), "pairgrid-long-line-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const probe = fileURLToPath(new URL("./rss-probe.js", import.meta.url));
const bin = resolve(repoRoot, "apps/cli/bin/pairgrid.js");
const HEADER = "Date, Time, Open, High, Low, Last, Volume, NumberOfTrades, BidVolume, AskVolume";
writeFileSync(join(dir, "B.csv"), `${HEADER}\n2024/1/2, 09:30:00, 100, 101, 99, 100.5, 10, 1, 5, 5\n`);

/** `bytes` of '1' and no newline, written in 8 MiB blocks. */
function noNewline(name: string, bytes: number): string {
  const block = Buffer.alloc(8 << 20, 0x31);
  const fd = openSync(join(dir, name), "w");
  for (let left = bytes; left > 0; left -= block.length)
    writeSync(fd, block, 0, Math.min(left, block.length));
  closeSync(fd);
  return join(dir, name);
}

function specFor(aFile: string): string {
  const spec = {
    name: "long-line",
    data: {
      a: { symbol: "NQ", slow: aFile, multiplier: 20, tick_size: 0.25 },
      b: { symbol: "YM", slow: "B.csv", multiplier: 5, tick_size: 1 },
      bar_minutes: 5,
      cache: true, // the cache's content hash reads the file first: it must stop early too
    },
    params: { ols_window: 2, zscore_window: 2, z_entry: 2 },
  };
  const p = join(dir, `spec-${aFile}.json`);
  writeFileSync(p, JSON.stringify(spec));
  return p;
}

/** `pairgrid data check` on a spec whose leg A is `aFile`: status, stderr, seconds, peak RSS MiB. */
function check(aFile: string) {
  const rssFile = join(dir, "rss.txt");
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["--import", probe, bin, "data", "check", specFor(aFile)], {
    encoding: "utf8",
    env: { ...process.env, PAIRGRID_CACHE_DIR: join(dir, "cache"), PAIRGRID_RSS_PROBE: rssFile },
  });
  const seconds = (performance.now() - t0) / 1000;
  return { status: r.status, stderr: r.stderr, seconds, rssMb: Number(readFileSync(rssFile, "utf8")) / 1024 };
}

test("200 MB without a newline: exit 2, one line naming file:1, fast, memory flat", (t) => {
  writeFileSync(join(dir, "tiny.csv"), "x".repeat(70_000));
  const tiny = check("tiny.csv"); // the same failure on a small file: start-up time and memory
  assert.equal(tiny.status, 2, tiny.stderr);
  const big = noNewline("big.csv", 200 << 20);
  const r = check("big.csv");
  assert.equal(r.status, 2, r.stderr);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 1, `one line, got ${r.stderr.length} chars`);
  assert.match(
    lines[0]!,
    new RegExp(`^pairgrid: ${big}:1: line longer than 65536 bytes \\(\\d+ bytes read without a newline\\)`),
  );
  t.diagnostic(
    `200 MB: ${r.seconds.toFixed(2)} s, peak RSS ${r.rssMb.toFixed(0)} MB; ` +
      `tiny file: ${tiny.seconds.toFixed(2)} s, ${tiny.rssMb.toFixed(0)} MB`,
  );
  // the time bound leaves room for a loaded CI machine (test files run in parallel); the memory
  // bound is what the old code fails by far (it held the whole line: ≥ 200 MB more)
  assert.ok(
    r.seconds < tiny.seconds + 2.5,
    `${r.seconds.toFixed(2)} s vs ${tiny.seconds.toFixed(2)} s on a tiny file`,
  );
  assert.ok(
    r.rssMb < tiny.rssMb + 48,
    `peak RSS ${r.rssMb.toFixed(0)} MB vs ${tiny.rssMb.toFixed(0)} MB on a tiny file`,
  );
});
