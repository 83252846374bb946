import { createRequire } from 'node:module';
import type zstdBinding from 'zstd-napi/binding.js';
import { OrbitError } from '../errors.ts';
import type { Codec } from './codec.ts';

type ZstdBinding = typeof zstdBinding;
let binding: ZstdBinding | undefined;

/**
 * The addon loads on first use: loading it took 40-50 ms of every CLI run (and a Star's start-up)
 * whether or not any data was compressed.
 */
function zstd(): ZstdBinding {
  binding ??= createRequire(import.meta.url)('zstd-napi/binding.js') as ZstdBinding;
  return binding;
}

// One native context each, reused: creating a zstd context per chunk costs more than small chunks.
let compressContext: zstdBinding.CCtx | undefined;
let decompressContext: zstdBinding.DCtx | undefined;
let scratch = new Uint8Array(0);

function corrupt(message: string, cause?: unknown): OrbitError {
  return new OrbitError('CORRUPT', message, {
    hint: 'the compressed data is damaged or truncated; copy it again from the source',
    cause,
  });
}

/** zstd through the native `zstd-napi` addon; frames carry their content size. */
export const zstdCodec: Codec = {
  name: 'zstd',
  compress(data, level) {
    compressContext ??= new (zstd().CCtx)();
    const bound = zstd().compressBound(data.length);
    if (scratch.length < bound) scratch = new Uint8Array(bound);
    const written = compressContext.compress(scratch, data, level);
    return scratch.slice(0, written);
  },
  decompress(data, originalSize) {
    // Check the frame header first so a damaged size record never drives a huge allocation.
    let declared: number | null;
    try {
      declared = zstd().getFrameContentSize(data);
    } catch (error) {
      throw corrupt(`data is not a zstd frame: ${(error as Error).message}`, error);
    }
    if (declared !== null && declared !== originalSize) {
      throw corrupt(`zstd frame holds ${declared} bytes where ${originalSize} were recorded`);
    }
    decompressContext ??= new (zstd().DCtx)();
    const output = new Uint8Array(originalSize);
    let written: number;
    try {
      // A too-small destination makes zstd fail, so output longer than recorded is caught too.
      written = decompressContext.decompress(output, data);
    } catch (error) {
      throw corrupt(
        `zstd chunk does not decode to the recorded ${originalSize} bytes: ${(error as Error).message}`,
        error,
      );
    }
    if (written !== originalSize) {
      throw corrupt(`zstd chunk decodes to ${written} bytes where ${originalSize} were recorded`);
    }
    return output;
  },
};
