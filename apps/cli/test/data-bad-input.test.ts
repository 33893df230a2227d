// Bad data through the real binary: exit code 2 and one line `pairgrid: FILE:LINE: reason`,
// never a stack trace; lenient mode skips the rows and says so.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { pairgrid } from "./cli-helpers.js";

const dir = mkdtempSync(join(tmpdir(), "pairgrid-bad-"));
const HEADER = "Date, Time, Open, High, Low, Last, Volume, NumberOfTrades, BidVolume, AskVolume";
const row = (time: string, last = "100.5", date = "2024/1/2") =>
  `${date}, ${time}, 100, 101, 99, ${last}, 10, 1, 5, 5`;
const good = [HEADER, row("09:30:00"), row("09:35:00"), row("09:40:00"), row("09:45:00")].join("\n");
writeFileSync(join(dir, "B.csv"), `${good}\n`);

/** A row with its own open, high, low and last. */
const bar = (time: string, o: string, h: string, l: string, c: string) =>
  `2024/1/2, ${time}, ${o}, ${h}, ${l}, ${c}, 10, 1, 5, 5`;

function specFor(aFile: string, lenient = false, maxJump?: number | null): string {
  const spec = {
    name: "bad",
    data: {
      a: { symbol: "NQ", slow: aFile, multiplier: 20, tick_size: 0.25 },
      b: { symbol: "YM", slow: "B.csv", multiplier: 5, tick_size: 1 },
      bar_minutes: 5,
      lenient,
      max_jump: maxJump,
      cache: false,
    },
    params: { ols_window: 2, zscore_window: 2, z_entry: 2 },
  };
  const p = join(dir, `spec-${aFile}-${lenient}-${maxJump}.json`);
  writeFileSync(p, JSON.stringify(spec));
  return p;
}

function expectBad(name: string, content: string, line: number, reason: RegExp): void {
  test(name, () => {
    const file = `${name.replace(/\W+/g, "-")}.csv`;
    writeFileSync(join(dir, file), content);
    const r = pairgrid(["data", "check", specFor(file)]);
    assert.equal(r.status, 2, `exit code (stderr: ${r.stderr})`);
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 1, `one line, got: ${r.stderr}`);
    assert.ok(lines[0]!.includes(`${join(dir, file)}:${line}: `), `file:line in: ${lines[0]}`);
    assert.match(lines[0]!, reason);
    assert.doesNotMatch(r.stderr, /\bat .*\.js:\d+/, "no stack trace");
  });
}

describe("bad input → exit 2 with file:line", () => {
  expectBad(
    "missing column",
    `Date, Time, Open, High, Low, Volume\n2024/1/2, 09:30:00, 1, 1, 1, 1\n`,
    1,
    /Last|Close/,
  );
  expectBad("unparsable number", `${HEADER}\n${row("09:30:00")}\n${row("09:35:00", "10x.5")}\n`, 3, /Last/);
  expectBad(
    "non-positive price",
    `${HEADER}\n${row("09:30:00")}\n${row("09:35:00", "0")}\n`,
    3,
    /positive|> 0/,
  );
  expectBad("time going backwards", `${HEADER}\n${row("09:35:00")}\n${row("09:30:00")}\n`, 3, /backwards/);
  expectBad("duplicate timestamp", `${HEADER}\n${row("09:30:00")}\n${row("09:30:00")}\n`, 3, /duplicate/);
  expectBad("empty file", "", 1, /empty/);
  expectBad(
    "wrong delimiter",
    `${HEADER.replaceAll(", ", ";")}\n${row("09:30:00").replaceAll(", ", ";")}\n`,
    1,
    /delimiter/,
  );
  expectBad(
    "high below low",
    `${HEADER}\n${row("09:30:00")}\n${bar("09:35:00", "100", "99", "101", "100")}\n`,
    3,
    /: high is below low \(data\.lenient: true skips such bars\): high 99, low 101$/,
  );
  expectBad(
    "a close of 1e300",
    `${HEADER}\n${row("09:30:00")}\n${bar("09:35:00", "100", "1e300", "99", "1e300")}\n`,
    3,
    /: close moves \+[\d.]+e\+\d+ % from the previous close \(line 2\), more than data\.max_jump = 0\.2 allows .*: close 1e\+300, previous close 100\.5$/,
  );
  expectBad(
    "local time in the DST gap",
    `${HEADER}\n${row("02:30:00", "100.5", "2024/3/10")}\n`,
    2,
    /exist|gap|DST/i,
  );
});

test("lenient mode skips bad rows and reports them", () => {
  const file = "lenient.csv";
  writeFileSync(
    join(dir, file),
    `${HEADER}\n${row("09:30:00")}\n${row("09:35:00", "-1")}\n${row("09:40:00")}\n`,
  );
  const r = pairgrid(["data", "check", specFor(file, true)]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /skipped 1 bad rows/);
  assert.match(r.stdout, /line 3:/);
  assert.match(r.stdout, /2 aligned bars/);
});

test("lenient mode counts skipped bars by kind", () => {
  const file = "lenient-kinds.csv";
  writeFileSync(
    join(dir, file),
    [
      HEADER,
      row("09:30:00"),
      bar("09:35:00", "100", "99", "101", "100"),
      bar("09:40:00", "1e300", "1e300", "1e300", "1e300"),
      row("09:45:00"),
      row("09:50:00", "-1"),
    ].join("\n") + "\n",
  );
  const r = pairgrid(["data", "check", specFor(file, true)]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stdout,
    /skipped 3 bad rows \(lenient mode\): 1 high below low, 1 price jump, 1 bad price; first: line 3: high is below low.*: high 99, low 101; /,
  );
  assert.match(r.stdout, /2 aligned bars/);
});

test("data.max_jump: null lets a 1e300 bar through (and only the jump check)", () => {
  const file = "no-jump-check.csv";
  writeFileSync(
    join(dir, file),
    `${HEADER}\n${row("09:30:00")}\n${bar("09:35:00", "1e300", "1e300", "1e300", "1e300")}\n`,
  );
  const r = pairgrid(["data", "check", specFor(file, false, null)]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /2 rows → 2 bars/);
});

test("a bad spec field is exit 2 with the field path", () => {
  const p = join(dir, "badspec.json");
  writeFileSync(p, JSON.stringify({ name: "x", data: {}, params: {} }));
  const r = pairgrid(["indicators", p, "--out", join(dir, "x.csv")]);
  assert.equal(r.status, 2);
  assert.match(r.stderr.trim(), /^pairgrid: .*badspec\.json: data\.a: /);
});
