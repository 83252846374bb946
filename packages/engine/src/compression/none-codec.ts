import { OrbitError } from '../errors.ts';
import type { Codec } from './codec.ts';

/** Stores bytes as they are: both directions return the caller's own array, uncopied. */
export const noneCodec: Codec = {
  name: 'none',
  compress(data) {
    return data;
  },
  decompress(data, originalSize) {
    if (data.length !== originalSize) {
      throw new OrbitError(
        'CORRUPT',
        `stored chunk has ${data.length} bytes where ${originalSize} were recorded`,
        { hint: 'the stored data is damaged or truncated; copy it again from the source' },
      );
    }
    return data;
  },
};
