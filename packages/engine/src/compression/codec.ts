/** A chunk codec. Implementations register in `codec-registry.ts`; callers never switch on names. */
export type CodecName = 'none' | 'zstd';

export interface Codec {
  readonly name: CodecName;
  compress(data: Uint8Array, level: number): Uint8Array;
  /**
   * Restores exactly `originalSize` bytes; throws `OrbitError('CORRUPT')` when the data is damaged
   * or decodes to any other size.
   */
  decompress(data: Uint8Array, originalSize: number): Uint8Array;
}
