import { BYTE_UNITS, parseByteSize } from '@orbit/engine/byte-size';

/** Byte rates as people write them in star.toml: "100MiB/s", "1.5 GB/s", "800KiB/s", "unlimited". */

export const BANDWIDTH_HINT =
  'write a rate such as "100MiB/s", "1.5GB/s" or "800KiB/s" (units B, KB, MB, GB, TB, KiB, MiB, GiB, TiB), or "unlimited"';

/** Bytes per second, or `undefined` for "unlimited"; throws a plain Error with the reason on bad input. */
export function parseBandwidth(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'unlimited') return undefined;
  const match = /^(.*?)\s*\/\s*s$/.exec(trimmed);
  if (match?.[1] === undefined) throw new Error(`"${text}" is not a rate`);
  const parsed = parseByteSize(match[1]);
  if ('problem' in parsed) throw new Error(`"${text}" is not a rate: ${parsed.problem}`);
  return parsed.bytes;
}

/** The shortest exact binary-unit spelling, e.g. 104857600 → "100MiB/s". */
export function formatBandwidth(bytesPerSecond: number | undefined): string {
  if (bytesPerSecond === undefined) return 'unlimited';
  for (const unit of ['TiB', 'GiB', 'MiB', 'KiB'] as const) {
    const factor = BYTE_UNITS[unit] ?? 1;
    if (bytesPerSecond % factor === 0) return `${bytesPerSecond / factor}${unit}/s`;
  }
  return `${bytesPerSecond}B/s`;
}
