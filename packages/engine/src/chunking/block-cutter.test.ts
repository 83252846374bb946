import { describe, expect, it } from 'vitest';
import { type CutterKind, openBlockCutter, workerCutterAvailable } from './block-cutter.ts';
import type { ChunkingOptions } from './chunking-options.ts';
import { chunkBuffer } from './fastcdc-chunker.ts';
import { seededBytes, seededSplits } from './seeded-bytes.test-helper.ts';

const options: ChunkingOptions = { minSize: 2048, avgSize: 8192, maxSize: 32768 };

/** Every cutter must cut a stream of blocks exactly as chunkBuffer cuts the whole. */
const kinds: CutterKind[] = workerCutterAvailable() ? ['in-thread', 'worker'] : ['in-thread'];

describe.each(kinds)('%s cutter', (kind) => {
  it('cuts any split of the input like chunkBuffer', async () => {
    const data = seededBytes(600_000, 7);
    const expected = chunkBuffer(data, options).map((span) => span.length);
    const cutter = openBlockCutter(options, kind);
    try {
      const shared = new Uint8Array(new SharedArrayBuffer(data.length));
      shared.set(data);
      const lengths: number[] = [];
      let at = 0;
      // Blocks are pushed without waiting, as chunkPass does; answers must come back in order.
      const answers: Promise<number[]>[] = [];
      for (const cut of [...seededSplits(data.length, 11, 40_000), data.length]) {
        answers.push(cutter.push(shared.subarray(at, cut)));
        at = cut;
      }
      for (const answer of answers) lengths.push(...(await answer));
      const rest = await cutter.finish();
      if (rest > 0) lengths.push(rest);
      expect(lengths).toEqual(expected);
    } finally {
      cutter.close();
    }
  });

  it('starts over after finish', async () => {
    const data = seededBytes(100_000, 3);
    const shared = new Uint8Array(new SharedArrayBuffer(data.length));
    shared.set(data);
    const cutter = openBlockCutter(options, kind);
    try {
      const first = [...(await cutter.push(shared)), await cutter.finish()];
      const second = [...(await cutter.push(shared)), await cutter.finish()];
      expect(second).toEqual(first);
    } finally {
      cutter.close();
    }
  });
});

it.runIf(workerCutterAvailable())(
  'a worker cutter refuses blocks outside shared memory and fails after close',
  async () => {
    const cutter = openBlockCutter(options, 'worker');
    await expect(cutter.push(new Uint8Array(10))).rejects.toThrow(/SharedArrayBuffer/);
    cutter.close();
    await expect(cutter.push(new Uint8Array(new SharedArrayBuffer(10)))).rejects.toThrow(/closed/);
  },
);
