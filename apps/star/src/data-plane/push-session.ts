import type { ChunkingOptions } from '@orbit/engine/chunking/chunking-options';
import { createFileCompressor, type FileCompressor } from '@orbit/engine/compression/compress-chunk';
import type { CompressionSetting } from '@orbit/engine/compression/compression-setting';
import type { HashAlgorithm } from '@orbit/engine/hashing/hash-algorithm';
import type { ChunkRef } from '@orbit/engine/transfer/chunk-pass';
import { emptyPushTotals, type PushTotals } from '@orbit/engine/transfer/push-totals';
import { DataPlaneError, type DataPlaneReason } from './data-plane-error.ts';
import type { FrameStream } from './frame-stream.ts';
import {
  type CutFile,
  chunkListOf,
  countCut,
  cutOutgoing,
  fileAnnounceOf,
  type OutgoingFile,
  unchangedSince,
} from './outgoing-file.ts';
import { streamChunks } from './outgoing-stream.ts';
import { SendArena } from './send-arena.ts';
import {
  encodeChunkFrame,
  encodeJsonFrame,
  FRAME_HEADER_BYTES,
  type Frame,
  FrameType,
  frameName,
  PROTOCOL_VERSION,
  repeatOf,
} from './wire-frames.ts';
import {
  acceptSchema,
  ackSchema,
  byeSchema,
  type FileEnd,
  fileFailedSchema,
  fileOkSchema,
  haveSchema,
  parseControl,
  readySchema,
  rejectSchema,
} from './wire-messages.ts';

/** What one push did, across every connection it needed. */
export interface PushCounters extends PushTotals {
  /** The most payload bytes ever sent and not yet acknowledged: stays within the window. */
  peakUnackedBytes: number;
}

export function emptyCounters(): PushCounters {
  return { ...emptyPushTotals(), peakUnackedBytes: 0 };
}

export type FilePushOutcome =
  | { readonly path: string; readonly status: 'sent' | 'unchanged'; readonly hash: string }
  | {
      readonly path: string;
      readonly status: 'failed';
      readonly reason: DataPlaneReason;
      readonly message: string;
      readonly hint?: string;
    };

export interface PushSessionOptions {
  readonly algorithm: HashAlgorithm;
  readonly chunking: ChunkingOptions;
  readonly compression: CompressionSetting;
  readonly windowBytes: number;
  readonly counters: PushCounters;
  readonly signal?: AbortSignal;
  readonly onProgress: (path: string) => void;
}

/** The sender's side of one connection: HELLO, then files one at a time, then BYE. */
export class PushSession {
  readonly #stream: FrameStream;
  readonly #options: PushSessionOptions;
  #sent = 0;
  #acked = 0;
  /** Copies of streamed chunks sent raw, made when the first file streams. */
  #arena: SendArena | undefined;

  constructor(stream: FrameStream, options: PushSessionOptions) {
    this.#stream = stream;
    this.#options = options;
  }

  async hello(ticket: string): Promise<void> {
    await this.#write(
      encodeJsonFrame(FrameType.hello, {
        version: PROTOCOL_VERSION,
        ticket,
        chunking: this.#options.chunking,
      }),
    );
    parseControl(await this.#reply('waiting for ACCEPT'), FrameType.accept, acceptSchema);
  }

