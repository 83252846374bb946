import type { ByteChannel } from './byte-channel.ts';
import { DataPlaneError } from './data-plane-error.ts';
import {
  FRAME_HEADER_BYTES,
  type Frame,
  FrameType,
  frameName,
  LAST_FRAME_TYPE,
  MAX_CONTROL_BODY,
  MAX_FRAME_BODY,
} from './wire-frames.ts';

/**
 * Read-ahead for headers and small frames. A body larger than what is staged is read straight into
 * its own buffer, except its last STAGING_BYTES, which go through here so that the start of the
 * next frame (when the peer keeps sending) is seen at once: `hasInput` reports it.
 */
const STAGING_BYTES = 128 * 1024;

/**
 * Frames over one connection. Every frame's body is a buffer of its own that the caller may keep
 * (chunk writes are queued after `read` returns). Any connection failure surfaces as
 * DataPlaneError('connection') so callers can retry it.
 */
export class FrameStream {
  readonly #channel: ByteChannel;
  readonly #staging = new Uint8Array(STAGING_BYTES);
  #start = 0;
  #end = 0;
  #ended = false;
  /** Bytes of frames written, headers included: what crossed the wire inside TLS. */
  bytesWritten = 0;

  constructor(channel: ByteChannel) {
    this.#channel = channel;
  }

  /** The next frame, or undefined when the peer closed cleanly between frames. */
  async read(): Promise<Frame | undefined> {
    if (!(await this.#stage(FRAME_HEADER_BYTES))) {
      if (this.#staged() === 0) return undefined;
      throw new DataPlaneError('connection', 'the data-plane connection closed in the middle of a frame');
    }
    const header = this.#staging.subarray(this.#start, this.#start + FRAME_HEADER_BYTES);
    const length = new DataView(header.buffer, header.byteOffset, FRAME_HEADER_BYTES).getUint32(0);
    const type = header[4] ?? 0;
    if (type < FrameType.hello || type > LAST_FRAME_TYPE) {
      throw new DataPlaneError('protocol', `received a frame of unknown type ${type}`);
    }
    const limit = type === FrameType.chunk ? MAX_FRAME_BODY : MAX_CONTROL_BODY;
    if (length > limit) {
      throw new DataPlaneError(
        'protocol',
        `received a ${frameName(type)} frame of ${length} bytes, over ${limit}`,
      );
    }
    this.#start += FRAME_HEADER_BYTES;
    const body = new Uint8Array(length);
    let filled = this.#unstage(body, 0);
    // The middle of a large body skips the staging copy; its tail reads ahead into the next frame.
    while (length - filled > STAGING_BYTES) {
      const count = await this.#channel.read(body.subarray(filled, length - STAGING_BYTES));
      if (count === null) throw this.#cut();
      filled += count;
    }
    if (filled < length) {
      if (!(await this.#stage(length - filled))) throw this.#cut();
      filled = this.#unstage(body, filled);
    }
    return { type: type as FrameType, body };
  }

  /** Bytes of a next frame have arrived already: the peer is still sending, `read` may not wait. */
  hasInput(): boolean {
    return this.#staged() > 0;
  }

  /** Like `read`, but a clean close is an error too: the caller is waiting for an answer. */
  async expect(waitingFor: string): Promise<Frame> {
    const frame = await this.read();
    if (frame === undefined) {
      throw new DataPlaneError('connection', `the data-plane peer closed the connection while ${waitingFor}`);
    }
    return frame;
  }

  /** Writes one frame, whole or as consecutive parts; resolves once the connection can take more. */
  async write(frame: Uint8Array | readonly Uint8Array[]): Promise<void> {
    if (this.#ended || this.#channel.closed) {
      throw new DataPlaneError('connection', 'the data-plane connection is closed');
    }
    for (const part of frame instanceof Uint8Array ? [frame] : frame) {
      this.bytesWritten += part.length;
      await this.#channel.write(part);
    }
  }

  /** Flushes what was written and closes our side. */
  async end(): Promise<void> {
    await this.#channel.closeWrite();
  }

  destroy(): void {
    this.#channel.close();
  }

  #staged(): number {
    return this.#end - this.#start;
  }

  /** Reads until `count` bytes are staged (count ≤ STAGING_BYTES); false if the peer closed first. */
  async #stage(count: number): Promise<boolean> {
    if (this.#staged() >= count) return true;
    if (this.#ended) return false;
    if (this.#start > 0) {
      this.#staging.copyWithin(0, this.#start, this.#end);
      this.#end -= this.#start;
      this.#start = 0;
    }
    while (this.#end < count) {
      const read = await this.#channel.read(this.#staging.subarray(this.#end));
      if (read === null) {
        this.#ended = true;
        return false;
      }
      this.#end += read;
    }
    return true;
  }

  /** Moves staged bytes into `body` from `filled` on; returns how much of it is filled now. */
  #unstage(body: Uint8Array, filled: number): number {
    const count = Math.min(this.#staged(), body.length - filled);
    body.set(this.#staging.subarray(this.#start, this.#start + count), filled);
    this.#start += count;
    return filled + count;
  }

  #cut(): DataPlaneError {
    this.#ended = true;
    return new DataPlaneError('connection', 'the data-plane connection closed in the middle of a frame');
  }
}
