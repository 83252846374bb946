import {
  type ChunkingOptions,
  DEFAULT_CHUNKING,
  validateChunking,
} from '@orbit/engine/chunking/chunking-options';
import { type CompressionSetting, DEFAULT_COMPRESSION } from '@orbit/engine/compression/compression-setting';
import { type ChecksumAlgorithm, DEFAULT_CHECKSUM } from '@orbit/engine/hashing/checksum-algorithm';
import { getHashAlgorithm } from '@orbit/engine/hashing/hash-registry';
import type { PathJail } from '../security/path-jail.ts';
import { DataPlaneError, isRetryable } from './data-plane-error.ts';
import {
  CUT_AHEAD_BYTES,
  countCut,
  type OutgoingFile,
  prepareOutgoing,
  unchangedSince,
} from './outgoing-file.ts';
import { OutgoingPrefetch } from './outgoing-prefetch.ts';
import { connectPinned } from './pinned-connection.ts';
import { emptyCounters, type FilePushOutcome, type PushCounters, PushSession } from './push-session.ts';
import { MAX_CHUNK_BYTES } from './wire-frames.ts';

export type { FilePushOutcome, PushCounters } from './push-session.ts';

export interface PushProgress {
  /** The file being sent, relative to the source root. */
  readonly path: string;
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly counters: Readonly<PushCounters>;
  /** Set on the call made when `path` is finished. */
  readonly outcome?: FilePushOutcome;
}

/** A ticket for one connection, and the receiver's pin when the Nucleus names a newer one. */
export interface ConnectionGrant {
  readonly ticket: string;
  /** Replaces the pin from this connection on: the receiver renewed its certificate. */
  readonly fingerprint?: string;
}

export interface PushFilesOptions {
  /** The receiving Star's data-plane endpoint, `host:port`. */
  readonly address: string;
  /** SHA-256 (hex) of the receiver's certificate, from the Nucleus' command. */
  readonly fingerprint: string;
  /**
   * A `send` ticket the Nucleus signed for this job, naming the receiver and the destination path;
   * or a function asked for one before every connection, so a reconnect after expiry gets a fresh
   * one (and the pin of a certificate the receiver renewed meanwhile).
   */
  readonly ticket: string | (() => string | ConnectionGrant | Promise<string | ConnectionGrant>);
  /** Paths relative to `sourceRoot`; each lands at the same relative path under the ticket's path. */
  readonly files: readonly string[];
  readonly sourceRoot: string;
  /** Every source path is opened through it for reading. */
  readonly jail: PathJail;
  readonly compression?: CompressionSetting;
  readonly chunking?: ChunkingOptions;
  readonly algorithm?: ChecksumAlgorithm;
  /** New connections after a drop before giving up; each waits twice as long as the one before. */
  readonly retries?: number;
  readonly retryDelayMs?: number;
  /** Files up to this size are cut before they are announced; larger ones may stream (PROTOCOL.md). */
  readonly cutAheadBytes?: number;
  /** Payload bytes sent but not yet acknowledged by the receiver. */
  readonly windowBytes?: number;
  readonly idleTimeoutMs?: number;
  readonly onProgress?: (progress: PushProgress) => void;
  readonly signal?: AbortSignal;
}

export interface PushResult {
  readonly counters: PushCounters;
  /** One outcome per requested file, in order. A refused file does not stop the others. */
  readonly files: readonly FilePushOutcome[];
  /** What the receiver reported in its BYE. */
  readonly receiverTotals: Readonly<Record<string, number>>;
}

const DEFAULT_RETRIES = 5;
const DEFAULT_RETRY_DELAY_MS = 250;
const MAX_RETRY_DELAY_MS = 10_000;
const DEFAULT_WINDOW_BYTES = 32 * 1024 * 1024;
/**
 * Long on purpose: either side may be silent while it hashes a large file before answering.
 * A peer that vanished is found sooner by TCP keepalive.
 */
const DEFAULT_IDLE_TIMEOUT_MS = 10 * 60_000;

/**
 * Sends files to a receiving Star over one pinned TLS connection, only the chunks it lacks.
 * A dropped connection is retried with backoff and the file in flight resumes where the
 * receiver's journal left it; a refusal (ticket, certificate pin, protocol) is thrown at once, except
 * a pin mismatch when the ticket source may name the receiver's renewed certificate.
 */
