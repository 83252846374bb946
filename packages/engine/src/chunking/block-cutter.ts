import { moduleWorkersAvailable, startModuleWorker } from '../runtime/module-worker.ts';
import type { ChunkingOptions } from './chunking-options.ts';
import { FastCdcChunker } from './fastcdc-chunker.ts';
import type { CutRequest, CutResponse } from './fastcdc-worker.ts';

/**
 * FastCDC over a stream of blocks, possibly off the calling thread. Blocks are cut in the order
 * they are pushed; `push` resolves with the lengths of the chunks that ended inside that block
 * (as `FastCdcChunker.push`), `finish` with the length of the last, open chunk. A block must stay
 * unchanged until its `push` settles.
 */
export interface BlockCutter {
  /** True when blocks must live in a SharedArrayBuffer (the worker reads them in place). */
  readonly needsSharedMemory: boolean;
  push(block: Uint8Array): Promise<number[]>;
  finish(): Promise<number>;
  close(): void;
}

export type CutterKind = 'in-thread' | 'worker';

/** Cuts on the calling thread, synchronously inside `push`. */
export function inThreadCutter(options: ChunkingOptions): BlockCutter {
  const chunker = new FastCdcChunker(options);
  return {
    needsSharedMemory: false,
    push: (block) => Promise.resolve(chunker.push(block)),
    finish: () => Promise.resolve(chunker.finish()),
    close: () => undefined,
  };
}

/** Where `workerCutter` works: under Deno (see `moduleWorkersAvailable`); elsewhere cut in-thread. */
export function workerCutterAvailable(): boolean {
  return moduleWorkersAvailable();
}

/**
 * Cuts in a dedicated worker, so FastCDC (~2 GiB/s) runs on a second core while the caller reads,
 * hashes and writes. Blocks are read in place through shared memory; only cut lengths cross back.
 */
export function workerCutter(options: ChunkingOptions): BlockCutter {
  const worker = startModuleWorker<CutRequest, CutResponse>(
    new URL('./fastcdc-worker.ts', import.meta.url),
    'FastCDC worker',
  );
  worker.send({ kind: 'options', options });
  return {
    needsSharedMemory: true,
    push: async (block) => {
      if (!(block.buffer instanceof SharedArrayBuffer)) {
        throw new TypeError('workerCutter needs blocks in a SharedArrayBuffer');
      }
      const response = await worker.request({
        kind: 'push',
        buffer: block.buffer,
        offset: block.byteOffset,
        length: block.length,
      });
      return 'cuts' in response ? response.cuts : [];
    },
    finish: async () => {
      const response = await worker.request({ kind: 'finish' });
      return 'rest' in response ? response.rest : 0;
    },
    close: () => worker.close(),
  };
}

export function openBlockCutter(options: ChunkingOptions, kind: CutterKind): BlockCutter {
  return kind === 'worker' ? workerCutter(options) : inThreadCutter(options);
}
