import { denoRuntime } from '../runtime/deno-runtime.ts';
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

/**
 * Workers exist where the engine can start its worker module directly: under Deno (TypeScript,
 * module workers). Node 20 cannot load the `.ts` worker file, so there the cutter stays in-thread.
 */
export function workerCutterAvailable(): boolean {
  return denoRuntime() !== undefined && workerConstructor() !== undefined;
}

/** The web Worker API as far as the cutter uses it (the engine compiles without DOM types). */
interface CutWorker {
  onmessage: ((event: { readonly data: CutResponse }) => void) | null;
  onerror: ((event: { readonly message: string; preventDefault(): void }) => void) | null;
  postMessage(message: CutRequest): void;
  terminate(): void;
}
type CutWorkerConstructor = new (url: string, options: { type: 'module' }) => CutWorker;

function workerConstructor(): CutWorkerConstructor | undefined {
  const candidate: unknown = Reflect.get(globalThis, 'Worker');
  return typeof candidate === 'function' ? (candidate as CutWorkerConstructor) : undefined;
}

/**
 * Cuts in a dedicated worker, so FastCDC (the most expensive step of a copy, ~1–1.5 GiB/s) runs on
 * a second core while the caller reads, hashes and writes. Blocks are read in place through shared
 * memory; only cut lengths cross back.
 */
export function workerCutter(options: ChunkingOptions): BlockCutter {
  const Worker = workerConstructor();
  if (!Worker) throw new Error('this runtime has no Worker: use the in-thread cutter');
  const worker = new Worker(new URL('./fastcdc-worker.ts', import.meta.url).href, { type: 'module' });
  const waiting: { resolve: (response: CutResponse) => void; reject: (error: Error) => void }[] = [];
  let failure: Error | undefined;
  const fail = (error: Error): void => {
    failure ??= error;
    for (const entry of waiting.splice(0)) entry.reject(failure);
  };
  worker.onmessage = (event) => {
    const response = event.data;
    if ('error' in response) fail(new Error(`FastCDC worker: ${response.error}`));
    else waiting.shift()?.resolve(response);
  };
  worker.onerror = (event) => {
    event.preventDefault();
    fail(new Error(`FastCDC worker failed: ${event.message}`));
  };
  const request = (message: CutRequest): Promise<CutResponse> => {
    if (failure) return Promise.reject(failure);
    return new Promise((resolve, reject) => {
      waiting.push({ resolve, reject });
      worker.postMessage(message);
    });
  };
  worker.postMessage({ kind: 'options', options } satisfies CutRequest);
  return {
    needsSharedMemory: true,
    push: async (block) => {
      if (!(block.buffer instanceof SharedArrayBuffer)) {
        throw new TypeError('workerCutter needs blocks in a SharedArrayBuffer');
      }
      const response = await request({
        kind: 'push',
        buffer: block.buffer,
        offset: block.byteOffset,
        length: block.length,
      });
      return 'cuts' in response ? response.cuts : [];
    },
    finish: async () => {
      const response = await request({ kind: 'finish' });
      return 'rest' in response ? response.rest : 0;
    },
    close: () => {
      worker.terminate();
      fail(new Error('the FastCDC worker was closed'));
    },
  };
}

export function openBlockCutter(options: ChunkingOptions, kind: CutterKind): BlockCutter {
  return kind === 'worker' ? workerCutter(options) : inThreadCutter(options);
}
