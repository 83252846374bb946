import { describe, expect, it } from 'vitest';
import { linkAuditRecord } from './audit-chain.ts';
import { verifyAuditRecords } from './audit-chain-check.ts';
import type { AuditRecord } from './audit-events.ts';
import { fileEventFixture } from './audit-test-fixtures.ts';
import { verifyAuditText } from './audit-verify.ts';

const key = 'verify-test-key-0123456789';

function chain(count: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let n = 1; n <= count; n++)
    records.push(linkAuditRecord(records.at(-1) ?? null, fileEventFixture(n), key));
  return records;
}

function text(records: readonly object[]): string {
  return records.map((record) => `${JSON.stringify(record)}\n`).join('');
}

function problemsOf(records: readonly object[]) {
  return verifyAuditText(text(records), key).problems.map(({ line, kind }) => ({ line, kind }));
}

describe('verifyAuditText', () => {
  it('accepts an intact chain', () => {
    expect(verifyAuditText(text(chain(20)), key)).toMatchObject({ lines: 20, problems: [] });
  });

  it('says the key is wrong, once, when no line matches its mac', () => {
    const problems = verifyAuditText(text(chain(8)), 'another-key-0123456789').problems;
    expect(problems).toEqual([expect.objectContaining({ line: 1, kind: 'wrong-key' })]);
    expect(problems[0]?.message).toContain('none of the 8 lines');
  });

  it('names an edited line as bad-mac', () => {
    const records = chain(10);
    const edited = records.map((record, index) => (index === 6 ? { ...record, size: 999 } : record));
    expect(problemsOf(edited)).toEqual([{ line: 7, kind: 'bad-mac' }]);
  });

  it('names the line after a removed one with a sequence gap and a broken link', () => {
    const records = chain(10);
    const removed = records.filter((_, index) => index !== 3);
    expect(problemsOf(removed)).toEqual([
      { line: 4, kind: 'sequence-gap' },
      { line: 4, kind: 'broken-link' },
    ]);
  });

  it('names a removed first line', () => {
    expect(problemsOf(chain(5).slice(1))).toEqual([
      { line: 1, kind: 'sequence-gap' },
      { line: 1, kind: 'broken-link' },
    ]);
  });

  it('names swapped lines as reordered', () => {
    const records = chain(10);
    const [fifth, sixth] = [records[4], records[5]];
    if (fifth === undefined || sixth === undefined) throw new Error('chain too short');
    const swapped = [...records.slice(0, 4), sixth, fifth, ...records.slice(6)];
    const problems = problemsOf(swapped);
    expect(problems.every((problem) => problem.kind === 'reordered')).toBe(true);
    expect(problems.map((problem) => problem.line)).toEqual([5, 5, 6, 6, 7]);
  });

  it('names a line inserted without the key', () => {
    const records = chain(6);
    const forged = { ...fileEventFixture(99), seq: 4, prev: records[2]?.mac ?? null, mac: 'ab'.repeat(32) };
    const inserted = [...records.slice(0, 3), forged, ...records.slice(3)];
    const problems = problemsOf(inserted);
    expect(problems[0]).toEqual({ line: 4, kind: 'bad-mac' });
    expect(problems.some((problem) => problem.line === 5)).toBe(true);
  });

  it('names a replayed (duplicated) line', () => {
    const records = chain(5);
    const third = records[2];
    if (third === undefined) throw new Error('chain too short');
    const problems = problemsOf([...records.slice(0, 3), third, ...records.slice(3)]);
    expect(problems[0]).toEqual({ line: 4, kind: 'reordered' });
  });

  it('names malformed lines without losing track of the chain', () => {
    const lines = text(chain(4)).split('\n');
    lines.splice(2, 0, 'not json at all', '{"seq":"x"}', '');
    const problems = verifyAuditText(lines.join('\n'), key).problems.map(({ line, kind }) => ({
      line,
      kind,
    }));
    expect(problems).toEqual([
      { line: 3, kind: 'malformed' },
      { line: 4, kind: 'malformed' },
      { line: 5, kind: 'malformed' },
    ]);
  });

  it('names a correctly signed line whose event is unknown', () => {
    const records = chain(2);
    const strange = linkAuditRecord(records[1] ?? null, { type: 'mystery', run_id: 'r' }, key);
    expect(problemsOf([...records, strange])).toEqual([{ line: 3, kind: 'malformed' }]);
  });

  it('checks records read back from elsewhere (a database table) with the same rules', () => {
    const event = { kind: 'job.created', actor: 'user-1', team: 'team-1', at: '2026-01-01T00:00:00.000Z' };
    const rows: object[] = [];
    for (let n = 0; n < 5; n++) {
      const prev = rows.at(-1) as { seq: number; mac: string } | undefined;
      rows.push(linkAuditRecord(prev ?? null, { ...event, target: `job-${n}` }, key));
    }
    expect(verifyAuditRecords(rows, key).problems).toEqual([]);
    const edited = rows.map((row, index) => (index === 2 ? { ...row, actor: 'user-2' } : row));
    expect(verifyAuditRecords(edited, key).problems).toEqual([
      expect.objectContaining({ line: 3, kind: 'bad-mac' }),
    ]);
  });
});
