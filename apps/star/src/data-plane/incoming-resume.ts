import { lstat, rm } from 'node:fs/promises';
import type { HashAlgorithm } from '@orbit/engine/hashing/hash-algorithm';
import { partialPathFor } from '@orbit/engine/transfer/atomic-file';
import type { ChunkRef } from '@orbit/engine/transfer/chunk-pass';
import type { JailedPath } from '../security/path-jail.ts';
import type { IncomingContext } from './incoming-file.ts';
import type { IncomingTemp } from './incoming-temp.ts';
import type { IncomingResumePoint } from './receiver-journal.ts';
import type { FileAnnounce } from './wire-messages.ts';

/**
 * The journal of an interrupted transfer to `target`, when it describes the file announced now and
 * its temp file is still there, a regular file of one name; any other journal is dropped with
 * what is at the temp name (a symlink there is removed, never followed).
 */
export async function resumePoint(
  ctx: IncomingContext,
  target: JailedPath,
  announce: FileAnnounce,
): Promise<IncomingResumePoint | undefined> {
  const point = await ctx.journal.load(target.realPath);
  if (point === undefined) return undefined;
  const tempPath = await ctx.jail.resolveEntry(partialPathFor(target.requested), 'write');
  const same =
    point.temp === tempPath.realPath &&
    point.size === announce.size &&
    point.mtimeMs === announce.mtimeMs &&
    point.algorithm === announce.algorithm &&
    (announce.hash === undefined || point.hash === '' || point.hash === announce.hash);
  if (same && tempPath.exists && (await isOwnTemp(tempPath.realPath))) {
    await ctx.journal.touch(target.realPath);
    return point;
  }
  await rm(tempPath.realPath, { force: true });
  await ctx.journal.finish(target.realPath);
  return undefined;
}

/** A temp file this Star may take over: a regular file, not a hard link to some other file. */
export async function isOwnTemp(path: string): Promise<boolean> {
  const stats = await lstat(path).catch(() => undefined);
  return stats?.isFile() === true && stats.nlink === 1;
}

/**
 * The journal of a streamed file has no whole-file hash (it comes at FILE_END): its record says
 * `hash: ""`. Such a file resumes as a stream from the prefix that survived.
 */
export function wasStreamed(point: IncomingResumePoint): boolean {
  return point.hash === '';
}

/** List mode: indices of the new chunk list whose recorded chunk still hashes right in the temp file. */
export async function verifiedRecorded(
  temp: IncomingTemp,
  point: IncomingResumePoint,
  chunks: readonly ChunkRef[],
  algorithm: HashAlgorithm,
): Promise<number[]> {
  const byOffset = new Map(chunks.map((chunk, index) => [chunk.offset, index]));
  const found = new Set<number>();
  for (const recorded of point.chunks) {
    const index = byOffset.get(recorded.offset);
    const chunk = index === undefined ? undefined : chunks[index];
    if (index === undefined || found.has(index)) continue;
    if (chunk?.length !== recorded.length || chunk.hash !== recorded.hash) continue;
    if ((await temp.hashRange(chunk.offset, chunk.length, algorithm)) === chunk.hash) found.add(index);
  }
  return [...found];
}

/**
 * Stream mode: the recorded chunks from offset 0 on, without a gap, that still hash right, each
 * handed to `keep` with its bytes as read (the whole-file hash goes on from them).
 */
export async function verifiedPrefix(
  temp: IncomingTemp,
  point: IncomingResumePoint,
  algorithm: HashAlgorithm,
  keep: (chunk: ChunkRef, data: Uint8Array) => void,
): Promise<void> {
  const byOffset = new Map(point.chunks.map((chunk) => [chunk.offset, chunk]));
  let offset = 0;
  for (;;) {
    const chunk = byOffset.get(offset);
    if (chunk === undefined || chunk.length === 0 || offset + chunk.length > point.size) return;
    const data = await temp.readRange(chunk.offset, chunk.length);
    if (data === undefined || algorithm.hash(data) !== chunk.hash) return;
    keep(chunk, data);
    offset += chunk.length;
  }
}
