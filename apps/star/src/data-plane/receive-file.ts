import { isOrbitError } from '@orbit/engine/errors';
import { isPathDeniedError } from '../security/path-denied-error.ts';
import { DataPlaneError } from './data-plane-error.ts';
import type { FrameStream } from './frame-stream.ts';
import { type IncomingContext, IncomingFile } from './incoming-file.ts';
import type { IncomingTarget, OpenIncoming } from './incoming-target.ts';
import {
  decodeChunkFrame,
  encodeFrame,
  encodeJsonFrame,
  type Frame,
  FrameType,
  frameName,
  MAX_CONTROL_BODY,
} from './wire-frames.ts';
import {
  type ChunkList,
  chunkListSchema,
  type FileAnnounce,
  type FileEnd,
  type FileFailed,
  type FileOk,
  fileAnnounceSchema,
  fileEndSchema,
  parseControl,
  type Ready,
} from './wire-messages.ts';

export interface ReceiveContext {
  readonly stream: FrameStream;
  readonly ctx: IncomingContext;
  /** CHUNK body bytes taken this session (what ACK reports), and as of the last ACK sent. */
  readonly session: { acked: number; ackSent: number };
  readonly openIncoming?: OpenIncoming;
}

/** Below the default window (32 MiB), so a sender streaming at full speed never waits for an ACK. */
const ACK_EVERY_BYTES = 4 * 1024 * 1024;

export type FileVerdict = { readonly ok: FileOk } | { readonly failed: FileFailed };

/**
 * One file from its FILE_BEGIN to the verdict the caller sends. A file that cannot be received is a
 * verdict; a broken link or a protocol error is thrown (the temp file stays for a resume).
 */
export async function receiveFile(frame: Frame, rc: ReceiveContext): Promise<FileVerdict> {
  const announce = parseControl(frame, FrameType.fileBegin, fileAnnounceSchema);
  const opened = await openTarget(announce, rc);
  if ('aborted' in opened) return { failed: opened.aborted };
  const { file } = opened;
  // Until the verdict, any failure of the link leaves the temp file and journal for a resume.
  const received = await receiveChunks(rc, file, announce.path).catch(async (error: unknown) => {
    await file.abandon({ keepForResume: true });
    throw error;
  });
  let failure = received.failure;
  if (failure === undefined) {
    try {
      const ok = file instanceof IncomingFile ? await file.finish(received.end.hash) : await file.finish();
      return { ok };
    } catch (error) {
      failure = error;
    }
  }
  // A FILE_END with chunks missing keeps what arrived; bad or abandoned content is removed.
  const keep = failure instanceof DataPlaneError && failure.reason === 'protocol';
  await file.abandon({ keepForResume: keep });
  return { failed: failureOf(announce.path, failure) };
}

type Opened = { readonly file: IncomingTarget } | { readonly aborted: FileFailed };

/**
 * The target for a FILE_BEGIN, with HAVE sent. Without a chunk list the receiver answers READY:
 * `stream` when it holds nothing to reuse, else `list` and it waits for CHUNK_LIST. A target that
 * cannot be opened is a verdict; a failure of the link is thrown.
 */
async function openTarget(announce: FileAnnounce, rc: ReceiveContext): Promise<Opened> {
  const { stream, ctx, openIncoming } = rc;
  const failed = (error: unknown): Opened => ({ aborted: failureOf(announce.path, error) });
  const open = async (list: ChunkList): Promise<Opened> => {
    const begin = { ...announce, ...list };
    try {
      return { file: await (openIncoming ? openIncoming(begin, ctx) : IncomingFile.open(begin, ctx)) };
    } catch (error) {
      return failed(error);
    }
  };
  let opened: Opened;
  if (announce.hash !== undefined && announce.chunks !== undefined) {
    opened = await open({ hash: announce.hash, chunks: announce.chunks });
  } else if (openIncoming) {
    await stream.write(encodeJsonFrame(FrameType.ready, { mode: 'list' }));
    const list = await readList(rc, announce.path);
    opened = 'aborted' in list ? list : await open(list.list);
  } else {
    let incoming: IncomingFile;
    try {
      incoming = await IncomingFile.start(announce, ctx);
    } catch (error) {
      return failed(error);
    }
    try {
      await stream.write(readyFrame(incoming));
      if (incoming.mode === 'stream') return { file: incoming };
      const list = await readList(rc, announce.path);
      if ('aborted' in list) {
        await incoming.abandon({ keepForResume: false });
        return list;
      }
      try {
        await incoming.plan(list.list);
      } catch (error) {
        await incoming.abandon({ keepForResume: true });
        return failed(error);
      }
    } catch (error) {
      await incoming.abandon({ keepForResume: true });
      throw error;
    }
    opened = { file: incoming };
  }
  if ('file' in opened) {
    const { file } = opened;
    await stream
      .write(encodeJsonFrame(FrameType.have, { have: file.have() }))
      .catch(async (error: unknown) => {
        await file.abandon({ keepForResume: true });
        throw error;
      });
  }
  return opened;
}

