import type { Duplex } from 'node:stream';
import { DataPlaneError } from './data-plane-error.ts';

/**
 * One TLS connection as FrameStream needs it: reads into the caller's buffer, whole writes.
 * Two implementations: a `node:tls` socket (the sender, which pins the receiver's certificate, and
 * the receiver under Node) and a Deno TLS connection (the receiver under Deno, without Node
 * streams' per-read buffers). Failures are DataPlaneError('connection'), which a sender retries.
 */
export interface ByteChannel {
  /** Bytes read into `into` (at least one), or null once the peer closed its side. */
  read(into: Uint8Array): Promise<number | null>;
  /** Resolves once the channel can take more. */
  write(data: Uint8Array): Promise<void>;
  /** Flushes what was written and closes our side. */
  closeWrite(): Promise<void>;
  close(): void;
  readonly closed: boolean;
}

/**
 * Buffered input above which the socket is paused until it is read. The sender's window (32 MiB by
 * default) keeps a well-behaved peer below it: this only stops one that ignores ACKs. Under Deno a
 * paused socket hands over everything it read meanwhile as one buffer when resumed (29 MiB seen at
 * 8 MiB here), a copy as large as the backlog, so it only pauses for that case.
 */
const READ_HIGH_WATER = 64 * 1024 * 1024;

/** A `node:tls` socket as a ByteChannel. */
export function socketChannel(socket: Duplex): ByteChannel {
  const pieces: Uint8Array[] = [];
  let buffered = 0;
  let ended = false;
  let paused = false;
  let failure: DataPlaneError | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const waiting = wake;
    wake = undefined;
    waiting?.();
  };
  socket.on('data', (data: Uint8Array) => {
    pieces.push(data);
    buffered += data.length;
    if (buffered >= READ_HIGH_WATER && !paused) {
      paused = true;
      socket.pause();
    }
    notify();
  });
  const end = (): void => {
    ended = true;
    notify();
  };
  socket.on('end', end);
  socket.on('close', end);
  socket.on('error', (cause: Error) => {
    failure ??= connectionFailure(cause);
    notify();
  });
  // Only this channel pauses the socket; one handed over paused would otherwise never flow.
  if (socket.isPaused()) socket.resume();

  return {
    async read(into) {
      for (;;) {
        if (buffered > 0) return take(into);
        if (failure) throw failure;
        if (ended) return null;
        // Only a paused socket is resumed: under Deno every resume() starts another read of its own.
        if (paused) {
          paused = false;
          socket.resume();
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
    async write(data) {
      if (failure) throw failure;
      if (ended || socket.destroyed) {
        throw new DataPlaneError('connection', 'the data-plane connection is closed');
      }
      if (socket.write(data)) return;
      await new Promise<void>((resolve, reject) => {
        const done = (): void => {
          socket.off('drain', done);
          socket.off('close', done);
          if (failure) reject(failure);
          else if (socket.destroyed) {
            reject(new DataPlaneError('connection', 'the data-plane connection closed while writing'));
          } else resolve();
        };
        socket.on('drain', done);
        socket.on('close', done);
      });
    },
    async closeWrite() {
      if (socket.destroyed) return;
      await new Promise<void>((resolve) => socket.end(resolve));
    },
    close: () => socket.destroy(),
    get closed() {
      return ended || socket.destroyed;
    },
  };

  function take(into: Uint8Array): number {
    let done = 0;
    while (done < into.length) {
      const piece = pieces[0];
      if (piece === undefined) break;
      const count = Math.min(piece.length, into.length - done);
      into.set(count === piece.length ? piece : piece.subarray(0, count), done);
      done += count;
      if (count === piece.length) pieces.shift();
      else pieces[0] = piece.subarray(count);
    }
    buffered -= done;
    return done;
  }
}

/** The part of a Deno TLS connection used here (the Star is type-checked without Deno's types). */
export interface DenoConn {
  read(into: Uint8Array): Promise<number | null>;
  write(data: Uint8Array): Promise<number>;
  closeWrite(): Promise<void>;
  close(): void;
}

/**
 * A Deno TLS connection as a ByteChannel. Reads go straight into the caller's buffer. A read that
 * waits `idleTimeoutMs` closes the connection: the peer went silent (a sender resumes on a new one).
 */
export function denoConnChannel(conn: DenoConn, idleTimeoutMs: number): ByteChannel {
  let closed = false;
  let idle = false;
  // One watchdog per connection, not a timer per read: a GiB arrives in some 60 000 reads.
  let reading = false;
  let lastActivity = performance.now();
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  const close = (): void => {
    if (closed) return;
    closed = true;
    clearTimeout(watchdog);
    try {
      conn.close();
    } catch {
      // Already closed by the peer's reset: nothing is left to release.
    }
  };
  const watch = (delayMs: number): void => {
    watchdog = setTimeout(() => {
      const quietMs = performance.now() - lastActivity;
      if (reading && quietMs >= idleTimeoutMs) {
        idle = true;
        close();
      } else if (!closed) watch(reading ? idleTimeoutMs - quietMs : idleTimeoutMs);
    }, delayMs);
  };
  watch(idleTimeoutMs);
  return {
    async read(into) {
      if (closed) return null;
      reading = true;
      lastActivity = performance.now();
      try {
        return await conn.read(into);
      } catch (cause) {
        if (idle) {
          throw new DataPlaneError('connection', `no data from the sender for ${idleTimeoutMs} ms`);
        }
        if (closed) return null;
        throw connectionFailure(cause);
      } finally {
        reading = false;
        lastActivity = performance.now();
      }
    },
    async write(data) {
      if (closed) throw new DataPlaneError('connection', 'the data-plane connection is closed');
      try {
        for (let done = 0; done < data.length; ) done += await conn.write(data.subarray(done));
      } catch (cause) {
        throw connectionFailure(cause);
      }
    },
    async closeWrite() {
      if (closed) return;
      await conn.closeWrite().catch(() => undefined);
    },
    close,
    get closed() {
      return closed;
    },
  };
}

function connectionFailure(cause: unknown): DataPlaneError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new DataPlaneError('connection', `data-plane connection failed: ${message}`, { cause });
}
