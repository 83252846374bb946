import { Buffer } from 'node:buffer';
import { EventEmitter } from 'node:events';
import http2 from 'node:http2';
import { decodeMessage, encodeMessage, type OrbitWireTypes, type WireMessageName } from '@orbit/proto/wire';
import { formatHostPort, type HostPort } from '../config/host-port.ts';

/**
 * The Star's gRPC client: gRPC over node:http2 (length-prefixed protobuf messages, status in the
 * trailers) with the wire codec generated from orbit.proto. grpc-js and proto-loader cost an idle
 * Star ~12 MiB; this is the part of them the Star uses. TLS is node:tls under both, so server name,
 * pinned CA and client certificate behave exactly as they did with grpc-js.
 */

/** gRPC status codes the Star acts on (numerically equal to orbit.v1 ErrorCode). */
export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  ALREADY_EXISTS: 6,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

/** The largest message either side sends (MAX_MESSAGE_BYTES in @orbit/proto). */
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
const KEEPALIVE_INTERVAL_MS = 20_000;
const KEEPALIVE_TIMEOUT_MS = 10_000;

/** Response headers (trailers-only answers carry the status and metadata here too). */
export type GridHeaders = Readonly<Record<string, string | string[] | number | undefined>>;

export class GridCallError extends Error {
  override readonly name = 'GridCallError';
  constructor(
    readonly code: number,
    readonly details: string,
    readonly headers: GridHeaders = {},
  ) {
    super(`${code} ${details}`);
  }
}

export interface GridTls {
  /** Trust only this CA; undefined with `verify: false` (join's first step, checked against the pin). */
  readonly caPem?: string;
  readonly keyPem?: string;
  readonly chainPem?: string;
  readonly verify: boolean;
}

export interface UnaryResult<T> {
  readonly response?: T;
  readonly error?: GridCallError;
  readonly headers: GridHeaders;
}

type Output<N extends WireMessageName> = OrbitWireTypes[N]['output'];
type Input<N extends WireMessageName> = OrbitWireTypes[N]['input'];

/** One HTTP/2 connection to the Nucleus; calls share it. */
export class GridChannel {
  readonly #session: http2.ClientHttp2Session;
  readonly #authority: string;
  #failure: string | undefined;
  #keepalive: NodeJS.Timeout | undefined;

  constructor(address: HostPort, serverName: string, tls: GridTls) {
    this.#authority = `${serverName}:${address.port}`;
    // Deno refuses an IP address as a TLS server name: the dial names the DNS name in the Nucleus
    // certificate (`nucleus.orbit.local` unless configured) whatever address it connects to.
    this.#session = http2.connect(`https://${formatHostPort(address)}`, {
      servername: serverName,
      rejectUnauthorized: tls.verify,
      ...(tls.caPem ? { ca: tls.caPem } : {}),
      ...(tls.keyPem && tls.chainPem ? { key: tls.keyPem, cert: tls.chainPem } : {}),
    });
    this.#session.on('error', (error: Error) => {
      this.#failure ??= error.message;
    });
  }

  /** One request, one answer; never rejects: failures come back as `error` with a gRPC status. */
  unary<Req extends WireMessageName, Res extends WireMessageName>(
    method: string,
    types: readonly [Req, Res],
    request: Input<Req>,
    options: { readonly metadata?: Readonly<Record<string, string>>; readonly deadlineMs: number },
  ): Promise<UnaryResult<Output<Res>>> {
    const call = new GridStream<Input<Req>, Output<Res>>(this, method, types, options);
    call.write(request);
    call.end();
    let response: Output<Res> | undefined;
    call.on('message', (message: Output<Res>) => {
      response ??= message;
    });
    return new Promise((resolve) => {
      call.once('close', (error: GridCallError | undefined) => {
        if (error) resolve({ error, headers: call.headers });
        else if (response === undefined)
          resolve({
            error: new GridCallError(
              GrpcStatus.INTERNAL,
              'the Nucleus answered without a message',
              call.headers,
            ),
            headers: call.headers,
          });
        else resolve({ response, headers: call.headers });
      });
    });
  }

  /** A bidirectional stream; the connection is pinged so a dead Nucleus is noticed within ~30 s. */
  stream<Req extends WireMessageName, Res extends WireMessageName>(
    method: string,
    types: readonly [Req, Res],
  ): GridStream<Input<Req>, Output<Res>> {
    this.#keepalive ??= setInterval(() => this.#ping(), KEEPALIVE_INTERVAL_MS);
    return new GridStream(this, method, types, {});
  }

  close(): void {
    clearInterval(this.#keepalive);
    this.#session.close();
    // Streams still open (a cancelled Session) must not hold the connection.
    setTimeout(() => this.#session.destroy(), 1000).unref();
  }

  /** @internal Opens the HTTP/2 stream for a call. */
  request(method: string, metadata: Readonly<Record<string, string>>, deadlineMs?: number) {
    return this.#session.request({
      ':method': 'POST',
      ':path': method,
      ':authority': this.#authority,
      'content-type': 'application/grpc',
      te: 'trailers',
      'grpc-accept-encoding': 'identity',
      ...(deadlineMs !== undefined ? { 'grpc-timeout': `${Math.max(1, Math.ceil(deadlineMs))}m` } : {}),
      ...metadata,
    });
  }

  /** @internal Why the connection failed, if it did (refused, TLS handshake, reset). */
  failure(): string | undefined {
    return this.#failure;
  }

  #ping(): void {
    const timer = setTimeout(() => {
      this.#failure ??= `no keepalive answer from the Nucleus within ${KEEPALIVE_TIMEOUT_MS} ms`;
      this.#session.destroy();
    }, KEEPALIVE_TIMEOUT_MS);
    const sent = this.#session.ping((error) => {
      clearTimeout(timer);
      if (error) {
        this.#failure ??= `keepalive failed: ${error.message}`;
        this.#session.destroy();
      }
    });
    if (!sent) clearTimeout(timer);
  }
}

