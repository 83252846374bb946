import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OrbitError } from '../errors.ts';
import { makeTempDir } from '../transfer/transfer-test-fixtures.ts';
import { computeAuditMac, resolveAuditKey } from './audit-chain.ts';
import { auditHeadPath, readAuditAnchor, writeAuditAnchor } from './audit-head.ts';
import { AuditLogWriter } from './audit-log-writer.ts';
import { resumeFromAnchor } from './audit-resume.ts';
import { fileEventFixture } from './audit-test-fixtures.ts';
import { verifyAuditLog } from './audit-verify.ts';

const key = 'resume-test-key-0123456789';
let dir: string;
let cleanup: () => Promise<void>;
let log: string;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir('audit-resume'));
  log = join(dir, 'audit.jsonl');
});
afterEach(() => cleanup());

async function sizeOf(path: string): Promise<number> {
  return (await readFile(path)).length;
}

/** A log whose writer died after anchoring `anchored` lines and writing `unanchored` more. */
async function crashedLog(anchored: number, unanchored: number): Promise<string> {
  const writer = await AuditLogWriter.open(log, key);
  for (let n = 1; n <= anchored; n++) await writer.append(fileEventFixture(n));
  await writer.flush();
  for (let n = anchored + 1; n <= anchored + unanchored; n++) await writer.append(fileEventFixture(n));
  // Copied while the writer still holds the log: what a SIGKILL would leave on disk.
  const crashed = join(dir, 'crashed.jsonl');
  await copyFile(log, crashed);
  await copyFile(auditHeadPath(log), auditHeadPath(crashed));
  await writer.close();
  return crashed;
}

describe('appending from the head anchor', () => {
  it('anchors the byte length and BLAKE3 of the log, and resumes from them', async () => {
    const writer = await AuditLogWriter.open(log, key);
    for (let n = 1; n <= 4; n++) await writer.append(fileEventFixture(n));
    await writer.close();
    const anchor = await readAuditAnchor(log, key);
    expect(anchor).toMatchObject({ seq: 4, bytes: await sizeOf(log) });
    expect(anchor?.prefix_blake3).toMatch(/^[0-9a-f]{64}$/);
    const point = await resumeFromAnchor(log, resolveAuditKey(key), await sizeOf(log));
    expect(point?.last).toEqual({ seq: 4, mac: anchor?.last_mac });
  });

  it('checks and continues the lines a killed writer left after its last anchor', async () => {
    const crashed = await crashedLog(3, 2);
    const point = await resumeFromAnchor(crashed, resolveAuditKey(key), await sizeOf(crashed));
    expect(point?.last.seq).toBe(5);
    const writer = await AuditLogWriter.open(crashed, key);
    await writer.append(fileEventFixture(6));
    await writer.close();
    expect(await verifyAuditLog(crashed, key)).toMatchObject({ ok: true, lines: 6, anchor: 'verified' });
  });

  it('refuses an edited line after the anchor, naming it', async () => {
    const crashed = await crashedLog(3, 2);
    const text = await readFile(crashed, 'utf8');
    await writeFile(crashed, text.replace('dir/file-5.bin', 'dir/file-X.bin'));
    expect(await resumeFromAnchor(crashed, resolveAuditKey(key), await sizeOf(crashed))).toBeUndefined();
    const error = await AuditLogWriter.open(crashed, key).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OrbitError);
    expect((error as OrbitError).location).toMatchObject({ line: 5 });
  });

  it('checks a log anchored without a prefix hash line by line, then anchors one', async () => {
    const writer = await AuditLogWriter.open(log, key);
    for (let n = 1; n <= 3; n++) await writer.append(fileEventFixture(n));
    await writer.close();
    const lines = (await readFile(log, 'utf8')).trim().split('\n');
    const third = JSON.parse(lines[2] ?? '') as { mac: string };
    // What an older writer left: seq and mac only.
    const head = auditHeadPath(log);
    await writeAuditAnchor(log, key, { seq: 3, mac: third.mac }, { bytes: 0, blake3: '' });
    const legacy = JSON.parse(await readFile(head, 'utf8')) as Record<string, unknown>;
    delete legacy.bytes;
    delete legacy.prefix_blake3;
    legacy.mac = computeAuditMac(key, legacy);
    await writeFile(head, `${JSON.stringify(legacy)}\n`);
    expect(await resumeFromAnchor(log, resolveAuditKey(key), await sizeOf(log))).toBeUndefined();

    const reopened = await AuditLogWriter.open(log, key);
    await reopened.append(fileEventFixture(4));
    await reopened.close();
    expect(await readAuditAnchor(log, key)).toMatchObject({ seq: 4, bytes: await sizeOf(log) });
    expect(await verifyAuditLog(log, key)).toMatchObject({ ok: true, lines: 4 });
  });
});