/**
 * READY for a file this receiver writes: `stream` (from what a resumed temp file holds), or `list`,
 * with the old file's chunk list when the cache knows it and it fits a control frame.
 */
function readyFrame(incoming: IncomingFile): Uint8Array {
  const from = incoming.streamFrom;
  const ready: Ready = { mode: incoming.mode, ...(from > 0 ? { from } : {}) };
  const guide = incoming.mode === 'list' ? incoming.guide : undefined;
  if (guide === undefined) return encodeJsonFrame(FrameType.ready, ready);
  const chunks = guide.map((chunk): [number, number, string] => [chunk.offset, chunk.length, chunk.hash]);
  const body = new TextEncoder().encode(JSON.stringify({ ...ready, chunks }));
  // A list too long for one frame is left out: the sender then cuts its whole file.
  return body.length <= MAX_CONTROL_BODY
    ? encodeFrame(FrameType.ready, body)
    : encodeJsonFrame(FrameType.ready, ready);
}

/** CHUNK_LIST after READY `list`, or a FILE_END abort when the sender could not read its file. */
async function readList(
  rc: ReceiveContext,
  path: string,
): Promise<{ readonly list: ChunkList } | { readonly aborted: FileFailed }> {
  const frame = await rc.stream.expect(`waiting for the chunk list of ${path}`);
  if (frame.type === FrameType.fileEnd) {
    const end = parseControl(frame, FrameType.fileEnd, fileEndSchema);
    const abort = end.abort ?? 'FILE_END came before the chunk list';
    return { aborted: failureOf(path, abandoned(path, abort)) };
  }
  return { list: parseControl(frame, FrameType.chunkList, chunkListSchema) };
}

/**
 * CHUNK frames until FILE_END, acknowledging each. A bad chunk fails the file, not the session:
 * it is returned and later chunks are acknowledged and dropped. Link errors are thrown.
 */
async function receiveChunks(
  rc: ReceiveContext,
  file: IncomingTarget,
  path: string,
): Promise<{ readonly failure: unknown; readonly end: FileEnd }> {
  const { stream, session } = rc;
  let failure: unknown;
  for (;;) {
    const next = await stream.expect(`receiving ${path}`);
    if (next.type === FrameType.fileEnd) {
      const end = parseControl(next, FrameType.fileEnd, fileEndSchema);
      if (end.abort !== undefined) failure ??= abandoned(path, end.abort);
      // Everything of this file is acknowledged before its verdict: the next file starts level.
      if (session.acked > session.ackSent) {
        session.ackSent = session.acked;
        await stream.write(encodeJsonFrame(FrameType.ack, { bytes: session.acked }));
      }
      return { failure, end };
    }
    if (next.type !== FrameType.chunk) {
      throw new DataPlaneError('protocol', `expected CHUNK or FILE_END, got ${frameName(next.type)}`);
    }
    session.acked += next.body.length;
    if (failure === undefined) {
      try {
        await file.writeChunk(decodeChunkFrame(next.body));
      } catch (error) {
        failure = error;
      }
    }
    // ACKs are cumulative: one when the sender may be waiting (nothing more buffered here), or
    // every ACK_EVERY_BYTES while frames keep coming; a TLS record per chunk costs more than it says.
    if (!stream.hasInput() || session.acked - session.ackSent >= ACK_EVERY_BYTES) {
      session.ackSent = session.acked;
      await stream.write(encodeJsonFrame(FrameType.ack, { bytes: session.acked }));
    }
  }
}

function abandoned(path: string, abort: string): DataPlaneError {
  return new DataPlaneError('source-changed', `the sender abandoned ${path}: ${abort}`);
}

export function failureOf(path: string, error: unknown): FileFailed {
  if (error instanceof DataPlaneError)
    return { path, reason: error.reason, message: error.message, ...hintOf(error) };
  if (isPathDeniedError(error))
    return { path, reason: 'path-denied', message: error.message, hint: error.hint };
  return { path, reason: 'io', message: messageOf(error), ...hintOf(error) };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function hintOf(error: unknown): { hint?: string } {
  return isOrbitError(error) && error.hint ? { hint: error.hint } : {};
}
