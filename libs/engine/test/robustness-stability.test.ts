// Grid neighbours and stability: neighbours equal a brute force over the parameter values (one
// axis one step apart, all else equal; null next to nothing; missing cells skipped); a lone spike
// scores far worse than a plateau cell of the same height; nulls and isolated cells.
import assert from "node:assert/strict";
import { test } from "node:test";
import { gridNeighbours } from "../src/robustness/grid-neighbours.js";
import { stabilityScores } from "../src/robustness/stability.js";
import { Rng } from "../src/synth/prng.js";

/** Rows of a full grid over `axes` (values listed in any order; null allowed), minus `drop`. */
function grid(axes: (number | null)[][], drop: (row: (number | null)[]) => boolean = () => false) {
  let rows: (number | null)[][] = [[]];
  for (const values of axes) rows = rows.flatMap((r) => values.map((v) => [...r, v]));
  rows = rows.filter((r) => !drop(r));
  // a constant parameter column in front: never an axis
  const params = Float64Array.from(rows.flatMap((r) => [7, ...r.map((v) => v ?? Number.NaN)]));
  return { rows, params, nParams: axes.length + 1 };
}

function bruteNeighbours(rows: (number | null)[][], axes: (number | null)[][]): number[][] {
  const sortedAxes = axes.map((vs) => [...new Set(vs.filter((v) => v !== null))].sort((a, b) => a! - b!));
  return rows.map((r) =>
    rows
      .map((o, i) => ({ o, i }))
      .filter(({ o }) => {
        let diff = -1;
        for (let a = 0; a < r.length; a++) {
          if (r[a] === o[a]) continue;
          if (diff >= 0 || r[a] === null || o[a] === null) return false;
          const ia = sortedAxes[a]!.indexOf(r[a]!);
          const ib = sortedAxes[a]!.indexOf(o[a]!);
          if (Math.abs(ia - ib) !== 1) return false;
          diff = a;
        }
        return diff >= 0;
      })
      .map(({ i }) => i)
      .sort((a, b) => a - b),
  );
}

test("neighbours equal a brute force: unsorted axis, null values, missing cells", () => {
  const axes = [
    [30, 10, 20, 40],
    [null, 1.5, 2.5, 2],
    [0.1, 0.2],
  ];
  const { rows, params, nParams } = grid(axes, (r) => r[0] === 20 && r[1] === 2); // a hole
  const nb = gridNeighbours(params, nParams, rows.length);
  assert.deepEqual([...nb.axes], [1, 2, 3]);
  const want = bruteNeighbours(rows, axes);
  rows.forEach((_, r) => {
    const got = [...nb.list.subarray(nb.start[r]!, nb.start[r + 1]!)].sort((a, b) => a - b);
    assert.deepEqual(got, want[r], `row ${r} ${JSON.stringify(rows[r])}`);
  });
});

test("a lone spike scores far worse than a plateau cell of the same height", () => {
  // 7 × 7 grid; a plateau of Sharpe 2 in one corner, a lone 2 in the middle of a field of 0.2
  const axes = [
    [1, 2, 3, 4, 5, 6, 7],
    [10, 20, 30, 40, 50, 60, 70],
  ];
  const { rows, params, nParams } = grid(axes);
  const at = (x: number, y: number) => rows.findIndex((r) => r[0] === x && r[1] === y);
  const rng = new Rng(4, 1);
  const values = Float64Array.from(rows, (r) => {
    const onPlateau = r[0]! <= 3 && r[1]! <= 30;
    return (onPlateau ? 2 : 0.2) + 0.01 * rng.normal();
  });
  const spike = at(6, 60);
  values[spike] = 2;
  const plateau = at(2, 20);
  values[plateau] = 2;
  const s = stabilityScores(gridNeighbours(params, nParams, rows.length), values);
  assert.equal(s.nNeighbours[spike], 4);
  assert.ok(s.stability[spike]! < -1.7, `spike ${s.stability[spike]}`);
  assert.ok(Math.abs(s.stability[plateau]!) < 0.05, `plateau ${s.stability[plateau]}`);
  // the plateau's edge keeps a good median with two poor neighbours out of four
  const edge = at(3, 20);
  assert.ok(s.stability[edge]! > -1, `edge ${s.stability[edge]}`);
  // and the spike is the least stable cell of the grid
  let worst = 0;
  for (let i = 1; i < rows.length; i++) if (s.stability[i]! < s.stability[worst]!) worst = i;
  assert.equal(worst, spike);
});

test("stability = median of neighbours − own; null neighbours count 0; null own or no neighbour → null", () => {
  const axes = [[1, 2, 3, 4]];
  const { rows, params, nParams } = grid(axes);
  const nb = gridNeighbours(params, nParams, rows.length);
  const s = stabilityScores(nb, Float64Array.of(1, 5, Number.NaN, 2));
  // row 0: neighbours {5} → 5 − 1; row 1: {1, NaN→0} → 0.5 − 5; row 2: own null; row 3: {NaN→0} → −2
  assert.deepEqual([...s.stability.subarray(0, 2)], [4, -4.5]);
  assert.ok(Number.isNaN(s.stability[2]!));
  assert.equal(s.stability[3], -2);
  assert.deepEqual([...s.nNeighbours], [1, 2, 2, 1]);

  // a single combination, or a job where nothing varies: nobody has neighbours
  const lone = stabilityScores(gridNeighbours(Float64Array.of(1, 2), 2, 1), Float64Array.of(3));
  assert.equal(lone.nNeighbours[0], 0);
  assert.ok(Number.isNaN(lone.stability[0]!));
});
