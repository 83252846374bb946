import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { openTcpTuning, type TcpTuning } from '../native/socket-options.ts';
import { type ByteChannel, type DenoConn, denoConnChannel, socketChannel } from './byte-channel.ts';

export interface TlsListenerOptions {
  readonly cert: string;
  readonly key: string;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** A connection silent this long is dropped. */
  readonly idleTimeoutMs: number;
  /** Runs one connection after its handshake; the connection is closed when it settles. */
  readonly onConnection: (channel: ByteChannel) => Promise<void>;
  /** The last open connection closed. */
  readonly onQuiet?: () => void;
}

export interface TlsListener {
  readonly host: string;
  readonly port: number;
  /** New connections get this certificate; open ones keep theirs. */
  useCertificate(cert: string, key: string): Promise<void>;
  connections(): number;
  close(): Promise<void>;
}

const KEEPALIVE_MS = 15_000;
/** A client that connects and never finishes its handshake is dropped after this. */
const HANDSHAKE_TIMEOUT_MS = 30_000;

/**
 * The data plane's TLS endpoint: Deno's own TLS where the Star runs (reads land in the frame's
 * buffer, with no Node stream in between: 0.4 against 1.0 CPU s per GiB received), `node:tls`
 * elsewhere (tests under Node) and where its sockets cannot be tuned (see socket-options.ts).
 */
export function listenTls(options: TlsListenerOptions): Promise<TlsListener> {
  const deno = Reflect.get(globalThis, 'Deno') as DenoTls | undefined;
  const tuning = typeof deno?.listenTls === 'function' ? openTcpTuning() : undefined;
  return deno && tuning ? listenDeno(deno, tuning, options) : listenNode(options);
}

async function listenNode(options: TlsListenerOptions): Promise<TlsListener> {
  const sockets = new Set<tls.TLSSocket>();
  const server = tls.createServer(
    { cert: options.cert, key: options.key, minVersion: 'TLSv1.3' },
    (socket) => {
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.setKeepAlive(true, KEEPALIVE_MS);
      socket.setTimeout(options.idleTimeoutMs, () => socket.destroy());
      socket.on('close', () => {
        sockets.delete(socket);
        if (sockets.size === 0) options.onQuiet?.();
      });
      options.onConnection(socketChannel(socket)).finally(() => socket.destroy());
    },
  );
  // TLS handshake failures (a scanner, a client that refused our certificate) are not our errors.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    host: address.address,
    port: address.port,
    async useCertificate(cert, key) {
      server.setSecureContext({ cert, key, minVersion: 'TLSv1.3' });
    },
    connections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The part of Deno's TLS API used here (the Star is type-checked without Deno's types). */
interface DenoTls {
  listenTls(options: { hostname: string; port: number; cert: string; key: string }): DenoTlsListener;
}

interface DenoTlsConn extends DenoConn {
  readonly localAddr: { readonly port: number };
  readonly remoteAddr: { readonly port: number };
  handshake(): Promise<unknown>;
}

interface DenoTlsListener {
  readonly addr: { readonly hostname: string; readonly port: number };
  accept(): Promise<DenoTlsConn>;
  close(): void;
}

/**
 * Deno cannot change a listener's certificate, so a renewal listens again on the same port with the
 * new one. Open connections are not the listener's and carry on; a sender that dials in the moment
 * between the two is refused and retries.
 */
async function listenDeno(
  deno: DenoTls,
  tuning: TcpTuning,
  options: TlsListenerOptions,
): Promise<TlsListener> {
  const channels = new Set<ByteChannel>();
  let closing = false;
  const open = (cert: string, key: string, port: number): DenoTlsListener => {
    const listener = deno.listenTls({ hostname: options.host, port, cert, key });
    void acceptAll(listener);
    return listener;
  };
  const acceptAll = async (listener: DenoTlsListener): Promise<void> => {
    for (;;) {
      let conn: DenoTlsConn;
      try {
        conn = await listener.accept();
      } catch (error) {
        if (closing || listener !== current || isClosedListener(error)) return;
        // Out of descriptors or the like: wait for some to free rather than spin.
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      void serve(conn);
    }
  };
  const serve = async (conn: DenoTlsConn): Promise<void> => {
    tuning.tune({ localPort: conn.localAddr.port, remotePort: conn.remoteAddr.port });
    const channel = denoConnChannel(conn, options.idleTimeoutMs);
    const timer = setTimeout(() => channel.close(), HANDSHAKE_TIMEOUT_MS);
    try {
      await conn.handshake();
    } catch {
      // As under Node: a failed handshake (a scanner, a client that refused us) is not our error.
      channel.close();
      return;
    } finally {
      clearTimeout(timer);
    }
    if (channel.closed || closing) return channel.close();
    channels.add(channel);
    try {
      await options.onConnection(channel);
    } finally {
      channel.close();
      channels.delete(channel);
      if (channels.size === 0) options.onQuiet?.();
    }
  };
  let presented = { cert: options.cert, key: options.key };
  let current = open(presented.cert, presented.key, options.port);
  const { hostname, port } = current.addr;
  return {
    host: hostname,
    port,
    async useCertificate(cert, key) {
      closeListener(current);
      try {
        current = await reopen(() => open(cert, key, port));
        presented = { cert, key };
      } catch (error) {
        current = await reopen(() => open(presented.cert, presented.key, port));
        throw error;
      }
    },
    connections: () => channels.size,
    async close() {
      closing = true;
      closeListener(current);
      for (const channel of channels) channel.close();
    },
  };
}

function closeListener(listener: DenoTlsListener): void {
  try {
    listener.close();
  } catch {
    // Closed already.
  }
}

/**
 * Listens again on the port a closed listener held. Its socket is released only once the accept
 * it was waiting in is cancelled, a turn of the event loop later, so the port may still be taken.
 */
async function reopen(open: () => DenoTlsListener): Promise<DenoTlsListener> {
  for (let attempt = 0; ; attempt++) {
    try {
      return open();
    } catch (error) {
      if (!(error instanceof Error && error.name === 'AddrInUse') || attempt >= 200) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

function isClosedListener(error: unknown): boolean {
  return error instanceof Error && (error.name === 'BadResource' || error.name === 'Interrupted');
}
