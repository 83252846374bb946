import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OrbitError } from '../errors.ts';
import type { ChunkingOptions } from './chunking-options.ts';
import { type ChunkSpan, chunkBuffer, FastCdcChunker } from './fastcdc-chunker.ts';
import { GEAR_TABLE } from './gear-table.ts';
import { seededBytes, seededSplits, splitAt } from './seeded-bytes.test-helper.ts';

const SMALL: ChunkingOptions = { minSize: 2048, avgSize: 8192, maxSize: 32768 };

function streamed(pieces: readonly Uint8Array[], options: ChunkingOptions): number[] {
  const chunker = new FastCdcChunker(options);
  const lengths = pieces.flatMap((piece) => chunker.push(piece));
  const last = chunker.finish();
  return last > 0 ? [...lengths, last] : lengths;
}

const lengthsOf = (spans: readonly ChunkSpan[]): number[] => spans.map((span) => span.length);

function spanDigests(data: Uint8Array, spans: readonly ChunkSpan[]): string[] {
  return spans.map((span) =>
    createHash('sha256')
      .update(data.subarray(span.offset, span.offset + span.length))
      .digest('hex'),
  );
}

it('pins the boundaries of a fixed input (chunk boundaries are a persistent format)', () => {
  const spans = chunkBuffer(seededBytes(1 << 20, 42), SMALL);
  expect(spans).toHaveLength(119);
  expect(lengthsOf(spans.slice(0, 6))).toEqual([8657, 11706, 9683, 8282, 8540, 8402]);
  expect(createHash('sha256').update(lengthsOf(spans).join(',')).digest('hex')).toBe(
    'a1b6789fdc2e3b70dfc8b31159483e6dea70f1272d3a1de0171451ba78fccee8',
  );
});

it('is deterministic and covers the input with contiguous spans', () => {
  const data = seededBytes(3 << 20, 7);
  const spans = chunkBuffer(data, SMALL);
  expect(chunkBuffer(data, SMALL)).toEqual(spans);
  let offset = 0;
  for (const span of spans) {
    expect(span.offset).toBe(offset);
    offset += span.length;
  }
  expect(offset).toBe(data.length);
});

it('respects min and max, except for a shorter last chunk', () => {
  const spans = chunkBuffer(seededBytes(4 << 20, 8), SMALL);
  for (const span of spans.slice(0, -1)) {
    expect(span.length).toBeGreaterThanOrEqual(SMALL.minSize);
    expect(span.length).toBeLessThanOrEqual(SMALL.maxSize);
  }
  expect(spans.at(-1)?.length).toBeLessThanOrEqual(SMALL.maxSize);
});

it('cuts zero-filled data at exactly maxSize', () => {
  const spans = chunkBuffer(new Uint8Array(SMALL.maxSize * 3 + 5), SMALL);
  expect(lengthsOf(spans)).toEqual([SMALL.maxSize, SMALL.maxSize, SMALL.maxSize, 5]);
});

it('averages near avgSize on random data', () => {
  const data = seededBytes(8 << 20, 9);
  const mean = data.length / chunkBuffer(data, SMALL).length;
  // Normalised chunking centres chunks on avg; skipping the first min bytes adds a little.
  expect(mean).toBeGreaterThan(SMALL.avgSize * 0.85);
  expect(mean).toBeLessThan(SMALL.avgSize * 1.5);
});

it('gives the same boundaries however the input is split', () => {
  const data = seededBytes(2 << 20, 10);
  const whole = lengthsOf(chunkBuffer(data, SMALL));
  for (const [seed, maxPiece] of [
    [1, 1000],
    [2, 40_000],
    [3, 300_000],
  ] as const) {
    expect(streamed(splitAt(data, seededSplits(data.length, seed, maxPiece)), SMALL)).toEqual(whole);
  }
  const bytewise = data.subarray(0, 100_000);
  expect(streamed(splitAt(bytewise, seededSplits(bytewise.length, 4, 2)), SMALL)).toEqual(
    lengthsOf(chunkBuffer(bytewise, SMALL)),
  );
});

it('cuts fixed-size chunks when min, avg and max are equal', () => {
  const fixed: ChunkingOptions = { minSize: 64, avgSize: 64, maxSize: 64 };
  expect(lengthsOf(chunkBuffer(seededBytes(64 * 5 + 10, 14), fixed))).toEqual([64, 64, 64, 64, 64, 10]);
});

it('returns no chunks for empty input and one chunk for input below min', () => {
  expect(chunkBuffer(new Uint8Array(0), SMALL)).toEqual([]);
  expect(streamed([], SMALL)).toEqual([]);
  expect(chunkBuffer(seededBytes(100, 1), SMALL)).toEqual([{ offset: 0, length: 100 }]);
});

