import { describe, expect, it } from 'vitest';
import type { Chunk, FileEntry, ResultPart, StarMessage } from './index.ts';
import {
  chunkListBatcher,
  loadOrbitPackageDefinition,
  type ResultPartBatcher,
  scanEntryBatcher,
} from './index.ts';

const session = loadOrbitPackageDefinition()['orbit.v1.StarControl'] as unknown as {
  Session: { requestSerialize: (message: StarMessage) => Buffer };
};
const encodedSize = (part: ResultPart) => session.Session.requestSerialize({ resultPart: part }).length;

function collect<Item>(batcher: ResultPartBatcher<Item>, items: readonly Item[]): ResultPart[] {
  const parts: ResultPart[] = [];
  for (const item of items) {
    const full = batcher.push(item);
    if (full) parts.push(full);
  }
  parts.push(batcher.finish());
  return parts;
}

/** Worst cases for the size bound: multi-byte paths, the largest and negative 64-bit numbers. */
function hostileEntries(count: number): FileEntry[] {
  return Array.from({ length: count }, (_, index) => ({
    path: `${'데이터/'.repeat(index % 40)}file-${index}-${'ü'.repeat(index % 97)}`,
    size: Number.MAX_SAFE_INTEGER,
    mtimeUnixMs: -Number.MAX_SAFE_INTEGER,
    mode: 0xffffffff,
    kind: 'ENTRY_KIND_SYMLINK',
    linkTarget: index % 3 === 0 ? `../${'→'.repeat(index % 50)}` : '',
  }));
}

describe('result part batching', () => {
  for (const maxBytes of [2048, 64 * 1024]) {
    it(`keeps every encoded scan part within ${maxBytes} bytes, in order, nothing lost`, () => {
      const entries = hostileEntries(3000);
      const parts = collect(scanEntryBatcher('cmd-scan-ñ', maxBytes), entries);
      expect(parts.length).toBeGreaterThan(2);
      parts.forEach((part, index) => {
        expect(encodedSize(part)).toBeLessThanOrEqual(maxBytes);
        expect(part.sequence).toBe(index);
        expect(part.last).toBe(index === parts.length - 1);
        // Bounds are conservative but not wasteful: every full part is at least half used.
        if (!part.last) expect(encodedSize(part)).toBeGreaterThan(maxBytes / 2);
      });
      expect(parts.flatMap((part) => part.scanEntries?.entries ?? [])).toEqual(entries);
    });
  }

  it('keeps chunk-list parts within bounds and repeats the file path in each', () => {
    const chunks: Chunk[] = Array.from({ length: 5000 }, (_, index) => ({
      offset: Number.MAX_SAFE_INTEGER - index,
      length: 4 * 1024 * 1024,
      hash: index.toString(16).padStart(64, 'f'),
    }));
    const path = `/srv/data/${'é'.repeat(300)}.bin`;
    const parts = collect(chunkListBatcher('cmd-chunk', path, 16 * 1024), chunks);
    for (const part of parts) {
      expect(encodedSize(part)).toBeLessThanOrEqual(16 * 1024);
      expect(part.chunkList?.path).toBe(path);
    }
    expect(parts.flatMap((part) => part.chunkList?.chunks ?? [])).toEqual(chunks);
  });

  it('ends an empty stream with one empty last part', () => {
    const batcher = scanEntryBatcher('cmd-empty');
    expect(batcher.finish()).toEqual({
      commandId: 'cmd-empty',
      sequence: 0,
      last: true,
      scanEntries: { entries: [] },
    });
    expect(batcher.parts).toBe(1);
    expect(() => batcher.finish()).toThrow(/twice/);
  });

  it('refuses limits above 4 MiB and items that cannot fit any part', () => {
    expect(() => scanEntryBatcher('c', 5 * 1024 * 1024)).toThrow(RangeError);
    const batcher = scanEntryBatcher('c', 1024);
    expect(() => batcher.push({ path: 'x'.repeat(2000) })).toThrow(/more than a part/);
  });
});
