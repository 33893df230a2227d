// The byte-level building blocks: number parsing and the chunked line reader.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { readLines } from "../src/loaders/line-reader.js";
import { parseDatabentoPrice, parseNanosToMs, parseNumber } from "../src/loaders/parse-number.js";
import { tempDir, writeData } from "./fixtures/data/helpers.js";

const dir = tempDir();
const num = (s: string) => parseNumber(Buffer.from(s, "latin1"), 0, s.length);

test("parseNumber is bit-identical to Number() on decimal text", () => {
  fc.assert(
    fc.property(
      fc.double({ min: -1e7, max: 1e7, noNaN: true }),
      fc.integer({ min: 0, max: 9 }),
      (x, digits) => {
        for (const text of [x.toFixed(digits), String(x), (Math.round(x * 4) / 4).toFixed(2)]) {
          assert.ok(Object.is(num(text), Number(text)), text);
        }
      },
    ),
    { numRuns: 3000 },
  );
  for (const text of [
    "0",
    "7",
    "+7",
    "-0.5",
    ".5",
    "5.",
    "1e3",
    "2.5E-2",
    "123456789012345678",
    "0.1000000000000000055",
  ]) {
    assert.equal(num(text), Number(text), text);
  }
});

test("parseNumber rejects what Number() would wrongly accept, and tells non-finite apart", () => {
  for (const text of ["", "-", ".", "abc", "0x10", "1,5", "1.2.3", "1e", "--1", " ", "nan", "NaN"]) {
    assert.ok(Number.isNaN(num(text)), JSON.stringify(text));
  }
  assert.equal(num("inf"), Infinity);
  assert.equal(num("-Infinity"), -Infinity);
  assert.equal(num("1e400"), Infinity);
});

test("Databento prices: fixed-point integers (1e-9) equal the decimal spelling", () => {
  const px = (s: string) => parseDatabentoPrice(Buffer.from(s, "latin1"), 0, s.length);
  fc.assert(
    fc.property(fc.bigInt({ min: 1n, max: 99_999_999_999_999_999n }), (fixed) => {
      const s = fixed.toString();
      const whole = fixed / 1_000_000_000n;
      const frac = (fixed % 1_000_000_000n).toString().padStart(9, "0");
      assert.equal(px(s), Number(`${whole}.${frac}`), s);
      assert.equal(px(`${whole}.${frac}`), Number(`${whole}.${frac}`));
    }),
    { numRuns: 2000 },
  );
  assert.equal(px("4750250000000"), 4750.25);
  assert.equal(px("-100000"), -0.0001);
  assert.ok(Number.isNaN(px("9223372036854775807")));
  assert.ok(Number.isNaN(px("")));
  assert.ok(Number.isNaN(px("12a")));
});

test("nanosecond timestamps → exact milliseconds, sub-millisecond parts marked", () => {
  const ms = (s: string) => parseNanosToMs(Buffer.from(s, "latin1"), 0, s.length);
  fc.assert(
    fc.property(
      fc.bigInt({ min: 0n, max: 4_000_000_000_000n }),
      fc.integer({ min: 0, max: 999_999 }),
      (m, sub) => {
        const ns = m * 1_000_000n + BigInt(sub);
        assert.equal(ms(ns.toString()), Number(m) + (sub === 0 ? 0 : 0.5));
      },
    ),
    { numRuns: 2000 },
  );
  assert.equal(ms("1704205800000000000"), 1704205800000);
  assert.ok(Number.isNaN(ms("17042058000000000x0")));
  assert.ok(Number.isNaN(ms("")));
});

test("readLines: any chunk size gives the same lines, numbers, CRLF/BOM handling", async () => {
  const line = fc.oneof(
    fc.constant(""),
    fc.constant("   "),
    fc.string({ unit: fc.constantFrom("a", "b", "1", ",", " ", "é"), minLength: 1, maxLength: 40 }),
  );
  await fc.assert(
    fc.asyncProperty(
      fc.array(line, { maxLength: 30 }),
      fc.boolean(),
      fc.boolean(),
      fc.boolean(),
      fc.integer({ min: 1, max: 64 }),
      async (lines, crlf, bom, finalNewline, chunkBytes) => {
        const eol = crlf ? "\r\n" : "\n";
        const text = (bom ? "\uFEFF" : "") + lines.join(eol) + (finalNewline && lines.length ? eol : "");
        const f = writeData(dir, "lines.txt", text);
        const got: [number, string][] = [];
        await readLines(f, (buf, s, e, n) => got.push([n, buf.toString("utf8", s, e)]), { chunkBytes });
        const want: [number, string][] = [];
        lines.forEach((l, i) => {
          if (l.trim() !== "") want.push([i + 1, l]);
        });
        assert.deepEqual(got, want);
      },
    ),
    { numRuns: 300 },
  );
});
