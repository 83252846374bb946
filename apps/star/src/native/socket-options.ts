import { LIBC_PATHS } from './libc-calls.ts';

/** Deno's FFI surface, the part used here (the Star is type-checked without Deno's types). */
interface DenoFfi {
  dlopen(path: string, symbols: typeof SYMBOLS): { symbols: SocketSymbols; close(): void };
  readonly build: { readonly os: string };
}

interface SocketSymbols {
  getsockname(fd: number, address: Uint8Array, length: Uint32Array): number;
  getpeername(fd: number, address: Uint8Array, length: Uint32Array): number;
  setsockopt(fd: number, level: number, name: number, value: Int32Array, length: number): number;
}

const SYMBOLS = {
  getsockname: { parameters: ['i32', 'buffer', 'buffer'], result: 'i32' },
  getpeername: { parameters: ['i32', 'buffer', 'buffer'], result: 'i32' },
  setsockopt: { parameters: ['i32', 'i32', 'i32', 'buffer', 'u32'], result: 'i32' },
} as const;

// Linux values, the same on x86_64 and aarch64.
const SOL_SOCKET = 1;
const SO_KEEPALIVE = 9;
const IPPROTO_TCP = 6;
const TCP_NODELAY = 1;
const TCP_KEEPIDLE = 4;
const TCP_KEEPINTVL = 5;
const TCP_KEEPCNT = 6;
const AF_INET = 2;
const AF_INET6 = 10;
/** Descriptors looked at for a connection's socket; a Star holds far fewer open. */
const MAX_FD = 65_536;

/** A connection's two ends, as Deno reports them. */
export interface SocketEnds {
  readonly localPort: number;
  readonly remotePort: number;
}

/** The options every data-plane socket gets: no Nagle delay, and a dead peer found in about a minute. */
export interface TcpTuning {
  /** False when no socket of this process has these two ends (it closed meanwhile). */
  tune(ends: SocketEnds): boolean;
}

/**
 * Deno's TLS connections offer neither TCP_NODELAY nor keepalive, and without TCP_NODELAY a reply
 * written right after another waits for the peer's delayed ACK (34 ms per small file, measured).
 * So the socket is found among this process's descriptors by its two ports and set through libc.
 * Undefined where that cannot be done (not Deno on Linux, no libc).
 */
export function openTcpTuning(): TcpTuning | undefined {
  const deno = Reflect.get(globalThis, 'Deno') as DenoFfi | undefined;
  if (typeof deno?.dlopen !== 'function' || deno.build.os !== 'linux') return undefined;
  for (const path of LIBC_PATHS) {
    try {
      return tuningOf(deno.dlopen(path, SYMBOLS).symbols);
    } catch {
      // Not at this path, or no --allow-ffi for it: the next one.
    }
  }
  return undefined;
}

function tuningOf(c: SocketSymbols): TcpTuning {
  const address = new Uint8Array(128);
  const length = new Uint32Array(1);
  const portOf = (call: SocketSymbols['getsockname'], fd: number): number | undefined => {
    length[0] = address.length;
    if (call(fd, address, length) !== 0) return undefined;
    const family = (address[0] ?? 0) | ((address[1] ?? 0) << 8);
    if (family !== AF_INET && family !== AF_INET6) return undefined;
    return ((address[2] ?? 0) << 8) | (address[3] ?? 0);
  };
  const set = (fd: number, level: number, name: number, value: number): boolean =>
    c.setsockopt(fd, level, name, Int32Array.of(value), 4) === 0;
  return {
    tune({ localPort, remotePort }) {
      for (let fd = 3; fd < MAX_FD; fd++) {
        if (portOf(c.getsockname, fd) !== localPort || portOf(c.getpeername, fd) !== remotePort) continue;
        return (
          set(fd, IPPROTO_TCP, TCP_NODELAY, 1) &&
          set(fd, SOL_SOCKET, SO_KEEPALIVE, 1) &&
          set(fd, IPPROTO_TCP, TCP_KEEPIDLE, 15) &&
          set(fd, IPPROTO_TCP, TCP_KEEPINTVL, 15) &&
          set(fd, IPPROTO_TCP, TCP_KEEPCNT, 4)
        );
      }
      return false;
    },
  };
}