  /**
   * One file. A file cut ahead of time goes with its chunk list; otherwise the receiver chooses:
   * `stream` (it has nothing to reuse) sends it as it is cut, `list` cuts the file first, along the
   * receiver's old chunk list when READY brings one.
   */
  async pushFile(file: OutgoingFile): Promise<FilePushOutcome> {
    const { algorithm } = this.#options;
    await this.#write(encodeJsonFrame(FrameType.fileBegin, fileAnnounceOf(file, algorithm)));
    if (file.cut) {
      const answer = await this.#reply(`waiting for HAVE for ${file.path}`);
      if (answer.type === FrameType.fileFailed) return this.#failed(answer);
      return this.#sendListed(file, file.cut, answer);
    }
    const answer = await this.#reply(`waiting for READY for ${file.path}`);
    if (answer.type === FrameType.fileFailed) return this.#failed(answer);
    const ready = parseControl(answer, FrameType.ready, readySchema);
    if (ready.mode === 'stream') return this.#streamFile(file, ready.from ?? 0);
    const guide = ready.chunks?.map(([offset, length, hash]) => ({ offset, length, hash }));
    let cut: CutFile;
    try {
      cut = await cutOutgoing(file, this.#options.chunking, algorithm, this.#options.signal, guide);
    } catch (error) {
      return this.#abandon(file, error);
    }
    countCut(this.#options.counters, cut);
    file.cut = cut;
    await this.#write(encodeJsonFrame(FrameType.chunkList, chunkListOf(cut)));
    const have = await this.#reply(`waiting for HAVE for ${file.path}`);
    if (have.type === FrameType.fileFailed) return this.#failed(have);
    return this.#sendListed(file, cut, have);
  }

  /** HAVE → every chunk the receiver lacks, re-read and checked against the list → FILE_END. */
  async #sendListed(file: OutgoingFile, cut: CutFile, answer: Frame): Promise<FilePushOutcome> {
    const { algorithm, counters } = this.#options;
    const have = new Set(parseControl(answer, FrameType.have, haveSchema).have);
    const compressor = createFileCompressor(this.#options.compression);
    const sentHashes = new Set<string>();
    let abort: string | undefined;
    for (const [index, chunk] of cut.chunks.entries()) {
      if (have.has(index) || sentHashes.has(chunk.hash)) {
        counters.chunksReused++;
        continue;
      }
      this.#options.signal?.throwIfAborted();
      // A fresh buffer per chunk: the socket may still hold the previous one when this resolves.
      const data = new Uint8Array(chunk.length);
      const { bytesRead } = await file.handle.read(data, 0, chunk.length, chunk.offset);
      counters.bytesRead += bytesRead;
      if (bytesRead !== chunk.length || algorithm.hash(data) !== chunk.hash) {
        abort = 'its content changed after it was chunked';
        break;
      }
      await this.#sendChunk(file, chunk, data, compressor);
      sentHashes.add(chunk.hash);
    }
    if (abort === undefined && !(await unchangedSince(file))) abort = 'its size or mtime changed';
    return this.#end(file, abort === undefined ? {} : { abort }, cut.hash);
  }

  /**
   * READY `stream`: the file is read, cut, hashed and sent in one pass from `from` (what the
   * receiver resumed); its hash goes in FILE_END. A chunk that repeats an earlier one of the file
   * goes as an empty payload (PROTOCOL.md).
   */
  async #streamFile(file: OutgoingFile, from: number): Promise<FilePushOutcome> {
    const { algorithm, chunking, counters, signal } = this.#options;
    const compressor = createFileCompressor(this.#options.compression);
    const sentHashes = new Set<string>();
    const whole = algorithm.create();
    // A failed send is the link's failure and ends the session; a failed read abandons the file.
    let sendFailure: unknown;
    const send = async (chunk: ChunkRef, data: Uint8Array): Promise<void> => {
      try {
        if (sentHashes.has(chunk.hash)) {
          counters.chunksReused++;
          await this.#sendFrame(encodeChunkFrame(repeatOf(chunk)), chunk.length, 0);
          return;
        }
        await this.#sendChunk(file, chunk, data, compressor, true);
        sentHashes.add(chunk.hash);
      } catch (error) {
        sendFailure ??= error;
        throw error;
      }
    };
    const onRead = (bytes: number): void => {
      counters.bytesRead += bytes;
    };
    try {
      counters.cutBytes += await streamChunks(
        file,
        { algorithm, chunking, from, whole, onRead, signal },
        send,
      );
    } catch (error) {
      if (sendFailure !== undefined) throw sendFailure;
      if (signal?.aborted) throw error;
      return this.#abandon(file, error);
    }
    const hash = whole.digest();
    const changed = !(await unchangedSince(file));
    return this.#end(file, changed ? { abort: 'its size or mtime changed' } : { hash }, hash);
  }

  /**
   * One CHUNK. With `borrowed`, `data` is the chunk pass's buffer, valid only until this returns:
   * sent raw, it goes from a copy the socket may hold until the frame is acknowledged.
   */
  async #sendChunk(
    file: OutgoingFile,
    chunk: ChunkRef,
    data: Uint8Array,
    compressor: FileCompressor,
    borrowed = false,
  ): Promise<void> {
    const encoded = compressor.compress(data);
    // zstd on incompressible data can grow it; the frame limit is the raw chunk size.
    const raw = encoded.codec === 'none' || encoded.data.length >= data.length;
    const payload = !raw ? encoded.data : borrowed ? this.#copyForWire(data) : data;
    const frame = encodeChunkFrame({
      hash: chunk.hash,
      codec: raw ? 'none' : encoded.codec,
      rawLength: chunk.length,
      payload,
    });
    await this.#sendFrame(frame, chunk.length, 1);
    if (raw && borrowed) this.#arena?.lend(payload, this.#sent);
    this.#options.onProgress(file.path);
  }

  #copyForWire(data: Uint8Array): Uint8Array {
    // The window bounds what is unacknowledged; a copy is placed before waiting for it, and the
    // ring may waste up to one chunk where it wraps.
    this.#arena ??= new SendArena(this.#options.windowBytes + 3 * this.#options.chunking.maxSize);
    return this.#arena.copy(data, this.#acked);
  }

