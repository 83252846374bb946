import { type ChunkingOptions, validateChunking } from '@orbit/engine/chunking/chunking-options';
import { type TicketClaims, verifyTicket } from '@orbit/engine/identity/data-plane-ticket';
import { certificateFingerprint, parseCertificatePem } from '@orbit/engine/identity/grid-crypto';
import { TicketError } from '@orbit/engine/identity/identity-errors';
import { WORKER_CUT_MIN_BYTES } from '@orbit/engine/transfer/chunk-pass';
import type { PathJail } from '../security/path-jail.ts';
import { ChunkListCache } from './chunk-list-cache.ts';
import { DataPlaneError } from './data-plane-error.ts';
import { FrameStream } from './frame-stream.ts';
import type { IncomingContext } from './incoming-file.ts';
import type { OpenIncoming } from './incoming-target.ts';
import { hintOf, messageOf, type ReceiveContext, receiveFile } from './receive-file.ts';
import { ReceiverJournal } from './receiver-journal.ts';
import { TargetLocks } from './target-locks.ts';
import { listenTls } from './tls-listener.ts';
import { encodeJsonFrame, FrameType, MAX_CHUNK_BYTES, PROTOCOL_VERSION } from './wire-frames.ts';
import { type FileFailed, type FileOk, helloSchema, parseControl, type Reject } from './wire-messages.ts';

export interface DataPlaneServerOptions {
  /** This Star's certificate chain (leaf first), PEM. */
  readonly cert: string;
  /** Its private key, PKCS#8 PEM. */
  readonly key: string;
  /** The grid CA certificate: tickets must be signed by its key. */
  readonly caCert: string;
  /** This Star's id: tickets must name it as the destination. */
  readonly starId: string;
  readonly jail: PathJail;
  /** Where the resume journal and the chunk-list cache live (`<stateDir>/data-plane/`). */
  readonly stateDir: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /**
   * The jobs this Star was told to expect and where each may write. When given, a ticket for any
   * other job, or for a path outside the job's destination, is refused. A job with `openIncoming`
   * receives its files through it (an archive job's chunk store) instead of as files.
   */
  readonly expectedJob?: (
    jobId: string,
  ) => { readonly path: string; readonly openIncoming?: OpenIncoming } | undefined;
  readonly checkpointBytes?: number;
  /**
   * From this size on, a fresh streamed file is written with O_DIRECT and an old file copied in
   * place with it (default: the engine's threshold for its own direct writes, 48 MiB; tests go lower).
   */
  readonly directWriteMinBytes?: number;
  /** A connection silent this long is dropped (the sender resumes on a new one). */
  readonly idleTimeoutMs?: number;
  /** Every file's verdict as it is sent, for the agent's audit log and progress reports. */
  readonly onFile?: (event: ReceivedFileEvent) => void;
  /** Sessions that end in an error, for the agent's log. */
  readonly onSessionError?: (error: unknown) => void;
  /** Notes for the agent's log that fail nothing, e.g. a chunk-list cache entry ignored and why. */
  readonly onNotice?: (message: string) => void;
  /** The last open connection closed: no sender is pushing to this Star now. */
  readonly onQuiet?: () => void;
  readonly now?: () => Date;
}

/** One file the receiver finished with, and who sent it under which job. */
export type ReceivedFileEvent = { readonly jobId: string; readonly sourceStarId: string } & (
  | { readonly status: 'ok'; readonly file: FileOk }
  | { readonly status: 'failed'; readonly file: FileFailed }
);

export interface DataPlaneServer {
  readonly host: string;
  readonly port: number;
  /** SHA-256 of the leaf certificate new connections get: what senders pin. */
  readonly fingerprint: string;
  /** New connections get this certificate (the Star renewed it); open ones keep theirs. */
  useCertificate(cert: string, key: string): Promise<void>;
  /** Connections open now (each a sender pushing to this Star): the agent's active receives. */
  connections(): number;
  close(): Promise<void>;
}

