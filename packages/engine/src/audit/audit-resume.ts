import { open } from 'node:fs/promises';
import { blake3Algorithm } from '../hashing/blake3-algorithm.ts';
import type { IncrementalHash } from '../hashing/hash-algorithm.ts';
import { checkAuditRecord } from './audit-chain-check.ts';
import { readAuditAnchor } from './audit-head.ts';
import { validateAuditEvent } from './audit-verify.ts';

const READ_BLOCK = 8 * 1024 * 1024;

export interface AuditResumePoint {
  readonly last: { readonly seq: number; readonly mac: string };
  /** BLAKE3 state over the whole log as it is now, for the next anchor. */
  readonly prefixHash: IncrementalHash;
}

/**
 * Where an append continues, checked from the `.head` anchor instead of line by line from line 1:
 * the log's first `bytes` bytes must hash to the anchor's `prefix_blake3` (so they are exactly
 * what the writer wrote and anchored, at hashing speed, not HMAC-per-line speed), and every line
 * after them must verify and link on. Undefined means "verify the whole log": there is no usable
 * anchor or anything differs, and the full check names the line.
 */
export async function resumeFromAnchor(
  path: string,
  key: Uint8Array,
  size: number,
): Promise<AuditResumePoint | undefined> {
  const anchor = await readAuditAnchor(path, key);
  if (anchor?.bytes === undefined || anchor.prefix_blake3 === undefined || anchor.bytes > size) {
    return undefined;
  }
  const prefixHash = blake3Algorithm.create();
  const tail = await hashPrefixReadTail(path, anchor.bytes, size, prefixHash);
  if (prefixHash.digest() !== anchor.prefix_blake3) return undefined;
  const text = new TextDecoder().decode(tail);
  if (text !== '' && !text.endsWith('\n')) return undefined;
  let last = { seq: anchor.seq, mac: anchor.last_mac };
  for (const raw of text.split('\n').slice(0, -1)) {
    const record = parseLine(raw, key);
    if (record?.seq !== last.seq + 1 || record.prev !== last.mac) return undefined;
    last = { seq: record.seq, mac: record.mac };
  }
  prefixHash.update(tail);
  return { last, prefixHash };
}

/** BLAKE3 state over a whole log, for a writer that had to verify it line by line. */
export async function hashWholeLog(path: string, size: number): Promise<IncrementalHash> {
  const hash = blake3Algorithm.create();
  const tail = await hashPrefixReadTail(path, size, size, hash);
  hash.update(tail);
  return hash;
}

/** Feeds bytes [0, prefix) to `hash` and returns bytes [prefix, size). */
async function hashPrefixReadTail(
  path: string,
  prefix: number,
  size: number,
  hash: IncrementalHash,
): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const block = new Uint8Array(Math.min(READ_BLOCK, Math.max(1, prefix)));
    let position = 0;
    while (position < prefix) {
      const want = Math.min(block.length, prefix - position);
      const { bytesRead } = await handle.read(block, 0, want, position);
      if (bytesRead === 0) break;
      hash.update(block.subarray(0, bytesRead));
      position += bytesRead;
    }
    const tail = new Uint8Array(size - prefix);
    let filled = 0;
    while (filled < tail.length) {
      const { bytesRead } = await handle.read(tail, filled, tail.length - filled, prefix + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return tail.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

function parseLine(
  raw: string,
  key: Uint8Array,
): { seq: number; prev: string | null; mac: string } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const { problems, checked } = checkAuditRecord(value, 0, key, validateAuditEvent);
  return problems.length === 0 && checked?.macValid ? checked : undefined;
}