  async #sendFrame(frame: readonly [Uint8Array, Uint8Array], rawBytes: number, sent: number): Promise<void> {
    const { counters } = this.#options;
    const [head, payload] = frame;
    const bodyBytes = head.length + payload.length - FRAME_HEADER_BYTES;
    await this.#waitForWindow(bodyBytes);
    await this.#write(frame);
    this.#sent += bodyBytes;
    counters.peakUnackedBytes = Math.max(counters.peakUnackedBytes, this.#sent - this.#acked);
    counters.chunksSent += sent;
    counters.newBytes += sent * rawBytes;
  }

  /** The file could not be read: the receiver drops what it has of it, the push goes on. */
  async #abandon(file: OutgoingFile, error: unknown): Promise<FilePushOutcome> {
    const message = error instanceof Error ? error.message : String(error);
    const verdict = await this.#end(file, { abort: message }, '');
    if (verdict.status !== 'failed' || !(error instanceof DataPlaneError)) return verdict;
    return {
      path: file.path,
      status: 'failed',
      reason: error.reason,
      message,
      ...(error.hint ? { hint: error.hint } : {}),
    };
  }

  /** FILE_END, then the receiver's verdict, which must confirm the hash this side computed. */
  async #end(file: OutgoingFile, end: FileEnd, hash: string): Promise<FilePushOutcome> {
    const { counters } = this.#options;
    await this.#write(encodeJsonFrame(FrameType.fileEnd, end));
    const result = await this.#reply(`waiting for FILE_OK for ${file.path}`);
    if (result.type === FrameType.fileFailed) return this.#failed(result);
    const ok = parseControl(result, FrameType.fileOk, fileOkSchema);
    if (end.abort !== undefined || ok.hash !== hash) {
      throw new DataPlaneError(
        'protocol',
        `receiver confirmed ${file.path} with hash ${ok.hash}, sent ${end.abort ? 'an abort' : hash}`,
      );
    }
    if (ok.unchanged) counters.filesUnchanged++;
    else counters.filesSent++;
    return { path: file.path, status: ok.unchanged ? 'unchanged' : 'sent', hash: ok.hash };
  }

  async bye(): Promise<Record<string, number>> {
    const { counters } = this.#options;
    await this.#write(encodeJsonFrame(FrameType.bye, { totals: { ...counters } }));
    const bye = parseControl(await this.#reply('waiting for BYE'), FrameType.bye, byeSchema);
    await this.#stream.end();
    return bye.totals;
  }

  async #write(frame: Uint8Array | readonly Uint8Array[]): Promise<void> {
    const before = this.#stream.bytesWritten;
    await this.#stream.write(frame);
    this.#options.counters.wireBytes += this.#stream.bytesWritten - before;
  }

  /** Blocks while more than the window is unacknowledged: the receiver sets the pace. */
  async #waitForWindow(next: number): Promise<void> {
    while (this.#sent > this.#acked && this.#sent - this.#acked + next > this.#options.windowBytes) {
      const frame = await this.#stream.expect('waiting for ACK');
      if (frame.type !== FrameType.ack) this.#unexpected(frame, 'ACK');
      this.#applyAck(frame);
    }
  }

  /** The next frame that is not an ACK; a REJECT ends the session with the receiver's reason. */
  async #reply(waitingFor: string): Promise<Frame> {
    for (;;) {
      const frame = await this.#stream.expect(waitingFor);
      if (frame.type === FrameType.ack) this.#applyAck(frame);
      else if (frame.type === FrameType.reject) this.#unexpected(frame, waitingFor);
      else return frame;
    }
  }

  #applyAck(frame: Frame): void {
    this.#acked = parseControl(frame, FrameType.ack, ackSchema).bytes;
  }

  #unexpected(frame: Frame, waitingFor: string): never {
    if (frame.type === FrameType.reject) {
      const reject = parseControl(frame, FrameType.reject, rejectSchema);
      throw new DataPlaneError(reject.reason, `the receiving Star refused: ${reject.message}`, {
        ...(reject.hint ? { hint: reject.hint } : {}),
      });
    }
    throw new DataPlaneError('protocol', `got ${frameName(frame.type)} while ${waitingFor}`);
  }

  #failed(frame: Frame): FilePushOutcome {
    const failed = parseControl(frame, FrameType.fileFailed, fileFailedSchema);
    this.#options.counters.filesFailed++;
    return { status: 'failed', ...failed };
  }
}
