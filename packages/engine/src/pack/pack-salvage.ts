import { open, rm } from 'node:fs/promises';
import { decompressChunk } from '../compression/compress-chunk.ts';
import type { HashAlgorithm } from '../hashing/hash-algorithm.ts';
import { getHashAlgorithm } from '../hashing/hash-registry.ts';
import {
  decodeHeader,
  decodeRecordHeader,
  HEADER_SIZE,
  type PackIndexEntry,
  RECORD_HEADER_SIZE,
} from './pack-format.ts';
import { readAt } from './pack-reader.ts';
import { PackWriter, type SealedPack } from './pack-writer.ts';

/** FastCDC's largest chunk (validateChunking): a record claiming more is not one the writer wrote. */
const MAX_RAW_LENGTH = 64 * 1024 * 1024;

/**
 * Keeps the chunks a writer that died (a killed Star or CLI run) left in its unsealed container.
 * Records were appended one after another, so they are read back from the header on and each is
 * checked as a sealed container's would be (record header, decode, hash); the first one cut short
 * or damaged ends the container there, and the records before it are sealed under the container's
 * own name. Undefined, the temp file removed, when no record survived. The caller holds the store
 * lock, so no live writer owns the file.
 */
export async function salvagePack(tempPath: string): Promise<SealedPack | undefined> {
  const entries: PackIndexEntry[] = [];
  let position = HEADER_SIZE;
  const handle = await open(tempPath, 'r');
  try {
    const { size } = await handle.stat();
    const algorithm = headerAlgorithm(await readAt(handle, 0, HEADER_SIZE), tempPath);
    while (algorithm && position + RECORD_HEADER_SIZE <= size) {
      const entry = decodeRecordHeader(await readAt(handle, position, RECORD_HEADER_SIZE), position);
      const end = position + RECORD_HEADER_SIZE + (entry?.storedLength ?? 0);
      if (entry === undefined || entry.rawLength > MAX_RAW_LENGTH || end > size) break;
      if (!intact(entry, await readAt(handle, position + RECORD_HEADER_SIZE, entry.storedLength), algorithm))
        break;
      entries.push(entry);
      position = end;
    }
  } finally {
    await handle.close();
  }
  if (entries.length === 0) {
    await rm(tempPath, { force: true });
    return undefined;
  }
  return (await PackWriter.resume(tempPath, entries, position)).seal();
}

function headerAlgorithm(bytes: Uint8Array, where: string): HashAlgorithm | undefined {
  try {
    return getHashAlgorithm(decodeHeader(bytes, where).hashAlgorithm);
  } catch {
    // Not even a whole header: the writer died as it created the file.
    return undefined;
  }
}

function intact(entry: PackIndexEntry, stored: Uint8Array, algorithm: HashAlgorithm): boolean {
  try {
    return algorithm.hash(decompressChunk(entry.codec, stored, entry.rawLength)) === entry.hash;
  } catch {
    return false;
  }
}
