import type { Duplex } from 'node:stream';
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
 * Buffered input above which the socket is paused until frames are consumed. The sender's window
 * (32 MiB by default) keeps a well-behaved peer below it: this only stops one that ignores ACKs.
 * Under Deno a paused socket hands over everything it read meanwhile as one buffer when resumed
 * (29 MiB seen at 8 MiB here), a copy as large as the backlog, so pausing is kept for that case.
 */
const READ_HIGH_WATER = 64 * 1024 * 1024;

/**
 * Frames over one TLS socket. Reads pause the socket while enough is buffered; writes wait for
 * `drain`. Any socket failure surfaces as DataPlaneError('connection') so callers can retry it.
 */
export class FrameStream {
  readonly #socket: Duplex;
  #pieces: Uint8Array[] = [];
  #buffered = 0;
  #ended = false;
  #paused = false;
  #failure: DataPlaneError | undefined;
  #wake: (() => void) | undefined;
  /** Bytes of frames written, headers included: what crossed the wire inside TLS. */
  bytesWritten = 0;

  constructor(socket: Duplex) {
    this.#socket = socket;
    socket.on('data', (data: Uint8Array) => {
      this.#pieces.push(data);
      this.#buffered += data.length;
      if (this.#buffered >= READ_HIGH_WATER && !this.#paused) {
        this.#paused = true;
        socket.pause();
      }
      this.#notify();
    });
    socket.on('end', () => {
      this.#ended = true;
      this.#notify();
    });
    socket.on('close', () => {
      this.#ended = true;
      this.#notify();
    });
    socket.on('error', (cause: Error) => {
      this.#failure ??= new DataPlaneError('connection', `data-plane connection failed: ${cause.message}`, {
        cause,
      });
      this.#notify();
    });
    // Only this class pauses the socket; one handed over paused would otherwise never flow.
    if (socket.isPaused()) socket.resume();
  }

  /** The next frame, or undefined when the peer closed cleanly between frames. */
  async read(): Promise<Frame | undefined> {
    for (;;) {
      const frame = this.#take();
      if (frame !== undefined) return frame;
      if (this.#failure) throw this.#failure;
      if (this.#ended) {
        if (this.#buffered === 0) return undefined;
        throw new DataPlaneError('connection', 'the data-plane connection closed in the middle of a frame');
      }
      // Only a paused socket is resumed: under Deno every resume() starts another read of its own.
      if (this.#paused) {
        this.#paused = false;
        this.#socket.resume();
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  /** True when a whole frame is already buffered: `read` will not wait for the network. */
  hasFrame(): boolean {
    if (this.#buffered < FRAME_HEADER_BYTES) return false;
    const header = this.#peek(FRAME_HEADER_BYTES);
    const length = new DataView(header.buffer, header.byteOffset, header.byteLength).getUint32(0);
    return this.#buffered >= FRAME_HEADER_BYTES + length;
  }

  /** Like `read`, but a clean close is an error too: the caller is waiting for an answer. */
  async expect(waitingFor: string): Promise<Frame> {
    const frame = await this.read();
    if (frame === undefined) {
      throw new DataPlaneError('connection', `the data-plane peer closed the connection while ${waitingFor}`);
    }
    return frame;
  }

  /** Writes one frame, whole or as consecutive parts; resolves once the socket can take more. */
  async write(frame: Uint8Array | readonly Uint8Array[]): Promise<void> {
    if (this.#failure) throw this.#failure;
    if (this.#ended || this.#socket.destroyed) {
      throw new DataPlaneError('connection', 'the data-plane connection is closed');
    }
    const parts = frame instanceof Uint8Array ? [frame] : frame;
    let flowing = true;
    for (const part of parts) {
      this.bytesWritten += part.length;
      flowing = this.#socket.write(part);
    }
    if (flowing) return;
    await new Promise<void>((resolve, reject) => {
      const done = (): void => {
        this.#socket.off('drain', done);
        this.#socket.off('close', done);
        if (this.#failure) reject(this.#failure);
        else if (this.#socket.destroyed) {
          reject(new DataPlaneError('connection', 'the data-plane connection closed while writing'));
        } else resolve();
      };
      this.#socket.on('drain', done);
      this.#socket.on('close', done);
    });
  }

  /** Flushes what was written and closes our side. */
  async end(): Promise<void> {
    if (this.#socket.destroyed) return;
    await new Promise<void>((resolve) => this.#socket.end(resolve));
  }

  destroy(): void {
    this.#socket.destroy();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #take(): Frame | undefined {
    if (this.#buffered < FRAME_HEADER_BYTES) return undefined;
    const header = this.#peek(FRAME_HEADER_BYTES);
    const length = new DataView(header.buffer, header.byteOffset, header.byteLength).getUint32(0);
    const type = header[4] ?? 0;
    const limit = type === FrameType.chunk ? MAX_FRAME_BODY : MAX_CONTROL_BODY;
    if (type < FrameType.hello || type > LAST_FRAME_TYPE) {
      throw new DataPlaneError('protocol', `received a frame of unknown type ${type}`);
    }
    if (length > limit) {
      throw new DataPlaneError(
        'protocol',
        `received a ${frameName(type)} frame of ${length} bytes, over ${limit}`,
      );
    }
    if (this.#buffered < FRAME_HEADER_BYTES + length) return undefined;
    const all = this.#consume(FRAME_HEADER_BYTES + length);
    return { type: type as FrameType, body: all.subarray(FRAME_HEADER_BYTES) };
  }

  #peek(count: number): Uint8Array {
    const first = this.#pieces[0];
    if (first !== undefined && first.length >= count) return first.subarray(0, count);
    return this.#gather(count, false);
  }

  #consume(count: number): Uint8Array {
    const first = this.#pieces[0];
    if (first !== undefined && first.length >= count) {
      if (first.length === count) this.#pieces.shift();
      else this.#pieces[0] = first.subarray(count);
      this.#buffered -= count;
      return first.subarray(0, count);
    }
    return this.#gather(count, true);
  }

  /** Copies `count` bytes out of the buffered pieces, optionally removing them. */
  #gather(count: number, remove: boolean): Uint8Array {
    const out = new Uint8Array(count);
    let done = 0;
    let index = 0;
    while (done < count) {
      const piece = this.#pieces[index];
      if (piece === undefined) break;
      const take = Math.min(piece.length, count - done);
      out.set(piece.subarray(0, take), done);
      done += take;
      if (remove) {
        if (take === piece.length) this.#pieces.shift();
        else this.#pieces[0] = piece.subarray(take);
      } else index++;
    }
    if (remove) this.#buffered -= count;
    return out;
  }
}