const DEFAULT_CHECKPOINT_BYTES = 32 * 1024 * 1024;
/**
 * Long on purpose: either side may be silent while it hashes a large file before answering.
 * A peer that vanished is found sooner by TCP keepalive.
 */
const DEFAULT_IDLE_TIMEOUT_MS = 10 * 60_000;

/** The receiving end of Star-to-Star transfers: TLS, ticket check, then files per PROTOCOL.md. */
export async function startDataPlaneServer(options: DataPlaneServerOptions): Promise<DataPlaneServer> {
  let presented = { cert: options.cert, fingerprint: await fingerprintOf(options.cert) };
  const journal = await ReceiverJournal.open(options.stateDir);
  const cache = await ChunkListCache.open(options.stateDir, (message) => options.onNotice?.(message));
  // Beside the first sessions, not before them: entries of files that are gone only cost disk space.
  ChunkListCache.sweep(options.stateDir, (message) => options.onNotice?.(message)).catch((error: unknown) =>
    options.onNotice?.(`chunk-list cache sweep failed: ${(error as Error).message}`),
  );
  const locks = new TargetLocks();
  const listener = await listenTls({
    cert: options.cert,
    key: options.key,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    onConnection: (channel) =>
      serveSession(new FrameStream(channel), options, { journal, cache, locks }).catch((error: unknown) =>
        options.onSessionError?.(error),
      ),
    ...(options.onQuiet ? { onQuiet: options.onQuiet } : {}),
  });
  return {
    host: listener.host,
    port: listener.port,
    get fingerprint() {
      return presented.fingerprint;
    },
    async useCertificate(cert, key) {
      if (cert === presented.cert) return;
      const fingerprint = await fingerprintOf(cert);
      await listener.useCertificate(cert, key);
      presented = { cert, fingerprint };
    },
    connections: () => listener.connections(),
    close: () => listener.close(),
  };
}

function fingerprintOf(cert: string): Promise<string> {
  return certificateFingerprint(parseCertificatePem(cert, 'the Star certificate'));
}

/** What every session of one server shares. */
interface ServerState {
  readonly journal: ReceiverJournal;
  readonly cache: ChunkListCache;
  readonly locks: TargetLocks;
}

async function serveSession(
  stream: FrameStream,
  options: DataPlaneServerOptions,
  { journal, cache, locks }: ServerState,
): Promise<void> {
  const admitted = await admit(stream, options);
  if (admitted === undefined) return;
  const counters = { oldBytesCut: 0, oldListsCached: 0 };
  const ctx: IncomingContext = {
    jail: options.jail,
    journal,
    root: admitted.root,
    chunking: admitted.chunking,
    checkpointBytes: options.checkpointBytes ?? DEFAULT_CHECKPOINT_BYTES,
    directWriteMinBytes: options.directWriteMinBytes ?? WORKER_CUT_MIN_BYTES,
    locks,
    cache,
    counters,
    log: (message) => options.onNotice?.(message),
  };
  const files = { filesOk: 0, filesUnchanged: 0, filesFailed: 0, bytesWritten: 0, chunksReused: 0 };
  const rc: ReceiveContext = {
    stream,
    ctx,
    session: { acked: 0, ackSent: 0 },
    ...(admitted.openIncoming ? { openIncoming: admitted.openIncoming } : {}),
  };
  const who = { jobId: admitted.jobId, sourceStarId: admitted.sourceStarId };
  const reportFailure = async (failed: FileFailed): Promise<void> => {
    files.filesFailed++;
    options.onFile?.({ ...who, status: 'failed', file: failed });
    await stream.write(encodeJsonFrame(FrameType.fileFailed, failed));
  };
  try {
    for (;;) {
      const frame = await stream.read();
      if (frame === undefined) return;
      if (frame.type === FrameType.bye) {
        await stream.write(encodeJsonFrame(FrameType.bye, { totals: { ...files, ...counters } }));
        await stream.end();
        return;
      }
      const verdict = await receiveFile(frame, rc);
      if ('failed' in verdict) {
        await reportFailure(verdict.failed);
        continue;
      }
      const { ok } = verdict;
      files.filesOk++;
      if (ok.unchanged) files.filesUnchanged++;
      files.bytesWritten += ok.bytesWritten;
      files.chunksReused += ok.chunksReused;
      options.onFile?.({ ...who, status: 'ok', file: ok });
      await stream.write(encodeJsonFrame(FrameType.fileOk, ok));
    }
  } catch (error) {
    if (error instanceof DataPlaneError && error.reason === 'protocol') await sendReject(stream, error);
    throw error;
  }
}

