import { type ChunkingOptions, validateChunking } from './chunking-options.ts';
import { GEAR_TABLE } from './gear-table.ts';

// The same words read as signed, so `(hash << 1) + gear | 0` stays a small integer in V8's hot loop.
const GEAR = new Int32Array(GEAR_TABLE.buffer, GEAR_TABLE.byteOffset, GEAR_TABLE.length);

/**
 * Streaming FastCDC (Xia et al., USENIX ATC 2016 / IEEE TPDS 2020) with normalised chunking level 2.
 *
 * Within a chunk, the first `minSize` bytes are skipped unhashed; from there the gear hash
 * `h = (h << 1) + GEAR[byte]` runs and a chunk ends after the byte at which `h & mask` is zero:
 * the harder mask (log2(avg) + 2 bits) until the chunk reaches `avgSize`, the easier one
 * (log2(avg) − 2 bits) after it, and unconditionally at `maxSize`. Masks take the hash's top bits,
 * which depend on the most bytes. The state between calls is (bytes in the open chunk, hash), so
 * boundaries are identical however the input is split.
 */
export class FastCdcChunker {
  readonly options: ChunkingOptions;
  readonly #maskHard: number;
  readonly #maskEasy: number;
  /** Bytes of the current (open) chunk seen so far. */
  #length = 0;
  #hash = 0;

  constructor(options: ChunkingOptions) {
    this.options = validateChunking(options);
    const bits = Math.log2(options.avgSize);
    this.#maskHard = topBitsMask(bits + 2);
    this.#maskEasy = topBitsMask(Math.max(1, bits - 2));
  }

  /** Feeds the next bytes; returns the lengths of the chunks that ended inside them, in order. */
  push(data: Uint8Array): number[] {
    const cuts: number[] = [];
    const { minSize, avgSize, maxSize } = this.options;
    const gear = GEAR;
    const maskHard = this.#maskHard;
    const maskEasy = this.#maskEasy;
    const end = data.length;
    let length = this.#length;
    let hash = this.#hash;
    let position = 0;
    while (position < end) {
      if (length < minSize) {
        const skip = Math.min(minSize - length, end - position);
        length += skip;
        position += skip;
        continue;
      }
      // Index in `data` where the open chunk reaches avgSize (hard mask) and maxSize (easy mask).
      const chunkStart = position - length;
      const hardEnd = Math.min(end, chunkStart + avgSize);
      const easyEnd = Math.min(end, chunkStart + maxSize);
      let cut = -1;
      let index = position;
      for (; index < hardEnd; index++) {
        hash = ((hash << 1) + (gear[data[index] as number] as number)) | 0;
        if ((hash & maskHard) === 0) {
          cut = index + 1;
          break;
        }
      }
      if (cut < 0) {
        for (; index < easyEnd; index++) {
          hash = ((hash << 1) + (gear[data[index] as number] as number)) | 0;
          if ((hash & maskEasy) === 0) {
            cut = index + 1;
            break;
          }
        }
      }
      if (cut < 0 && easyEnd === chunkStart + maxSize) cut = easyEnd;
      if (cut < 0) {
        length += end - position;
        position = end;
        break;
      }
      cuts.push(cut - chunkStart);
      length = 0;
      hash = 0;
      position = cut;
    }
    this.#length = length;
    this.#hash = hash;
    return cuts;
  }

  /** Ends the input: returns the length of the last chunk (0 when nothing is pending) and resets. */
  finish(): number {
    const last = this.#length;
    this.#length = 0;
    this.#hash = 0;
    return last;
  }

  /** Bytes of the open chunk fed so far (always below `maxSize`). */
  get pending(): number {
    return this.#length;
  }
}

function topBitsMask(bits: number): number {
  return (0xffffffff << (32 - bits)) | 0;
}

export interface ChunkSpan {
  readonly offset: number;
  readonly length: number;
}

/** Cuts a whole buffer at once; the same boundaries as streaming it through `FastCdcChunker`. */
export function chunkBuffer(data: Uint8Array, options: ChunkingOptions): ChunkSpan[] {
  const chunker = new FastCdcChunker(options);
  const spans: ChunkSpan[] = [];
  let offset = 0;
  for (const length of [...chunker.push(data), chunker.finish()]) {
    if (length === 0) continue;
    spans.push({ offset, length });
    offset += length;
  }
  return spans;
}
