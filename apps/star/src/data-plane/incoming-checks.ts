import type { FileHandle } from 'node:fs/promises';
import type { ChunkingOptions } from '@orbit/engine/chunking/chunking-options';
import { decompressChunk } from '@orbit/engine/compression/compress-chunk';
import type { HashAlgorithm } from '@orbit/engine/hashing/hash-algorithm';
import { getHashAlgorithm } from '@orbit/engine/hashing/hash-registry';
import { keepsOwners } from '@orbit/engine/transfer/ownership';
import { isPathDeniedError } from '../security/path-denied-error.ts';
import type { JailedPath, PathJail } from '../security/path-jail.ts';
import { DataPlaneError } from './data-plane-error.ts';
import { type ChunkFrame, MAX_CHUNK_BYTES } from './wire-frames.ts';
import type { FileAnnounce, FileBegin } from './wire-messages.ts';

/**
 * FILE_BEGIN must describe a whole file: chunks in order from offset 0, each within the
 * session's chunking bounds and the frame limit, hashes of the announced algorithm's length.
 */
export function validateAnnouncedFile(begin: FileBegin, chunking: ChunkingOptions): void {
  const fail = (detail: string): never => {
    throw new DataPlaneError('protocol', `FILE_BEGIN for ${JSON.stringify(begin.path)}: ${detail}`);
  };
  const algorithm = getHashAlgorithm(begin.algorithm);
  if (algorithm.hexLength === 0) fail('the data plane needs a real checksum, not "none"');
  if (begin.hash.length !== algorithm.hexLength) fail(`file hash is not a ${begin.algorithm} digest`);
  const limit = Math.min(chunking.maxSize, MAX_CHUNK_BYTES);
  let offset = 0;
  for (const [index, [at, length, hash]] of begin.chunks.entries()) {
    if (at !== offset) fail(`chunk ${index} starts at ${at}, expected ${offset}`);
    if (length === 0 || length > limit) fail(`chunk ${index} is ${length} bytes, outside 1..${limit}`);
    if (hash.length !== algorithm.hexLength) fail(`chunk ${index} hash is not a ${begin.algorithm} digest`);
    offset += length;
  }
  if (offset !== begin.size) fail(`chunks cover ${offset} bytes, the file has ${begin.size}`);
}

/** A FILE_BEGIN without chunks: a real checksum algorithm, and a hash of its length if one is given. */
export function validateAnnouncedMeta(announce: FileAnnounce): void {
  const algorithm = getHashAlgorithm(announce.algorithm);
  const where = `FILE_BEGIN for ${JSON.stringify(announce.path)}`;
  if (algorithm.hexLength === 0) {
    throw new DataPlaneError('protocol', `${where}: the data plane needs a real checksum, not "none"`);
  }
  if (announce.hash !== undefined && announce.hash.length !== algorithm.hexLength) {
    throw new DataPlaneError('protocol', `${where}: file hash is not a ${announce.algorithm} digest`);
  }
}

/**
 * Resolves a relative path from the sender under the ticket's root through the jail, for writing.
 * The jail refuses `..`, symlink escapes and paths outside the Star's allowed roots; the ticket's
 * root is checked on the jail's normalised result. A symlink at the path itself is not followed.
 */
export async function jailFor(jail: PathJail, root: string, relative: string): Promise<JailedPath> {
  if (relative.startsWith('/') || relative.includes('\0')) {
    throw new DataPlaneError(
      'path-denied',
      `path ${JSON.stringify(relative)} must be relative and NUL-free`,
      {
        path: relative,
        hint: 'send paths relative to the ticket path',
      },
    );
  }
  let resolved: JailedPath;
  try {
    // The file replaces a symlink at its path (as rsync does); it is never written through one.
    resolved = await jail.resolveEntry(root === '/' ? `/${relative}` : `${root}/${relative}`, 'write');
  } catch (error) {
    if (!isPathDeniedError(error)) throw error;
    throw new DataPlaneError('path-denied', error.message, {
      path: relative,
      hint: error.hint,
      cause: error,
    });
  }
  if (!isWithin(resolved.requested, root) || resolved.requested === root) {
    throw new DataPlaneError('path-denied', `${resolved.requested} is not under the ticket path ${root}`, {
      path: relative,
      hint: 'the Nucleus must issue a ticket for the directory that holds this file',
    });
  }
  return resolved;
}

function isWithin(path: string, root: string): boolean {
  return root === '/' || path === root || path.startsWith(`${root}/`);
}

/** A CHUNK's raw bytes: decoded, and exactly as long as it says. */
export function decodedChunk(frame: ChunkFrame, path: string): Uint8Array {
  try {
    return decompressChunk(frame.codec, frame.payload, frame.rawLength);
  } catch (cause) {
    throw new DataPlaneError('checksum', `chunk ${frame.hash} of ${path} does not decode`, { cause });
  }
}

/** Decodes a CHUNK and checks it against its hash before any of it is written. */
export function verifiedChunk(frame: ChunkFrame, algorithm: HashAlgorithm, path: string): Uint8Array {
  const data = decodedChunk(frame, path);
  if (algorithm.hash(data) !== frame.hash) {
    throw new DataPlaneError('checksum', `chunk ${frame.hash} of ${path} does not match its hash`, {
      path,
      hint: 'the bytes were damaged in transit or at the sender; push the file again',
    });
  }
  return data;
}

export async function applyMetadata(handle: FileHandle, announce: FileAnnounce): Promise<void> {
  // The source's owner, as `rsync -a` keeps it: only a Star running as root may give files away.
  if (announce.owner !== undefined && keepsOwners()) {
    const current = await handle.stat();
    const [uid, gid] = announce.owner;
    if (current.uid !== uid || current.gid !== gid) await handle.chown(uid, gid);
  }
  // Permission bits only: a remote peer must not be able to plant setuid or setgid files here.
  await handle.chmod(announce.mode & 0o777);
  await handle.utimes(new Date(), announce.mtimeMs / 1000);
}
