import type { Chunk } from './generated/orbit/v1/Chunk.ts';
import type { ChunkList } from './generated/orbit/v1/ChunkList.ts';
import type { FileEntry } from './generated/orbit/v1/FileEntry.ts';
import type { ResultPart } from './generated/orbit/v1/ResultPart.ts';
import type { ScanEntries } from './generated/orbit/v1/ScanEntries.ts';
import { MAX_MESSAGE_BYTES } from './orbit-proto-loader.ts';

/** Target size of one part: big enough to amortise framing, far enough under 4 MiB to never hit it. */
export const DEFAULT_RESULT_PART_BYTES = 1024 * 1024;

type PartPayload = { scanEntries: ScanEntries } | { chunkList: ChunkList };

interface BatcherOptions<Item> {
  readonly commandId: string;
  readonly maxBytes: number;
  /** Upper bound of the encoded bytes around the items (envelope, ids, flags). */
  readonly overhead: number;
  /** Upper bound of one item's encoded bytes, tag and length prefix included. */
  readonly sizeOf: (item: Item) => number;
  readonly wrap: (items: Item[]) => PartPayload;
}

/**
 * Packs streamed items (scan entries, chunks) into numbered ResultParts whose encoded StarMessage
 * stays under `maxBytes`. Sizes are upper bounds computed from string lengths and worst-case
 * varints, so nothing is serialised twice. `push` hands back a full part to send; `finish` the last.
 */
export class ResultPartBatcher<Item> {
  readonly #options: BatcherOptions<Item>;
  #items: Item[] = [];
  #bytes: number;
  #sequence = 0;
  #finished = false;

  constructor(options: BatcherOptions<Item>) {
    if (!(options.maxBytes > options.overhead && options.maxBytes <= MAX_MESSAGE_BYTES)) {
      throw new RangeError(`maxBytes must be between ${options.overhead + 1} and ${MAX_MESSAGE_BYTES}`);
    }
    this.#options = options;
    this.#bytes = options.overhead;
  }

  push(item: Item): ResultPart | undefined {
    if (this.#finished) throw new Error('push after finish');
    const size = this.#options.sizeOf(item);
    if (this.#options.overhead + size > this.#options.maxBytes) {
      throw new RangeError(
        `one item needs ${size} bytes, more than a part of ${this.#options.maxBytes} can hold`,
      );
    }
    let full: ResultPart | undefined;
    if (this.#bytes + size > this.#options.maxBytes) full = this.#take(false);
    this.#items.push(item);
    this.#bytes += size;
    return full;
  }

  /** The final part (`last: true`), possibly with no items so the receiver always sees an end. */
  finish(): ResultPart {
    if (this.#finished) throw new Error('finish called twice');
    this.#finished = true;
    return this.#take(true);
  }

  /** Parts handed out so far, the final one included. */
  get parts(): number {
    return this.#sequence;
  }

  #take(last: boolean): ResultPart {
    const part: ResultPart = {
      commandId: this.#options.commandId,
      sequence: this.#sequence,
      last,
      ...this.#options.wrap(this.#items),
    };
    this.#sequence += 1;
    this.#items = [];
    this.#bytes = this.#options.overhead;
    return part;
  }
}

const encoder = new TextEncoder();
const utf8 = (text: string | undefined) => encoder.encode(text ?? '').length;
/** Tag + 5-byte length prefix: enough for any field under 4 MiB. */
const FIELD = 6;
/** Tag + the 10 bytes a negative or 64-bit varint can take. */
const VARINT = 11;
/** StarMessage.result_part + ResultPart.{command_id, sequence, last, part} framing. */
const ENVELOPE = FIELD + FIELD + VARINT + VARINT + FIELD;

export function scanEntryBatcher(
  commandId: string,
  maxBytes = DEFAULT_RESULT_PART_BYTES,
): ResultPartBatcher<FileEntry> {
  return new ResultPartBatcher<FileEntry>({
    commandId,
    maxBytes,
    overhead: ENVELOPE + utf8(commandId),
    // entry framing, path, size, mtime, mode, kind, link target.
    sizeOf: (entry) => FIELD + FIELD + utf8(entry.path) + 4 * VARINT + FIELD + utf8(entry.linkTarget),
    wrap: (entries) => ({ scanEntries: { entries } }),
  });
}

export function chunkListBatcher(
  commandId: string,
  path: string,
  maxBytes = DEFAULT_RESULT_PART_BYTES,
): ResultPartBatcher<Chunk> {
  return new ResultPartBatcher<Chunk>({
    commandId,
    maxBytes,
    overhead: ENVELOPE + utf8(commandId) + FIELD + utf8(path),
    // chunk framing, offset, length, hash.
    sizeOf: (chunk) => FIELD + 2 * VARINT + FIELD + utf8(chunk.hash),
    wrap: (chunks) => ({ chunkList: { path, chunks } }),
  });
}