it('can be reused after finish', () => {
  const data = seededBytes(200_000, 12);
  const chunker = new FastCdcChunker(SMALL);
  const first = [...chunker.push(data), chunker.finish()];
  expect([...chunker.push(data), chunker.finish()]).toEqual(first);
});

describe('boundary stability', () => {
  const original = seededBytes(32 << 20, 13);
  const originalDigests = new Set(spanDigests(original, chunkBuffer(original, SMALL)));

  function sharedTail(edited: Uint8Array): { shared: number; total: number } {
    const digests = spanDigests(edited, chunkBuffer(edited, SMALL));
    const tail = digests.slice(5);
    return { shared: tail.filter((digest) => originalDigests.has(digest)).length, total: tail.length };
  }

  it('re-synchronises after a one-byte insertion near the start', () => {
    const edited = new Uint8Array(original.length + 1);
    edited.set(original.subarray(0, 1000));
    edited[1000] = 0x5a;
    edited.set(original.subarray(1000), 1001);
    const { shared, total } = sharedTail(edited);
    expect(total).toBeGreaterThan(1000);
    expect(shared).toBe(total);
  });

  it('re-synchronises after a one-byte deletion near the start', () => {
    const edited = new Uint8Array(original.length - 1);
    edited.set(original.subarray(0, 1000));
    edited.set(original.subarray(1001), 1000);
    const { shared, total } = sharedTail(edited);
    expect(shared).toBe(total);
  });
});

/** The algorithm as documented, one byte at a time over a whole buffer: what the fast loop must equal. */
function referenceLengths(data: Uint8Array, { minSize, avgSize, maxSize }: ChunkingOptions): number[] {
  const bits = Math.log2(avgSize);
  const hard = (0xffffffff << (32 - (bits + 2))) | 0;
  const easy = (0xffffffff << (32 - Math.max(1, bits - 2))) | 0;
  const lengths: number[] = [];
  for (let start = 0; start < data.length; ) {
    let length = Math.min(maxSize, data.length - start);
    let hash = 0;
    for (let index = start + minSize; index < start + length; index++) {
      hash = ((hash << 1) + (GEAR_TABLE[data[index] as number] as number)) | 0;
      if ((hash & (index - start < avgSize ? hard : easy)) === 0) {
        length = index + 1 - start;
        break;
      }
    }
    lengths.push(length);
    start += length;
  }
  return lengths;
}

describe('equals the byte-by-byte algorithm', () => {
  const size = 3 << 20;
  const random = seededBytes(size, 21);
  const words = new TextEncoder().encode(
    'orbit star cargo chunk manifest journal audit 0123456789\n'.repeat(60_000),
  );
  const inputs: Record<string, Uint8Array> = {
    random,
    zeros: new Uint8Array(size),
    text: words.subarray(0, size),
    // Few distinct bytes: long runs without a cut, then the easy mask and maxSize decide.
    'two-symbol': random.map((byte) => byte & 1),
    periodic: random.map((_, index) => (index * 7) % 13),
  };
  const settings: Record<string, ChunkingOptions> = {
    small: SMALL,
    tiny: { minSize: 64, avgSize: 128, maxSize: 512 },
    'min equals avg': { minSize: 4096, avgSize: 4096, maxSize: 65536 },
    default: { minSize: 256 * 1024, avgSize: 1 << 20, maxSize: 4 << 20 },
  };
  for (const [dataName, data] of Object.entries(inputs)) {
    for (const [settingName, options] of Object.entries(settings)) {
      it(`${dataName}, ${settingName}: whole, split and at odd offsets`, () => {
        const expected = referenceLengths(data, options);
        expect(lengthsOf(chunkBuffer(data, options))).toEqual(expected);
        expect(streamed(splitAt(data, seededSplits(data.length, 5, 70_000)), options)).toEqual(expected);
        // The same bytes at every alignment of the underlying buffer (the loop reads 32-bit words).
        for (const shift of [1, 2, 3]) {
          const shifted = new Uint8Array(data.length + shift);
          shifted.set(data, shift);
          expect(lengthsOf(chunkBuffer(shifted.subarray(shift), options))).toEqual(expected);
        }
      });
    }
  }
});

it('rejects invalid options with an OrbitError', () => {
  expect(() => new FastCdcChunker({ minSize: 2048, avgSize: 6000, maxSize: 32768 })).toThrow(OrbitError);
  expect(() => new FastCdcChunker({ minSize: 9000, avgSize: 8192, maxSize: 32768 })).toThrow(/min ≤ avg/);
});
