import { describe, expect, it } from 'vitest';
import { seededBytes } from '../chunking/seeded-bytes.test-helper.ts';
import { AUTO_MIN_SAVING, compressChunk, createFileCompressor, decompressChunk } from './compress-chunk.ts';

const text = new TextEncoder().encode(
  Array.from({ length: 5000 }, (_, index) => `2026-11-22 request ${index} served in ${index % 97} ms\n`).join(
    '',
  ),
);
const random = seededBytes(256 * 1024, 31);
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;

describe('compressChunk', () => {
  it('stores raw for "none"', () => {
    const result = compressChunk(text, { codec: 'none' });
    expect(result.codec).toBe('none');
    expect(result.data).toBe(text);
  });

  it('always uses zstd for "zstd", even on random data', () => {
    expect(compressChunk(random, { codec: 'zstd', level: 1 }).codec).toBe('zstd');
    const result = compressChunk(text, { codec: 'zstd', level: 3 });
    expect(result.codec).toBe('zstd');
    expect(sameBytes(decompressChunk(result.codec, result.data, text.length), text)).toBe(true);
  });

  it('"auto" stores random data raw and text compressed', () => {
    const raw = compressChunk(random, { codec: 'auto', level: 3 });
    expect(raw.codec).toBe('none');
    expect(raw.data).toBe(random);
    const result = compressChunk(text, { codec: 'auto', level: 3 });
    expect(result.codec).toBe('zstd');
    expect(result.data.length).toBeLessThanOrEqual(text.length * (1 - AUTO_MIN_SAVING));
  });

  it('"auto" keeps zstd only when it saves at least AUTO_MIN_SAVING', () => {
    // Half text, half random: saves well under 5% once the random part dominates.
    const mostlyRandom = new Uint8Array(random.length + 4000);
    mostlyRandom.set(random);
    mostlyRandom.set(text.subarray(0, 4000), random.length);
    expect(compressChunk(mostlyRandom, { codec: 'auto', level: 3 }).codec).toBe('none');
  });

  it('stores empty chunks raw', () => {
    expect(compressChunk(new Uint8Array(0), { codec: 'zstd', level: 3 }).codec).toBe('none');
  });
});

describe('decompressChunk', () => {
  it('rejects a size that is not a byte count as CORRUPT', () => {
    expect(() => decompressChunk('none', text, -1)).toThrow(expect.objectContaining({ code: 'CORRUPT' }));
    expect(() => decompressChunk('none', text, 1.5)).toThrow(expect.objectContaining({ code: 'CORRUPT' }));
  });

  it('rejects raw data of the wrong length as CORRUPT', () => {
    expect(() => decompressChunk('none', text, text.length + 1)).toThrow(
      expect.objectContaining({ code: 'CORRUPT' }),
    );
  });
});

describe('createFileCompressor', () => {
  it('"auto" stops trying once the first chunk proves incompressible', () => {
    const compressor = createFileCompressor({ codec: 'auto', level: 3 });
    expect(compressor.compress(random).codec).toBe('none');
    const second = compressor.compress(text);
    expect(second.codec).toBe('none');
    expect(second.data).toBe(text);
  });

  it('"auto" keeps judging each chunk after a compressible first one', () => {
    const compressor = createFileCompressor({ codec: 'auto', level: 3 });
    expect(compressor.compress(text).codec).toBe('zstd');
    expect(compressor.compress(random).codec).toBe('none');
    expect(compressor.compress(text).codec).toBe('zstd');
  });

  it('an empty first chunk decides nothing', () => {
    const compressor = createFileCompressor({ codec: 'auto', level: 3 });
    compressor.compress(new Uint8Array(0));
    expect(compressor.compress(text).codec).toBe('zstd');
  });

  it('follows fixed settings', () => {
    expect(createFileCompressor({ codec: 'zstd', level: 3 }).compress(random).codec).toBe('zstd');
    expect(createFileCompressor({ codec: 'none' }).compress(text).codec).toBe('none');
  });
});
