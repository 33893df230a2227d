// The progress display of long work (run-progress.ts) in "lines" mode, on a clock the test moves:
// `pairgrid robustness`'s display appears only once the report has taken its delay, then counts
// its rate from the report's start; a run's display shows its first line at once.
import assert from "node:assert/strict";
import { test } from "node:test";
import { lateProgress, startProgress } from "../src/run-progress.js";

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

test("a late display prints nothing before its delay, then lines with the rate since the start", () => {
  const c = clock();
  const lines: string[] = [];
  const p = lateProgress(2000, {
    total: 50_000_000,
    mode: "lines",
    log: (s) => lines.push(s),
    unit: "rows read",
    everySeconds: 5,
    now: c.now,
  });
  c.advance(1000);
  p.update(1_000_000);
  c.advance(999);
  p.update(1_999_000);
  assert.deepEqual(lines, [], "quick work shows nothing");
  c.advance(1);
  p.update(2_000_000);
  // 2 M rows in the 2 s since the start: 1 M/s, 48 s left
  assert.deepEqual(lines, ["progress: 4.0% 2,000,000/50,000,000 rows read, 1,000,000/s, ETA 0:48"]);
  c.advance(4000);
  p.update(6_000_000);
  assert.equal(lines.length, 1, "the next line comes 5 s after the last");
  c.advance(1000);
  p.update(7_000_000);
  assert.equal(lines.length, 2);
  assert.match(lines[1]!, /^progress: 14\.0% 7,000,000\/50,000,000 rows read, 1,000,000\/s, ETA 0:43$/);
  p.stop();
});

test("a run's display (no delay) shows its first line at the first update, in combinations", () => {
  const c = clock();
  const lines: string[] = [];
  const p = startProgress({ total: 1000, mode: "lines", log: (s) => lines.push(s), now: c.now });
  c.advance(500);
  p.update(100);
  assert.deepEqual(lines, ["progress: 10.0% 100/1,000 combinations, 200/s, ETA 0:05"]);
  p.stop();
});

test("off: nothing, whatever the updates", () => {
  const lines: string[] = [];
  const p = lateProgress(0, { total: 10, mode: "off", log: (s) => lines.push(s) });
  p.update(5);
  p.update(10);
  p.stop();
  assert.deepEqual(lines, []);
});
