import { OrbitError } from '../errors.ts';

/**
 * What a job asks for. `auto` compresses with zstd at `level` but stores a chunk raw when a sample
 * shows it does not shrink enough (already-compressed media, archives).
 */
export type CompressionSetting =
  | { readonly codec: 'none' }
  | { readonly codec: 'zstd'; readonly level: number }
  | { readonly codec: 'auto'; readonly level: number };

export const DEFAULT_ZSTD_LEVEL = 3;
export const MIN_ZSTD_LEVEL = 1;
export const MAX_ZSTD_LEVEL = 19;
export const DEFAULT_COMPRESSION: CompressionSetting = { codec: 'none' };

/** Parses `none`, `zstd`, `zstd:LEVEL` (1–19) or `auto`. */
export function parseCompression(text: string): CompressionSetting {
  const value = text.trim().toLowerCase();
  if (value === 'none') return { codec: 'none' };
  if (value === 'auto') return { codec: 'auto', level: DEFAULT_ZSTD_LEVEL };
  if (value === 'zstd') return { codec: 'zstd', level: DEFAULT_ZSTD_LEVEL };
  const match = /^zstd:(\d+)$/.exec(value);
  if (match?.[1] !== undefined) {
    const level = Number(match[1]);
    if (level >= MIN_ZSTD_LEVEL && level <= MAX_ZSTD_LEVEL) return { codec: 'zstd', level };
    throw new OrbitError('INVALID_ARGUMENT', `zstd level ${level} is out of range`, {
      hint: `use a level from ${MIN_ZSTD_LEVEL} to ${MAX_ZSTD_LEVEL}, e.g. "zstd:3"`,
    });
  }
  throw new OrbitError('INVALID_ARGUMENT', `unknown compression "${text}"`, {
    hint: 'use one of "none", "zstd", "zstd:LEVEL" (1–19) or "auto"',
  });
}

export function formatCompression(setting: CompressionSetting): string {
  if (setting.codec === 'none') return 'none';
  if (setting.codec === 'auto') return 'auto';
  return `zstd:${setting.level}`;
}
