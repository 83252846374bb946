import { serveRequests } from '../runtime/module-worker.ts';
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

serveRequests<CutRequest, CutResponse>((request) => {
  if (request.kind === 'options') {
    chunker = new FastCdcChunker(request.options);
    return undefined;
  }
  if (!chunker) throw new Error('no chunking options were sent first');
  if (request.kind === 'push') {
    return { cuts: chunker.push(new Uint8Array(request.buffer, request.offset, request.length)) };
  }
  return { rest: chunker.finish() };
});
