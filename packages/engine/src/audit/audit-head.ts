import { readFile, rename } from 'node:fs/promises';
import process from 'node:process';
import { z } from 'zod';
import { createTempFile } from '../transfer/atomic-file.ts';
import { type AuditKey, computeAuditMac, hasValidAuditMac } from './audit-chain.ts';

/**
 * The `.head` anchor beside a log: the last seq and mac the writer made durable, signed with the
 * same key. Truncating the log's tail is invisible in the log itself; against the anchor it is not.
 * It is replaced atomically (temp file, fsync, rename), so it is either the old or the new anchor.
 */
const anchorSchema = z.strictObject({
  kind: z.literal('orbit-audit-head'),
  seq: z.number().int().nonnegative(),
  /** The mac of the log line with `seq`. */
  last_mac: z.string(),
  /** The log's length in bytes up to the end of that line, where a writer resumes checking. */
  bytes: z.number().int().nonnegative().optional(),
  /** BLAKE3 of those `bytes` bytes: an append re-hashes the prefix instead of re-checking each line. */
  prefix_blake3: z.string().optional(),
  /** This anchor's own mac. */
  mac: z.string(),
});

export function auditHeadPath(logPath: string): string {
  return `${logPath}.head`;
}

export type AuditAnchor = z.infer<typeof anchorSchema>;

export async function writeAuditAnchor(
  logPath: string,
  key: AuditKey,
  last: { readonly seq: number; readonly mac: string },
  prefix: { readonly bytes: number; readonly blake3: string },
): Promise<void> {
  const body = {
    kind: 'orbit-audit-head' as const,
    seq: last.seq,
    last_mac: last.mac,
    bytes: prefix.bytes,
    prefix_blake3: prefix.blake3,
  };
  const anchor = { ...body, mac: computeAuditMac(key, body) };
  const target = auditHeadPath(logPath);
  const temp = `${target}.tmp-${process.pid}`;
  const handle = await createTempFile(temp, 0o644);
  try {
    await handle.writeFile(`${JSON.stringify(anchor)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, target);
}

/** The anchor beside `logPath` when it parses and its mac matches `key`; undefined otherwise. */
export async function readAuditAnchor(logPath: string, key: AuditKey): Promise<AuditAnchor | undefined> {
  try {
    const anchor = anchorSchema.parse(JSON.parse(await readFile(auditHeadPath(logPath), 'utf8')));
    return hasValidAuditMac(key, anchor) ? anchor : undefined;
  } catch {
    return undefined;
  }
}

export interface AuditAnchorCheck {
  readonly status: 'verified' | 'absent' | 'mismatch';
  readonly problem: { line: number; kind: 'truncated' | 'anchor-mismatch'; message: string } | null;
}

export async function checkAuditAnchor(
  logPath: string,
  key: AuditKey,
  parsed: readonly { readonly line: number; readonly seq: number; readonly mac: string }[],
  lines: number,
): Promise<AuditAnchorCheck> {
  const path = auditHeadPath(logPath);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'absent', problem: null };
    throw error;
  }
  const after = lines + 1;
  const mismatch = (message: string): AuditAnchorCheck => ({
    status: 'mismatch',
    problem: { line: after, kind: 'anchor-mismatch', message },
  });
  let anchor: z.infer<typeof anchorSchema>;
  try {
    anchor = anchorSchema.parse(JSON.parse(text));
  } catch {
    return mismatch(`the head anchor ${path} is unreadable; it was damaged or replaced`);
  }
  if (!hasValidAuditMac(key, anchor)) {
    return mismatch(`the head anchor ${path} was changed without the key (its mac does not match)`);
  }
  if (anchor.seq === 0) return { status: 'verified', problem: null };
  const lastSeq = parsed.at(-1)?.seq ?? 0;
  if (lastSeq < anchor.seq) {
    return {
      status: 'mismatch',
      problem: {
        line: after,
        kind: 'truncated',
        message: `the log ends at seq ${lastSeq} but its head anchor ${path} records seq ${anchor.seq}: ${anchor.seq - lastSeq} line(s) were removed from the end`,
      },
    };
  }
  const anchored = parsed.find((entry) => entry.seq === anchor.seq);
  if (anchored === undefined || anchored.mac !== anchor.last_mac) {
    return mismatch(
      `seq ${anchor.seq} in the log does not match the head anchor ${path}: the log was replaced or rewritten`,
    );
  }
  return { status: 'verified', problem: null };
}
