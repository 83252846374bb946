import { createHash } from 'node:crypto';
import tls from 'node:tls';
import { socketChannel } from './byte-channel.ts';
import { DataPlaneError } from './data-plane-error.ts';
import { FrameStream } from './frame-stream.ts';

export interface PinnedConnectionOptions {
  readonly host: string;
  readonly port: number;
  /** Lowercase hex SHA-256 of the receiver's leaf certificate (DER), as the Nucleus sent it. */
  readonly fingerprint: string;
  readonly idleTimeoutMs: number;
  readonly signal?: AbortSignal;
}

/**
 * Opens TLS to a receiving Star and accepts it only if its certificate is the pinned one. The pin
 * replaces CA and host-name checks: the Nucleus names the exact certificate it expects.
 */
export async function connectPinned(options: PinnedConnectionOptions): Promise<FrameStream> {
  const expected = options.fingerprint.toLowerCase().replaceAll(':', '');
  options.signal?.throwIfAborted();
  const socket = tls.connect({
    host: options.host,
    port: options.port,
    minVersion: 'TLSv1.3',
    rejectUnauthorized: false,
    checkServerIdentity: () => undefined,
  });
  const where = `${options.host}:${options.port}`;
  const onAbort = (): void => {
    socket.destroy(new DataPlaneError('connection', `push to ${where} was cancelled`));
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', (cause: Error) =>
        reject(
          cause instanceof DataPlaneError
            ? cause
            : new DataPlaneError(
                'connection',
                `cannot reach the receiving Star at ${where}: ${cause.message}`,
                {
                  cause,
                },
              ),
        ),
      );
    });
  } catch (error) {
    options.signal?.removeEventListener('abort', onAbort);
    socket.destroy();
    throw error;
  }
  const raw = socket.getPeerCertificate().raw;
  const actual = raw ? createHash('sha256').update(raw).digest('hex') : 'none';
  if (actual !== expected) {
    options.signal?.removeEventListener('abort', onAbort);
    socket.destroy();
    throw new DataPlaneError(
      'fingerprint-mismatch',
      `the Star at ${where} presented certificate ${actual}, expected ${expected}`,
      {
        hint: 'another process answers on that address, or the Star was re-enrolled; refresh the job from the Nucleus',
      },
    );
  }
  socket.setNoDelay(true);
  // Finds a receiver that vanished without a FIN long before the idle timeout would.
  socket.setKeepAlive(true, 15_000);
  socket.setTimeout(options.idleTimeoutMs, () =>
    socket.destroy(new Error(`no data from ${where} for ${options.idleTimeoutMs} ms`)),
  );
  socket.once('close', () => options.signal?.removeEventListener('abort', onAbort));
  return new FrameStream(socketChannel(socket));
}
