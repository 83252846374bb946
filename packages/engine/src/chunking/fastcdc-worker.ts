import type { ChunkingOptions } from './chunking-options.ts';
import { FastCdcChunker } from './fastcdc-chunker.ts';

/** Messages of `workerCutter` (block-cutter.ts); answers come back in request order. */
export type CutRequest =
  | { readonly kind: 'options'; readonly options: ChunkingOptions }
  | {
      readonly kind: 'push';
      readonly buffer: SharedArrayBuffer;
      readonly offset: number;
      readonly length: number;
    }
  | { readonly kind: 'finish' };

export type CutResponse =
  | { readonly cuts: number[] }
  | { readonly rest: number }
  | { readonly error: string };

let chunker: FastCdcChunker | undefined;

const scope = globalThis as unknown as {
  onmessage: ((event: { readonly data: CutRequest }) => void) | null;
  postMessage(message: CutResponse): void;
};

scope.onmessage = (event) => {
  const request = event.data;
  try {
    if (request.kind === 'options') {
      chunker = new FastCdcChunker(request.options);
      return;
    }
    if (!chunker) throw new Error('no chunking options were sent first');
    if (request.kind === 'push') {
      scope.postMessage({
        cuts: chunker.push(new Uint8Array(request.buffer, request.offset, request.length)),
      });
    } else {
      scope.postMessage({ rest: chunker.finish() });
    }
  } catch (error) {
    scope.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
};