interface Admitted {
  readonly jobId: string;
  readonly sourceStarId: string;
  readonly root: string;
  readonly chunking: ChunkingOptions;
  readonly openIncoming?: OpenIncoming;
}

/** HELLO → ACCEPT, or REJECT with the reason and nothing else happens on this connection. */
async function admit(stream: FrameStream, options: DataPlaneServerOptions): Promise<Admitted | undefined> {
  const frame = await stream.read();
  if (frame === undefined) return undefined;
  try {
    const hello = parseControl(frame, FrameType.hello, helloSchema);
    if (hello.version !== PROTOCOL_VERSION) {
      throw new DataPlaneError(
        'version',
        `sender speaks protocol ${hello.version}, this Star ${PROTOCOL_VERSION}`,
        {
          hint: 'run the same Orbit version on both Stars',
        },
      );
    }
    const chunking = validateChunking(hello.chunking);
    if (chunking.maxSize > MAX_CHUNK_BYTES) {
      throw new DataPlaneError('protocol', `chunk maxSize ${chunking.maxSize} exceeds ${MAX_CHUNK_BYTES}`);
    }
    const claims = await verifyTicket(hello.ticket, options.caCert, {
      now: options.now?.() ?? new Date(),
      expect: { direction: 'send', starId: options.starId },
    });
    const expected = options.expectedJob?.(claims.jobId);
    if (options.expectedJob) requireExpected(claims, expected);
    await stream.write(
      encodeJsonFrame(FrameType.accept, {
        version: PROTOCOL_VERSION,
        starId: options.starId,
        root: claims.path,
      }),
    );
    return {
      jobId: claims.jobId,
      sourceStarId: claims.sourceStarId,
      root: claims.path,
      chunking,
      ...(expected?.openIncoming ? { openIncoming: expected.openIncoming } : {}),
    };
  } catch (error) {
    await sendReject(stream, error);
    throw error;
  }
}

function requireExpected(claims: TicketClaims, expected: { readonly path: string } | undefined): void {
  if (expected === undefined) {
    throw new DataPlaneError(
      'bad-ticket',
      `ticket refused (wrong-job): job ${claims.jobId} is not expected here`,
      {
        hint: 'the Nucleus must tell this Star about the job before the sender connects',
      },
    );
  }
  const root = expected.path;
  if (!(root === '/' || claims.path === root || claims.path.startsWith(`${root}/`))) {
    throw new DataPlaneError(
      'bad-ticket',
      `ticket refused (wrong-path): ticket path ${claims.path} is outside job ${claims.jobId}'s destination ${root}`,
      { path: claims.path, hint: "ask the Nucleus for a ticket for this job's destination" },
    );
  }
}

async function sendReject(stream: FrameStream, error: unknown): Promise<void> {
  await stream.write(encodeJsonFrame(FrameType.reject, rejectOf(error))).catch(() => undefined);
  await stream.end().catch(() => undefined);
}

function rejectOf(error: unknown): Reject {
  if (error instanceof TicketError) {
    const message = `ticket refused (${error.reason}): ${error.message}`;
    return { reason: 'bad-ticket', message, ...hintOf(error) };
  }
  const reason = error instanceof DataPlaneError ? error.reason : 'protocol';
  return { reason, message: messageOf(error), ...hintOf(error) };
}
