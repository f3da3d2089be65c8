// Word-packed bitsets over class indices. Plain Uint32Array so rows stay cheap to OR/AND/count.

export type Bits = Uint32Array;

export function words(n: number): number {
  return (n + 31) >>> 5;
}

export function newBits(n: number): Bits {
  return new Uint32Array(words(n));
}

export function setBit(b: Bits, i: number): void {
  b[i >>> 5]! |= 1 << (i & 31);
}

export function clearBit(b: Bits, i: number): void {
  b[i >>> 5]! &= ~(1 << (i & 31));
}

export function hasBit(b: Bits, i: number): boolean {
  return ((b[i >>> 5]! >>> (i & 31)) & 1) === 1;
}

export function orInto(dst: Bits, src: Bits): void {
  for (let i = 0; i < dst.length; i++) dst[i]! |= src[i]!;
}

export function andInto(dst: Bits, src: Bits): void {
  for (let i = 0; i < dst.length; i++) dst[i]! &= src[i]!;
}

/** All bits below n set. */
export function fillBits(b: Bits, n: number): void {
  b.fill(0xffffffff);
  const rem = n & 31;
  if (rem && b.length) b[b.length - 1] = (1 << rem) - 1 >>> 0;
}

export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

export function popcount(b: Bits): number {
  let n = 0;
  for (let i = 0; i < b.length; i++) if (b[i]) n += popcount32(b[i]!);
  return n;
}

export function isEmpty(b: Bits): boolean {
  for (let i = 0; i < b.length; i++) if (b[i]) return false;
  return true;
}
