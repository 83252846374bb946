import { OrbitError } from '../errors.ts';

export interface ChunkingOptions {
  readonly minSize: number;
  readonly avgSize: number;
  readonly maxSize: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;

export const DEFAULT_CHUNKING: ChunkingOptions = { minSize: 256 * KiB, avgSize: 1 * MiB, maxSize: 4 * MiB };

/** FastCDC needs min ≤ avg ≤ max, a power-of-two average (its masks are bit counts) and sane bounds. */
export function validateChunking(options: ChunkingOptions): ChunkingOptions {
  const { minSize, avgSize, maxSize } = options;
  const problems: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (!Number.isInteger(value) || value <= 0)
      problems.push(`${key} must be a positive whole number of bytes`);
  }
  if (problems.length === 0) {
    if (minSize < 64) problems.push('minSize must be at least 64 bytes');
    if (maxSize > 64 * MiB) problems.push('maxSize must be at most 64 MiB');
    if (!(minSize <= avgSize && avgSize <= maxSize)) problems.push('sizes must satisfy min ≤ avg ≤ max');
    if ((avgSize & (avgSize - 1)) !== 0) problems.push('avgSize must be a power of two (e.g. 1048576)');
  }
  if (problems.length > 0) {
    throw new OrbitError('INVALID_ARGUMENT', `invalid chunking: ${problems.join('; ')}`, {
      hint: 'the defaults are min 262144, avg 1048576, max 4194304',
    });
  }
  return options;
}
