export const CHECKSUM_ALGORITHMS = ['blake3', 'sha256', 'none'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];
export const DEFAULT_CHECKSUM: ChecksumAlgorithm = 'blake3';

export function isChecksumAlgorithm(value: string): value is ChecksumAlgorithm {
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(value);
}
