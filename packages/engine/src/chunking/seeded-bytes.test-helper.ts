/**
 * Reproducible pseudo-random bytes for tests (xorshift32): the same seed gives the same buffer in
 * Node and Deno, so pinned chunk boundaries and failures can be replayed.
 */
export function seededBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  const words = new Uint32Array(bytes.buffer, 0, length >>> 2);
  let state = seed | 0 || 1;
  for (let index = 0; index < words.length; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    words[index] = state;
  }
  for (let index = words.length * 4; index < length; index++) bytes[index] = index * 31 + seed;
  return bytes;
}

/** Random cut points splitting `length` into pieces of 1 to `maxPiece` bytes (and a few empty ones). */
export function seededSplits(length: number, seed: number, maxPiece: number): number[] {
  const noise = seededBytes(Math.max(4, length), seed);
  const view = new DataView(noise.buffer);
  const cuts: number[] = [];
  let at = 0;
  for (let index = 0; at < length; index++) {
    const word = view.getUint32((index * 4) % (noise.length - 3), true);
    at = Math.min(length, at + (word % 7 === 0 ? 0 : 1 + (word % maxPiece)));
    cuts.push(at);
  }
  return cuts;
}

export function splitAt(data: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  let start = 0;
  return cuts.map((end) => {
    const piece = data.subarray(start, end);
    start = end;
    return piece;
  });
}
