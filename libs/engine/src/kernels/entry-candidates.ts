// The bars an entry array (event-index.ts) offers, as one compact sorted list: what a family's base
// run and a batch's combinations read instead of the entry array itself (event-family-kernel.ts,
// event-batch-kernel.ts; issue 19 item 5), and what a gate configuration's candidates are cut from
// (GroupEvents.gatedCandidates).
/*
 * Why. A base run asks the entry array once per trade, at the bar its last trade exited: one read
 * at a bar nothing else read lately, so a cache miss each time — 11 % of W6's kernel time, on one
 * line of code. The run's searches only move forward, so the same answers come from a cursor
 * walking the list of candidate bars: the list is read in order, a few cache lines per trade,
 * which the processor fetches ahead. The value under the cursor is the entry array's own value at
 * the search bar (the candidate, the side in its sign), so the trades are the same.
 */

/** Each entry array's list, kept while the array lives (a group's views, per thread). */
const lists = new WeakMap<Int32Array, Int32Array>();
let scratch = new Int32Array(0);

/**
 * The values entryNext holds at its candidate bars (j or ~j at bar j), in bar order, then
 * entryNext.length (the array's "never"). A search from bar i is answered by the first value
 * whose bar (v < 0 ? ~v : v) is at or after i.
 */
export function entryCandidates(entryNext: Int32Array): Int32Array {
  let list = lists.get(entryNext);
  if (list !== undefined) return list;
  const n = entryNext.length;
  if (scratch.length < n + 1) scratch = new Int32Array(n + 1);
  // hop from candidate to candidate: only the candidates are read, in bar order
  let count = 0;
  let i = 0;
  while (i < n) {
    const v = entryNext[i]!;
    const c = v < 0 ? ~v : v;
    if (c >= n) break;
    scratch[count++] = v;
    i = c + 1;
  }
  scratch[count++] = n;
  list = scratch.slice(0, count);
  lists.set(entryNext, list);
  return list;
}

/**
 * Where a forward search from bar `i` lands in `list` (entryCandidates, or a gate configuration's
 * cut of it), starting at index `p` (where the last search landed): the index of the first value
 * whose bar (v < 0 ? ~v : v) is at or after i. The list ends with n, past every search bar, so the
 * walk always stops; the value there is the entry array's own value at i.
 */
export function candidateFrom(list: Int32Array, p: number, i: number): number {
  for (;;) {
    const v = list[p]!;
    if ((v < 0 ? ~v : v) >= i) return p;
    p++;
  }
}

/** Each candidate list's ranks in a wider list of the same level (candidateRanks), while both live. */
const ranksOf = new WeakMap<Int32Array, { universe: Int32Array; ranks: Int32Array }>();

/**
 * For each value of `list` (entryCandidates of an entry array), its index in `universe`, the
 * candidates of a wider entry array of the same level (the ungated one: gates only remove
 * candidates); −1 for the closing "never". A family's trades use it to share what depends only
 * on their entry bar with the group's other families (event-level-memo.ts).
 */
export function candidateRanks(list: Int32Array, universe: Int32Array): Int32Array {
  const known = ranksOf.get(list);
  if (known !== undefined && known.universe === universe) return known.ranks;
  const ranks = new Int32Array(list.length);
  let u = 0;
  for (let p = 0; p < list.length - 1; p++) {
    const v = list[p]!;
    while (u < universe.length - 1 && universe[u] !== v) u++;
    if (u === universe.length - 1) throw new Error("entry candidates: a list is not within its universe");
    ranks[p] = u;
  }
  ranks[list.length - 1] = -1;
  ranksOf.set(list, { universe, ranks });
  return ranks;
}