export async function pushFiles(options: PushFilesOptions): Promise<PushResult> {
  const algorithm = getHashAlgorithm(options.algorithm ?? DEFAULT_CHECKSUM);
  if (algorithm.hexLength === 0) {
    throw new DataPlaneError('protocol', 'the data plane needs a real checksum algorithm, not "none"', {
      keyPath: 'algorithm',
      hint: 'use "blake3" (the default) or "sha256"',
    });
  }
  const chunking = validateChunking(options.chunking ?? DEFAULT_CHUNKING);
  if (chunking.maxSize > MAX_CHUNK_BYTES) {
    throw new DataPlaneError('protocol', `chunking maxSize ${chunking.maxSize} exceeds the wire limit`, {
      keyPath: 'chunking.maxSize',
      hint: `use at most ${MAX_CHUNK_BYTES} bytes`,
    });
  }
  const { host, port } = parseAddress(options.address);
  const counters = emptyCounters();
  const outcomes: FilePushOutcome[] = [];
  const retries = options.retries ?? DEFAULT_RETRIES;
  let current: OutgoingFile | undefined;
  let failures = 0;
  let pin = options.fingerprint;
  const progress = (path: string, outcome?: FilePushOutcome): void =>
    options.onProgress?.({
      path,
      filesDone: outcomes.length,
      filesTotal: options.files.length,
      counters,
      ...(outcome ? { outcome } : {}),
    });

  const prefetch = new OutgoingPrefetch((path) =>
    prepareOutgoing(options.jail, options.sourceRoot, path, {
      chunking,
      algorithm,
      signal: options.signal,
      cutAheadBytes: options.cutAheadBytes ?? CUT_AHEAD_BYTES,
    }),
  );
  const settle = (outcome: FilePushOutcome): void => {
    outcomes.push(outcome);
    progress(outcome.path, outcome);
  };

  // Another certificate than the pin, from a ticket source that can name a newer pin: the receiver
  // may have renewed (the Nucleus records the new certificate before the receiver presents it), so
  // ask again within the retry budget. A pin never matched still ends the push with the mismatch.
  const mayRepin = (error: unknown): boolean =>
    typeof options.ticket === 'function' &&
    error instanceof DataPlaneError &&
    error.reason === 'fingerprint-mismatch';

  // The first file is chunked while the connection is being set up.
  prefetch.start(options.files[0]);
  try {
    for (;;) {
      const sentBefore = counters.newBytes + outcomes.length;
      try {
        // Asked before dialling: a ticket can take a while (the Nucleus may be restarting), and an
        // idle connection would time out at the receiver meanwhile.
        const granted = typeof options.ticket === 'string' ? options.ticket : await options.ticket();
        const ticket = typeof granted === 'string' ? granted : granted.ticket;
        if (typeof granted !== 'string' && granted.fingerprint) pin = granted.fingerprint;
        const stream = await connectPinned({
          host,
          port,
          fingerprint: pin,
          idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
          signal: options.signal,
        });
        counters.connections++;
        const session = new PushSession(stream, {
          algorithm,
          chunking,
          compression: options.compression ?? DEFAULT_COMPRESSION,
          windowBytes: options.windowBytes ?? DEFAULT_WINDOW_BYTES,
          counters,
          signal: options.signal,
          onProgress: progress,
        });
        try {
          await session.hello(ticket);
          while (outcomes.length < options.files.length) {
            const path = options.files[outcomes.length] ?? '';
            if (current === undefined || !(await unchangedSince(current))) {
              await current?.handle.close();
              current = undefined;
              try {
                current = await prefetch.take(path);
                if (current.cut) countCut(counters, current.cut);
              } catch (error) {
                if (isRetryable(error) || options.signal?.aborted) throw error;
                counters.filesFailed++;
                settle(localFailure(path, error));
                continue;
              }
            }
            prefetch.start(options.files[outcomes.length + 1]);
            const outcome = await session.pushFile(current);
            await current.handle.close();
            current = undefined;
            settle(outcome);
          }
          const receiverTotals = await session.bye();
          return { counters, files: outcomes, receiverTotals };
        } finally {
          stream.destroy();
        }
      } catch (error) {
        if (!(isRetryable(error) || mayRepin(error)) || options.signal?.aborted) throw error;
        // Progress since the last drop means the link works; the retry budget is for dead links.
        if (counters.newBytes + outcomes.length > sentBefore) failures = 0;
        failures++;
        if (failures > retries) {
          if (!isRetryable(error)) throw error;
          throw new DataPlaneError(
            'connection',
            `gave up after ${retries} retries: ${(error as Error).message}`,
            {
              hint: 'check that the receiving Star is running and reachable, then push again (it resumes)',
              cause: error,
            },
          );
        }
        await sleep(
          Math.min(
            MAX_RETRY_DELAY_MS,
            (options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS) * 2 ** (failures - 1),
          ),
          options.signal,
        );
      }
    }
  } finally {
    await current?.handle.close();
    await prefetch.dispose();
  }
}

/** A source file that cannot be read fails on its own; the rest of the push goes on. */
function localFailure(path: string, error: unknown): FilePushOutcome {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof DataPlaneError) {
    return {
      path,
      status: 'failed',
      reason: error.reason,
      message,
      ...(error.hint ? { hint: error.hint } : {}),
    };
  }
  return { path, status: 'failed', reason: 'io', message };
}

function parseAddress(address: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(address);
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (host === undefined || !(port > 0 && port < 65536)) {
    throw new DataPlaneError('protocol', `address ${JSON.stringify(address)} is not host:port`, {
      keyPath: 'address',
      hint: 'e.g. "10.0.0.7:7443" or "[::1]:7443"',
    });
  }
  return { host, port };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
