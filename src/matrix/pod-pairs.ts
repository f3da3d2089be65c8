// Counting pod pairs from a class row, without expanding classes to pods.
import { hasBit, popcount, type Bits } from './bitset.js';
import type { Tables } from './state.js';

/** Ordered pod pairs (distinct pods) from every pod of class s that a row allows on one atom class. */
export function rowPodPairs(t: Tables, s: number, bits: Bits): number {
  t.multi ??= t.classes.filter((c) => c.alive && c.pods.size > 1).map((c) => c.id);
  const ones = popcount(bits);
  let dsts = ones;
  if (ones < t.multi.length) {
    // Few destinations: walk the set bits.
    dsts = 0;
    for (let w = 0; w < bits.length; w++) {
      let x = bits[w]!;
      while (x) {
        const low = x & -x;
        dsts += t.classes[(w << 5) + 31 - Math.clz32(low)]!.pods.size;
        x ^= low;
      }
    }
  } else {
    // Many: every destination counts one pod, plus the extra pods of multi-pod classes.
    for (const c of t.multi) if (hasBit(bits, c)) dsts += t.classes[c]!.pods.size - 1;
  }
  // A pod never counts as a pair with itself.
  if (hasBit(bits, s)) dsts -= 1;
  return dsts * t.classes[s]!.pods.size;
}
