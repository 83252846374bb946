import { type ChunkingOptions, validateChunking } from './chunking-options.ts';
import { GEAR_TABLE } from './gear-table.ts';

// The same words read as signed, so `(hash << 1) + gear | 0` stays a small integer in V8's hot loop.
const GEAR = new Int32Array(GEAR_TABLE.buffer, GEAR_TABLE.byteOffset, GEAR_TABLE.length);
/** `findCut` reads words whose lowest byte comes first; elsewhere it goes byte by byte. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

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
  /** The gear hash, in an array so that `findCut` carries it from one call to the next. */
  readonly #hash = new Int32Array(1);

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
    const end = data.length;
    const hash = this.#hash;
    let length = this.#length;
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
      let cut = findCut(data, position, hardEnd, this.#maskHard, hash);
      if (cut < 0) cut = findCut(data, Math.max(position, hardEnd), easyEnd, this.#maskEasy, hash);
      if (cut < 0 && easyEnd === chunkStart + maxSize) cut = easyEnd;
      if (cut < 0) {
        length += end - position;
        break;
      }
      cuts.push(cut - chunkStart);
      length = 0;
      hash[0] = 0;
      position = cut;
    }
    this.#length = length;
    return cuts;
  }

  /** Ends the input: returns the length of the last chunk (0 when nothing is pending) and resets. */
  finish(): number {
    const last = this.#length;
    this.#length = 0;
    this.#hash[0] = 0;
    return last;
  }

  /** Bytes of the open chunk fed so far (always below `maxSize`). */
  get pending(): number {
    return this.#length;
  }
}

/**
 * Runs the gear hash over `data[from, to)` and returns the index just past the first byte at which
 * `hash & mask` is zero, or -1 (the hash then stays in `state` for the next call). The bytes are
 * read four at a time through a 32-bit view: a byte load from a Uint8Array costs V8 more than a
 * word load and three shifts (2.2 GiB/s against 1.4 in Deno 2.9, 1.7 against 0.5 in Node 20).
 */
function findCut(data: Uint8Array, from: number, to: number, mask: number, state: Int32Array): number {
  if (from >= to) return -1;
  const gear = GEAR;
  let hash = state[0] as number;
  let index = from;
  // Byte by byte until the word view can start (its offset must be a multiple of 4), and at the end.
  const wordsFrom = Math.min(to, from + ((4 - ((data.byteOffset + from) & 3)) & 3));
  for (; index < wordsFrom; index++) {
    hash = ((hash << 1) + (gear[data[index] as number] as number)) | 0;
    if ((hash & mask) === 0) return index + 1;
  }
  if (LITTLE_ENDIAN && to - index >= 4) {
    const words = new Uint32Array(data.buffer, data.byteOffset + index, (to - index) >>> 2);
    for (let at = 0; at < words.length; at++) {
      const word = words[at] as number;
      hash = ((hash << 1) + (gear[word & 255] as number)) | 0;
      if ((hash & mask) === 0) return index + at * 4 + 1;
      hash = ((hash << 1) + (gear[(word >>> 8) & 255] as number)) | 0;
      if ((hash & mask) === 0) return index + at * 4 + 2;
      hash = ((hash << 1) + (gear[(word >>> 16) & 255] as number)) | 0;
      if ((hash & mask) === 0) return index + at * 4 + 3;
      hash = ((hash << 1) + (gear[word >>> 24] as number)) | 0;
      if ((hash & mask) === 0) return index + at * 4 + 4;
    }
    index += words.length * 4;
  }
  for (; index < to; index++) {
    hash = ((hash << 1) + (gear[data[index] as number] as number)) | 0;
    if ((hash & mask) === 0) return index + 1;
  }
  state[0] = hash;
  return -1;
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
