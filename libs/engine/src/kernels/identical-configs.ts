// Combinations whose configuration vectors are bit for bit equal get equal rows (every kernel is a
// function of the group's arrays and the vector), so a chunk runs each distinct vector once and
// copies its row and folds to the others. Equal vectors arise where a grid axis changes nothing for
// a combination: a gate that never refuses (inert-gates.ts), for instance. The same grouping with
// some fields left out finds the event family kernel's families (equal but for z_stop, max_hold).
import { CFG_LENGTH } from "../rules/config-vector.js";

/** Bits, not values: −0 and 0 (or two NaN payloads) are kept apart, so "equal" is never a guess. */
function sameBits(words: Uint32Array, a: number, b: number, compared: Uint8Array): boolean {
  for (let w = 0; w < 2 * CFG_LENGTH; w++)
    if (compared[w] !== 0 && words[a + w] !== words[b + w]) return false;
  return true;
}

function hashBits(words: Uint32Array, a: number, compared: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let w = 0; w < 2 * CFG_LENGTH; w++)
    if (compared[w] !== 0) h = Math.imul(h ^ words[a + w]!, 0x01000193);
  return h;
}

/**
 * For each configuration (at `offsets`), the index in `offsets` of the first one with the same bits
 * in every field but those in `ignore` (itself when it is the first).
 */
export function firstIdentical(
  cfgs: Float64Array,
  offsets: ArrayLike<number>,
  ignore: readonly number[] = [],
): Int32Array {
  const words = new Uint32Array(cfgs.buffer, cfgs.byteOffset, cfgs.length * 2);
  const compared = new Uint8Array(2 * CFG_LENGTH).fill(1);
  for (const f of ignore) compared.fill(0, 2 * f, 2 * f + 2);
  const first = new Int32Array(offsets.length);
  // firsts with the same hash, chained: head by hash, then `chain` to the next older one
  const head = new Map<number, number>();
  const chain = new Int32Array(offsets.length).fill(-1);
  for (let j = 0; j < offsets.length; j++) {
    const a = 2 * offsets[j]!;
    const h = hashBits(words, a, compared);
    let k = head.get(h) ?? -1;
    while (k >= 0 && !sameBits(words, 2 * offsets[k]!, a, compared)) k = chain[k]!;
    if (k >= 0) {
      first[j] = k;
    } else {
      first[j] = j;
      chain[j] = head.get(h) ?? -1;
      head.set(h, j);
    }
  }
  return first;
}