/**
 * One gRPC call. Events: `message` (each decoded answer), `drain` (writable again), `close` (once,
 * with a GridCallError unless the status was OK).
 */
export class GridStream<In, Out> extends EventEmitter {
  /** Undefined when the connection failed before the call could start. */
  readonly #stream: http2.ClientHttp2Stream | undefined;
  readonly #encode: (message: In) => Uint8Array;
  readonly #decode: (bytes: Uint8Array) => Out;
  #headers: GridHeaders = {};
  #trailers: GridHeaders | undefined;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #broken: GridCallError | undefined;
  #closed = false;

  constructor(
    channel: GridChannel,
    method: string,
    [requestType, responseType]: readonly [WireMessageName, WireMessageName],
    options: { readonly metadata?: Readonly<Record<string, string>>; readonly deadlineMs?: number },
  ) {
    super();
    this.#encode = (message) => encodeMessage(requestType, message as never);
    this.#decode = (bytes) => decodeMessage(responseType, bytes) as Out;
    let stream: http2.ClientHttp2Stream;
    try {
      stream = channel.request(method, options.metadata ?? {}, options.deadlineMs);
    } catch (error) {
      // The connection already failed (refused, TLS handshake): the call fails like any other.
      this.#stream = undefined;
      this.#broken = new GridCallError(GrpcStatus.UNAVAILABLE, channel.failure() ?? (error as Error).message);
      queueMicrotask(() => this.#finish(channel));
      return;
    }
    this.#stream = stream;
    const deadline =
      options.deadlineMs === undefined
        ? undefined
        : setTimeout(() => this.#fail(GrpcStatus.DEADLINE_EXCEEDED, 'deadline exceeded'), options.deadlineMs);
    // Deno may deliver data before the response headers: nothing here depends on their order.
    stream.on('response', (headers) => {
      this.#headers = headers;
    });
    stream.on('trailers', (trailers) => {
      this.#trailers = trailers;
    });
    stream.on('data', (chunk: Uint8Array) => this.#receive(chunk));
    stream.on('drain', () => this.emit('drain'));
    // The Nucleus' trailers end the call even while this side still writes (a Session it ends).
    stream.on('end', () => {
      if (!stream.destroyed) stream.close(http2.constants.NGHTTP2_NO_ERROR);
    });
    stream.on('error', (error: Error) => {
      this.#broken ??= new GridCallError(
        GrpcStatus.UNAVAILABLE,
        channel.failure() ?? error.message,
        this.#headers,
      );
    });
    stream.on('close', () => {
      clearTimeout(deadline);
      this.#finish(channel);
    });
  }

  get headers(): GridHeaders {
    return this.#headers;
  }

  override on(event: 'message', listener: (message: Out) => void): this;
  override on(event: 'close', listener: (error: GridCallError | undefined) => void): this;
  override on(event: 'drain', listener: () => void): this;
  override on(event: string, listener: Parameters<EventEmitter['on']>[1]): this {
    return super.on(event, listener);
  }

  override once(event: 'close', listener: (error: GridCallError | undefined) => void): this;
  override once(event: 'drain' | 'error', listener: () => void): this;
  override once(event: string, listener: Parameters<EventEmitter['once']>[1]): this {
    return super.once(event, listener);
  }

  /** False when the stream's buffer is full: wait for `drain`. */
  write(message: In): boolean {
    if (this.#closed || !this.#stream || this.#stream.destroyed) return true;
    const body = this.#encode(message);
    const frame = Buffer.allocUnsafe(5 + body.length);
    frame[0] = 0;
    frame.writeUInt32BE(body.length, 1);
    frame.set(body, 5);
    return this.#stream.write(frame);
  }

  /** No more requests (half-close); answers still arrive. */
  end(): void {
    if (this.#stream && !this.#stream.destroyed) this.#stream.end();
  }

  /** Ends the call from this side. */
  cancel(): void {
    this.#fail(GrpcStatus.CANCELLED, 'cancelled by the Star');
  }

  #fail(code: number, details: string): void {
    this.#broken ??= new GridCallError(code, details, this.#headers);
    if (this.#stream && !this.#stream.destroyed) this.#stream.close(http2.constants.NGHTTP2_CANCEL);
  }

  #receive(chunk: Uint8Array): void {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    while (this.#pendingBytes >= 5 && !this.#broken) {
      const buffered = this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending);
      this.#pending = [buffered];
      const length = new DataView(buffered.buffer, buffered.byteOffset, 5).getUint32(1);
      if (buffered[0] !== 0) {
        this.#fail(GrpcStatus.INTERNAL, 'the Nucleus sent a compressed message');
        return;
      }
      if (length > MAX_MESSAGE_BYTES) {
        this.#fail(GrpcStatus.RESOURCE_EXHAUSTED, `a ${length}-byte message exceeds the 4 MiB limit`);
        return;
      }
      if (this.#pendingBytes < 5 + length) return;
      const body = buffered.subarray(5, 5 + length);
      const rest = buffered.subarray(5 + length);
      this.#pending = rest.length > 0 ? [rest] : [];
      this.#pendingBytes = rest.length;
      let message: Out;
      try {
        message = this.#decode(body);
      } catch (error) {
        this.#fail(GrpcStatus.INTERNAL, `undecodable message: ${(error as Error).message}`);
        return;
      }
      this.emit('message', message);
    }
  }

  #finish(channel: GridChannel): void {
    if (this.#closed) return;
    this.#closed = true;
    const status = this.#trailers ?? this.#headers;
    const code = Number(status['grpc-status'] ?? Number.NaN);
    let error: GridCallError | undefined;
    if (this.#broken) error = this.#broken;
    else if (Number.isInteger(code)) {
      if (code !== GrpcStatus.OK)
        error = new GridCallError(code, grpcMessage(status), { ...this.#headers, ...status });
    } else {
      const why =
        channel.failure() ?? `the stream ended without a gRPC status (HTTP ${this.#headers[':status']})`;
      error = new GridCallError(GrpcStatus.UNAVAILABLE, why, this.#headers);
    }
    this.emit('close', error);
  }
}

/** grpc-message is percent-encoded. */
function grpcMessage(headers: GridHeaders): string {
  const raw = headers['grpc-message'];
  const text = Array.isArray(raw) ? raw.join(', ') : String(raw ?? '');
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A `-bin` metadata value (base64 on the wire). */
export function binaryHeader(headers: GridHeaders, name: string): Buffer | undefined {
  const value = headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined ? undefined : Buffer.from(String(text), 'base64');
}

export function textHeader(headers: GridHeaders, name: string): string | undefined {
  const value = headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined ? undefined : String(text);
}
