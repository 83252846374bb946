import { OrbitError } from '../errors.ts';
import type { CodecName } from './codec.ts';
import { getCodec } from './codec-registry.ts';
import type { CompressionSetting } from './compression-setting.ts';

export interface CompressedChunk {
  readonly codec: CodecName;
  readonly data: Uint8Array;
}

/** `auto` keeps zstd output only when it is at most 95% of the input: smaller wins are not worth decoding. */
export const AUTO_MIN_SAVING = 0.05;

function worthKeeping(original: number, compressed: number): boolean {
  return compressed <= original * (1 - AUTO_MIN_SAVING);
}

/**
 * Encodes one chunk as `setting` asks. `zstd` always compresses; `auto` compresses and falls back
 * to storing raw when zstd saves less than `AUTO_MIN_SAVING`. Empty chunks are stored raw.
 */
export function compressChunk(data: Uint8Array, setting: CompressionSetting): CompressedChunk {
  if (setting.codec === 'none' || data.length === 0) return { codec: 'none', data };
  const compressed = getCodec('zstd').compress(data, setting.level);
  if (setting.codec === 'auto' && !worthKeeping(data.length, compressed.length)) {
    return { codec: 'none', data };
  }
  return { codec: 'zstd', data: compressed };
}

/** Decodes a chunk and checks it has `originalSize` bytes, else `OrbitError('CORRUPT')`. */
export function decompressChunk(codec: CodecName, data: Uint8Array, originalSize: number): Uint8Array {
  if (!Number.isSafeInteger(originalSize) || originalSize < 0) {
    throw new OrbitError('CORRUPT', `recorded chunk size ${originalSize} is not a byte count`, {
      hint: 'the index that recorded this chunk is damaged',
    });
  }
  return getCodec(codec).decompress(data, originalSize);
}

export interface FileCompressor {
  compress(data: Uint8Array): CompressedChunk;
}

/**
 * Compresses the chunks of one file in order. For `auto`, the first chunk is the sample: when zstd
 * does not save `AUTO_MIN_SAVING` on it, the rest of the file is stored raw without trying (media
 * and archives are incompressible throughout); otherwise each chunk still gets the per-chunk rule.
 * Use one per file.
 */
export function createFileCompressor(setting: CompressionSetting): FileCompressor {
  let verdict: 'undecided' | 'compress' | 'raw' = setting.codec === 'auto' ? 'undecided' : 'compress';
  return {
    compress(data) {
      if (verdict === 'raw') return { codec: 'none', data };
      const result = compressChunk(data, setting);
      if (verdict === 'undecided' && data.length > 0) verdict = result.codec === 'zstd' ? 'compress' : 'raw';
      return result;
    },
  };
}

/** Alias that names the `auto` use case. */
export const createAutoCompressor = createFileCompressor;
