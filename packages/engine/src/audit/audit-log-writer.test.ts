import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OrbitError } from '../errors.ts';
import { auditHeadPath } from './audit-head.ts';
import { AuditLogWriter } from './audit-log-writer.ts';
import { repairAuditLog } from './audit-repair.ts';
import { fileEventFixture } from './audit-test-fixtures.ts';
import { verifyAuditLog } from './audit-verify.ts';

const key = 'writer-test-key-0123456789';
let dir: string;
let log: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orbit-audit-writer-'));
  log = join(dir, 'logs', 'audit.jsonl');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeLines(count: number, from = 1): Promise<void> {
  const writer = await AuditLogWriter.open(log, key);
  for (let n = from; n < from + count; n++) await writer.append(fileEventFixture(n));
  await writer.close();
}

async function expectRefused(pattern: RegExp): Promise<OrbitError> {
  const error = await AuditLogWriter.open(log, key).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OrbitError);
  const orbitError = error as OrbitError;
  expect(orbitError.code).toBe('AUDIT_TAMPERED');
  expect(orbitError.message).toMatch(pattern);
  return orbitError;
}

describe('AuditLogWriter', () => {
  it('writes a chain of thousands of lines that verifies', async () => {
    await writeLines(3000);
    const report = await verifyAuditLog(log, key);
    expect(report).toMatchObject({ ok: true, lines: 3000, problems: [], anchor: 'verified' });
    expect(report.last?.seq).toBe(3000);
  });

  it('continues the chain when reopened', async () => {
    await writeLines(3);
    await writeLines(2, 4);
    const lines = (await readFile(log, 'utf8')).trim().split('\n');
    const third = JSON.parse(lines[2] ?? '') as { mac: string };
    const fourth = JSON.parse(lines[3] ?? '') as { seq: number; prev: string };
    expect(fourth).toMatchObject({ seq: 4, prev: third.mac });
    expect((await verifyAuditLog(log, key)).ok).toBe(true);
  });

  it('keeps the chain valid under concurrent appends', async () => {
    const writer = await AuditLogWriter.open(log, key);
    const records = await Promise.all(
      Array.from({ length: 300 }, (_, index) => writer.append(fileEventFixture(index + 1))),
    );
    await writer.close();
    expect(records.map((record) => record.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 300 }, (_, index) => index + 1),
    );
    expect(await verifyAuditLog(log, key)).toMatchObject({ ok: true, lines: 300 });
  });

  it('refuses to append to an edited log, naming the line, and leaves it untouched', async () => {
    await writeLines(5);
    const text = await readFile(log, 'utf8');
    const edited = text.replace('dir/file-3.bin', 'dir/file-X.bin');
    await writeFile(log, edited);
    const error = await expectRefused(/line 3/);
    expect(error.location).toMatchObject({ file: log, line: 3 });
    expect(await readFile(log, 'utf8')).toBe(edited);
  });

  it('refuses a log written with another key', async () => {
    await writeLines(2);
    const error = await AuditLogWriter.open(log, 'a-different-key').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OrbitError);
    expect((error as OrbitError).message).toMatch(/line 1/);
  });

  it('detects a truncated tail through the head anchor', async () => {
    await writeLines(6);
    const lines = (await readFile(log, 'utf8')).split('\n');
    await writeFile(log, `${lines.slice(0, 4).join('\n')}\n`);
    const report = await verifyAuditLog(log, key);
    expect(report.ok).toBe(false);
    expect(report.anchor).toBe('mismatch');
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: 'truncated', line: 5, message: expect.stringMatching(/2 line/) }),
    ]);
    await expectRefused(/removed from the end/);
  });

  it('detects a log emptied behind its anchor', async () => {
    await writeLines(2);
    await writeFile(log, '');
    await expectRefused(/empty/);
  });

  it('detects a forged head anchor', async () => {
    await writeLines(2);
    const head = JSON.parse(await readFile(auditHeadPath(log), 'utf8')) as Record<string, unknown>;
    await writeFile(auditHeadPath(log), JSON.stringify({ ...head, seq: 1 }));
    const report = await verifyAuditLog(log, key);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'anchor-mismatch' })]);
  });

  it('reports a torn last line, refuses to append, and repairs it without losing the bytes', async () => {
    await writeLines(3);
    const whole = await readFile(log, 'utf8');
    const torn = '{"type":"file","run_id":"run-te';
    await writeFile(log, whole + torn);

    const report = await verifyAuditLog(log, key);
    expect(report.tornTail?.line).toBe(4);
    expect(report.problems).toEqual([
      expect.objectContaining({ line: 4, kind: 'malformed', message: expect.stringMatching(/--repair/) }),
    ]);
    const refused = await expectRefused(/line 4/);
    expect(refused.hint).toMatch(/--repair/);

    const repaired = await repairAuditLog(log, key);
    expect(repaired.report.ok).toBe(true);
    expect(repaired.tornSavedTo).not.toBeNull();
    expect(await readFile(repaired.tornSavedTo ?? '', 'utf8')).toBe(torn);
    expect(await readFile(log, 'utf8')).toBe(whole);
    await writeLines(1, 4);
    expect(await verifyAuditLog(log, key)).toMatchObject({ ok: true, lines: 4 });
  });

  it('refuses to "repair" tampering', async () => {
    await writeLines(3);
    const text = await readFile(log, 'utf8');
    await writeFile(log, text.replace('file-2', 'file-9'));
    await expect(repairAuditLog(log, key)).rejects.toMatchObject({ code: 'AUDIT_TAMPERED' });
    expect((await stat(log)).size).toBe(text.length);
  });

  it('refuses an invalid event and a missing key with clear errors', async () => {
    await expect(AuditLogWriter.open(log, '')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      hint: expect.stringMatching(/ORBIT_AUDIT_KEY/),
    });
    const writer = await AuditLogWriter.open(log, key);
    const bad = { ...fileEventFixture(1), size: -1 };
    await expect(writer.append(bad)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      location: { keyPath: 'size' },
    });
    await writer.append(fileEventFixture(1));
    await writer.close();
    expect(await verifyAuditLog(log, key)).toMatchObject({ ok: true, lines: 1 });
  });

  it('fsyncs and anchors after a job event without an explicit flush', async () => {
    const writer = await AuditLogWriter.open(log, key);
    await writer.append(fileEventFixture(1));
    await writer.append({
      type: 'job',
      run_id: 'run-test',
      timestamp: '2026-01-01T00:00:00.000Z',
      job: 'job-a',
      mode: 'copy',
      source: '/src',
      destination: '/dst',
      bytes: 10,
      bytes_written: 10,
      duration_ms: 5,
      compression: 'none',
      checksum: 'blake3',
      checksum_match: true,
      status: 'succeeded',
      retries: 0,
      starmap_node: null,
      chunks_reused: 0,
    });
    const head = JSON.parse(await readFile(auditHeadPath(log), 'utf8')) as { seq: number };
    expect(head.seq).toBe(2);
    await writer.close();
  });

  it('allows one writer per log', async () => {
    const writer = await AuditLogWriter.open(log, key);
    await expect(AuditLogWriter.open(log, key)).rejects.toMatchObject({
      code: 'IO',
      message: expect.stringMatching(/in use by process/),
    });
    await writer.close();
    const reopened = await AuditLogWriter.open(log, key);
    await reopened.close();
  });

  it('names a missing log clearly', async () => {
    await expect(verifyAuditLog(join(dir, 'nope.jsonl'), key)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
