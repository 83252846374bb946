/**
 * FastCDC's gear table: 256 pseudo-random 32-bit words, one per byte value. Chunk boundaries
 * (and so archives and dedup) depend on every bit of it, so it is generated, never edited:
 * entry i is the high 32 bits of the (i+1)-th output of SplitMix64 seeded with 0x6f72626974
 * ("orbit"). `gear-table.test.ts` pins it.
 *
 * 32-bit words rather than the paper's 64: JavaScript has fast 32-bit integer arithmetic but no
 * 64-bit integers outside BigInt; a 32-bit gear hash still spans a 32-byte window, ample for masks
 * of at most 28 bits (a 64 MiB average).
 */
export const GEAR_SEED = 0x6f72626974n;

const MASK_64 = (1n << 64n) - 1n;

/** SplitMix64 (Steele, Lea, Flood 2014), the generator `java.util.SplittableRandom` uses. */
export function* splitMix64(seed: bigint): Generator<bigint, never> {
  let state = seed & MASK_64;
  for (;;) {
    state = (state + 0x9e3779b97f4a7c15n) & MASK_64;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK_64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK_64;
    yield z ^ (z >> 31n);
  }
}

function buildGearTable(): Uint32Array {
  const table = new Uint32Array(256);
  const random = splitMix64(GEAR_SEED);
  for (let index = 0; index < table.length; index++) {
    table[index] = Number(random.next().value >> 32n);
  }
  return table;
}

export const GEAR_TABLE: Readonly<Uint32Array> = buildGearTable();
