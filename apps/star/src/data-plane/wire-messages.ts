import { CHECKSUM_ALGORITHMS } from '@orbit/engine/hashing/checksum-algorithm';
import { z } from 'zod';
import { DATA_PLANE_REASONS, DataPlaneError } from './data-plane-error.ts';
import { decodeJsonBody, type Frame, type FrameType, frameName } from './wire-frames.ts';

const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const reason = z.enum(DATA_PLANE_REASONS);

export const helloSchema = z.object({
  version: z.number().int().positive(),
  ticket: z.string().min(1).max(8192),
  chunking: z.object({ minSize: count, avgSize: count, maxSize: count }),
});
export const acceptSchema = z.object({
  version: z.number().int().positive(),
  starId: z.string(),
  root: z.string(),
});
export const rejectSchema = z.object({ reason, message: z.string(), hint: z.string().optional() });

/** One chunk of the file: `[offset, length, hash]`, in order, covering the file exactly. */
export const chunkTupleSchema = z.tuple([count, count, z.string().regex(/^[0-9a-f]{1,128}$/)]);
const hexHash = z.string().regex(/^[0-9a-f]{1,128}$/);
const fileMeta = {
  path: z.string().min(1).max(4096),
  size: count,
  mode: z.number().int().min(0).max(0o7777),
  mtimeMs: z.number().finite(),
  algorithm: z.enum(CHECKSUM_ALGORITHMS),
  /** `[uid, gid]` of the source file; a receiver running as root gives the file that owner. */
  owner: z.tuple([count, count]).optional(),
  /** The source file has holes: the receiver leaves its zero pages as holes too. */
  sparse: z.literal(true).optional(),
};
/** A file with its whole chunk list: what a receiving target works from. */
export const fileBeginSchema = z.object({ ...fileMeta, hash: hexHash, chunks: z.array(chunkTupleSchema) });
/**
 * FILE_BEGIN on the wire: with `hash` and `chunks` when the sender has cut the file already, or
 * without both, so the receiver can ask for a stream (nothing to reuse) before the file is cut.
 */
export const fileAnnounceSchema = z
  .object({ ...fileMeta, hash: hexHash.optional(), chunks: z.array(chunkTupleSchema).optional() })
  .refine((begin) => (begin.hash === undefined) === (begin.chunks === undefined), {
    message: 'hash and chunks come together or not at all',
    path: ['chunks'],
  });
/**
 * The receiver's answer to a FILE_BEGIN without chunks: stream the file (from `from`, the prefix a
 * resumed temp file holds), or send the chunk list first; with `chunks`, the old file's chunk list,
 * which the sender may cut its file along.
 */
export const readySchema = z.object({
  mode: z.enum(['stream', 'list']),
  from: count.optional(),
  chunks: z.array(chunkTupleSchema).optional(),
});
/** The whole file's hash and chunk list, after READY `list`. */
export const chunkListSchema = z.object({ hash: hexHash, chunks: z.array(chunkTupleSchema) });
/** Indices into FILE_BEGIN's chunk list the receiver already holds. */
export const haveSchema = z.object({ have: z.array(count) });
/** Cumulative CHUNK payload bytes the receiver has written this session. */
export const ackSchema = z.object({ bytes: count });
/** `hash` is the whole file's, required after a streamed file (it was not known at FILE_BEGIN). */
export const fileEndSchema = z.object({ abort: z.string().optional(), hash: hexHash.optional() });
export const fileOkSchema = z.object({
  path: z.string(),
  hash: z.string(),
  unchanged: z.boolean(),
  chunksReused: count,
  bytesWritten: count,
});
export const fileFailedSchema = z.object({
  path: z.string(),
  reason,
  message: z.string(),
  hint: z.string().optional(),
});
export const byeSchema = z.object({ totals: z.record(z.string(), count) });

export type Hello = z.infer<typeof helloSchema>;
export type Accept = z.infer<typeof acceptSchema>;
export type Reject = z.infer<typeof rejectSchema>;
export type FileBegin = z.infer<typeof fileBeginSchema>;
export type FileAnnounce = z.infer<typeof fileAnnounceSchema>;
export type ChunkList = z.infer<typeof chunkListSchema>;
export type Ready = z.infer<typeof readySchema>;
export type FileEnd = z.infer<typeof fileEndSchema>;
export type FileOk = z.infer<typeof fileOkSchema>;
export type FileFailed = z.infer<typeof fileFailedSchema>;
export type Bye = z.infer<typeof byeSchema>;

/** Checks a control frame's type and body; a mismatch is a protocol error naming both. */
export function parseControl<T>(frame: Frame, type: FrameType, schema: z.ZodType<T>): T {
  if (frame.type !== type) {
    throw new DataPlaneError('protocol', `expected a ${frameName(type)} frame, got ${frameName(frame.type)}`);
  }
  const parsed = schema.safeParse(decodeJsonBody(frame));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || '(body)';
    throw new DataPlaneError(
      'protocol',
      `${frameName(type)} frame: ${where}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}
