// Walk-forward selection: every step's choice and out-of-sample figures equal a brute force over
// the daily series (anchored and rolling, by sharpe and total_pnl); ties go to the lowest
// combination; the stitched series is the chosen folds' days end to end; bad windows are named.
import assert from "node:assert/strict";
import { test } from "node:test";
import { sharpeOf } from "../src/statistics/daily-statistics.js";
import {
  defaultWalkForwardWindow,
  walkForward,
  type WalkForwardMode,
} from "../src/robustness/walk-forward.js";
import { daysOf, foldsOf, noiseSeries } from "./robustness-fixtures.js";

const near = (a: number, b: number) =>
  (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
const sum = (d: Float64Array) => d.reduce((a, b) => a + b, 0);
const range = (F: number, from: number, to: number) =>
  Array.from({ length: F }, (_, f) => (f >= from && f < to ? 1 : 0));

test("brute force: the choices and out-of-sample figures of every step, both modes, both statistics", () => {
  const daily = noiseSeries(21, 30, 150, 5, 100);
  daily[4] = new Float64Array(150); // never trades: null Sharpe, total_pnl 0
  const F = 10;
  const m = foldsOf(daily, F);
  for (const by of ["sharpe", "total_pnl"] as const) {
    const score = (d: Float64Array) => (by === "sharpe" ? sharpeOf(d) : sum(d));
    for (const mode of ["anchored", "rolling"] as WalkForwardMode[]) {
      for (const window of [1, 3, 9]) {
        const r = walkForward(m, { by, mode, window });
        assert.equal(r.steps.length, F - window);
        const stitched: number[] = [];
        r.steps.forEach((step, s) => {
          const k = window + s;
          const from = mode === "anchored" ? 0 : k - window;
          assert.deepEqual([step.trainFrom, step.trainTo, step.testFold], [from, k - 1, k]);
          // brute force: the statistic of each combination's training days, first best wins
          const scores = daily.map((d) => score(daysOf(d, F, range(F, from, k))));
          let want = -1;
          scores.forEach((v, i) => {
            if (!Number.isNaN(v) && (want < 0 || v > scores[want]!)) want = i;
          });
          assert.equal(step.row, want, `${by} ${mode} w=${window} step ${k}`);
          const test = daysOf(daily[want]!, F, range(F, k, k + 1));
          assert.ok(near(step.oosPnl, sum(test)));
          assert.ok(near(step.oosSharpe, sharpeOf(test)));
          assert.equal(step.oosNDays, test.length);
          assert.equal(step.oosNTrades, test.filter((v) => v !== 0).length);
          assert.ok(near(step.isSharpe, sharpeOf(daysOf(daily[want]!, F, range(F, from, k)))));
          stitched.push(...test);
        });
        const st = Float64Array.from(stitched);
        assert.ok(near(r.stitched.sharpe, sharpeOf(st)), "stitched sharpe");
        assert.ok(near(r.stitched.pnl, sum(st)));
        assert.equal(r.stitched.nDays, st.length);
        // the in-sample best: best over every fold, then judged over the test folds
        const all = daily.map((d) => score(d));
        const best = all.indexOf(Math.max(...all.filter((v) => !Number.isNaN(v))));
        assert.equal(r.inSampleBest.row, best);
        const period = daysOf(daily[best]!, F, range(F, window, F));
        assert.ok(near(r.inSampleBest.oosPeriodSharpe, sharpeOf(period)));
        assert.ok(near(r.inSampleBest.oosPeriodPnl, sum(period)));
        assert.ok(near(r.inSampleBest.sharpe, sharpeOf(daily[best]!)));
      }
    }
  }
});

test("anchored keeps every past fold, rolling only the window: they differ when the past misleads", () => {
  // combo 0 shines on folds 0–3 and loses after; combo 1 the other way round
  const good = (t: number) => 50 + (t % 3);
  const bad = (t: number) => -50 + (t % 3);
  const days = 8 * 10;
  const c0 = Float64Array.from({ length: days }, (_, t) => (t < 40 ? good(t) * 10 : bad(t)));
  const c1 = Float64Array.from({ length: days }, (_, t) => (t < 40 ? bad(t) : good(t)));
  const m = foldsOf([c0, c1], 8);
  const anchored = walkForward(m, { by: "total_pnl", mode: "anchored", window: 2 });
  const rolling = walkForward(m, { by: "total_pnl", mode: "rolling", window: 2 });
  // test fold 6 onwards: rolling has seen combo 1 win both of the last two folds (at fold 5 its
  // window still holds fold 3, where combo 0 won big); anchored still favours combo 0
  assert.deepEqual(
    rolling.steps.map((s) => s.row),
    [0, 0, 0, 0, 1, 1],
  );
  assert.deepEqual(
    anchored.steps.map((s) => s.row),
    [0, 0, 0, 0, 0, 0],
  );
  assert.ok(rolling.stitched.pnl > anchored.stitched.pnl);
});

test("ties go to the lowest combination; a training set where nothing has a Sharpe is sat out", () => {
  const same = Float64Array.of(1, 3, 2, 5, 1, 2, 4, 0);
  const m = foldsOf([new Float64Array(8), same, Float64Array.from(same)], 4);
  const r = walkForward(m, { mode: "rolling", window: 1 });
  assert.ok(
    r.steps.every((s) => s.row === 1),
    "combo 1 and 2 tie; 1 wins; combo 0 (null) never",
  );

  const flat = foldsOf([new Float64Array(8), new Float64Array(8)], 4);
  const none = walkForward(flat, { mode: "anchored", window: 2 });
  assert.ok(none.steps.every((s) => s.row === -1 && Number.isNaN(s.oosPnl)));
  assert.deepEqual([none.stitched.nDays, none.stitched.pnl], [0, 0]);
  assert.ok(Number.isNaN(none.stitched.sharpe));
  assert.equal(none.inSampleBest.row, -1);
});

test("window: default a quarter of the folds, and 1 … F−1 only", () => {
  assert.deepEqual([2, 4, 16, 30].map(defaultWalkForwardWindow), [1, 1, 4, 7]);
  const m = foldsOf(noiseSeries(1, 3, 40), 4);
  for (const window of [0, 4, 1.5]) {
    assert.throws(() => walkForward(m, { mode: "rolling", window }), {
      name: "InputError",
      path: "window",
      message: /from 1 to 3/,
    });
  }
});
