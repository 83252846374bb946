/** Byte rates as people write them in star.toml: "100MiB/s", "1.5 GB/s", "800KiB/s", "unlimited". */

const UNITS: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
};

export const BANDWIDTH_HINT =
  'write a rate such as "100MiB/s", "1.5GB/s" or "800KiB/s" (units B, KB, MB, GB, TB, KiB, MiB, GiB, TiB), or "unlimited"';

/** Bytes per second, or `undefined` for "unlimited"; throws a plain Error with the reason on bad input. */
export function parseBandwidth(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'unlimited') return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*\/\s*s$/.exec(trimmed);
  const amount = match?.[1];
  const unit = match?.[2] || 'B';
  const factor = UNITS[unit];
  if (amount === undefined || factor === undefined) {
    throw new Error(`"${text}" is not a rate`);
  }
  const bytes = Math.floor(Number(amount) * factor);
  if (bytes < 1) throw new Error(`"${text}" is less than 1 byte per second`);
  if (!Number.isSafeInteger(bytes)) throw new Error(`"${text}" is too large`);
  return bytes;
}

/** The shortest exact binary-unit spelling, e.g. 104857600 → "100MiB/s". */
export function formatBandwidth(bytesPerSecond: number | undefined): string {
  if (bytesPerSecond === undefined) return 'unlimited';
  for (const unit of ['TiB', 'GiB', 'MiB', 'KiB'] as const) {
    const factor = UNITS[unit] ?? 1;
    if (bytesPerSecond % factor === 0) return `${bytesPerSecond / factor}${unit}/s`;
  }
  return `${bytesPerSecond}B/s`;
}
