/**
 * Byte quantities as people write them in config files: `65536`, `"64MiB"`, `"1.5 GB"`.
 * Decimal units are powers of 1000 and binary units powers of 1024, as their names say.
 */
export const BYTE_UNITS: Readonly<Record<string, number>> = {
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

export const BYTE_SIZE_HINT =
  'write a whole number of bytes or a size such as "64MiB", "1.5GB" or "512KiB" (units B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)';

/** Whole bytes, or a reason why the text is not a size (never throws: callers decide how to report). */
export function parseByteSize(text: string): { bytes: number } | { problem: string } {
  const match = /^(\d+(?:\.\d+)?)\s*([A-Za-z]*)$/.exec(text.trim());
  const amount = match?.[1];
  const factor = BYTE_UNITS[match?.[2] || 'B'];
  if (amount === undefined || factor === undefined) return { problem: `"${text}" is not a size` };
  const bytes = Math.floor(Number(amount) * factor);
  if (bytes < 1) return { problem: `"${text}" is less than one byte` };
  if (!Number.isSafeInteger(bytes)) return { problem: `"${text}" is too large` };
  return { bytes };
}
