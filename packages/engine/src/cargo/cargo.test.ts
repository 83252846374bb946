import { cp, open, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OrbitError } from '../errors.ts';
import {
  makeTempDir,
  randomData,
  TEST_CHUNKING,
  testJob,
  writeTree,
} from '../transfer/transfer-test-fixtures.ts';
import { FLIGHT_PLAN_FILE } from './cargo-schema.ts';
import { cargoPathFor, readCargoRecord, readFlightPlan } from './cargo-store.ts';
import { diffAgainstManifests, verifyAgainstManifests } from './cargo-verify.ts';
import { writeFlightPlan } from './flight-plan.ts';

let root: string;
let cleanup: () => Promise<void>;
let source: string;
let copy: string;
let manifests: string;

beforeEach(async () => {
  ({ dir: root, cleanup } = await makeTempDir('cargo'));
  source = join(root, 'src');
  copy = join(root, 'copy');
  manifests = join(root, 'manifests');
  await writeTree(source, { 'a.txt': 'alpha', 'docs/big.bin': randomData(300_000), 'docs/empty': '' });
  await symlink('a.txt', join(source, 'link'));
  await writeFlightPlan(testJob({ source, destination: copy }), manifests);
  await cp(source, copy, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
});
afterEach(() => cleanup());

describe('writeFlightPlan', () => {
  it('records every path with its chunks and totals', async () => {
    const plan = await readFlightPlan(manifests);
    expect(plan.job).toBe('test');
    expect(plan.chunking).toEqual(TEST_CHUNKING);
    expect(plan.totals).toEqual({ files: 3, bytes: 300_005, chunks: expect.any(Number) });
    expect(plan.totals.chunks).toBeGreaterThan(3);
    const big = await readCargoRecord(manifests, 'docs/big.bin');
    expect(big?.chunks.reduce((sum, chunk) => sum + chunk.length, 0)).toBe(300_000);
    expect(big?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect((await readCargoRecord(manifests, 'link'))?.linkTarget).toBe('a.txt');
  });

  it('reports a malformed record with its file', async () => {
    const file = cargoPathFor(manifests, 'a.txt');
    await writeFile(file, '{"version":1,"path":"a.txt"}');
    const error = await readCargoRecord(manifests, 'a.txt').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OrbitError);
    expect((error as OrbitError).code).toBe('CORRUPT');
    expect((error as OrbitError).location.file).toBe(file);
  });

  it('refuses a missing flight plan with a hint', async () => {
    await rm(join(manifests, FLIGHT_PLAN_FILE));
    await expect(readFlightPlan(manifests)).rejects.toThrow(/no job\.flightplan\.json/);
  });
});

describe('verifyAgainstManifests', () => {
  it('passes an identical copy', async () => {
    const report = await verifyAgainstManifests(manifests);
    expect(report.target).toBe(copy);
    expect(report.ok).toBe(true);
    expect(report.checks.map((check) => check.path)).toEqual([
      'a.txt',
      'docs',
      'docs/big.bin',
      'docs/empty',
      'link',
    ]);
  });

  it('names missing files, size changes, the first bad chunk and changed links', async () => {
    await unlink(join(copy, 'a.txt'));
    await writeFile(join(copy, 'docs/empty'), 'now not empty');
    const handle = await open(join(copy, 'docs/big.bin'), 'r+');
    await handle.write(new Uint8Array([1, 2, 3]), 0, 3, 200_000);
    await handle.close();
    await unlink(join(copy, 'link'));
    await symlink('elsewhere', join(copy, 'link'));

    const report = await verifyAgainstManifests(manifests, { target: copy });
    expect(report.ok).toBe(false);
    const byPath = Object.fromEntries(report.checks.map((check) => [check.path, check]));
    expect(byPath['a.txt']?.status).toBe('missing');
    expect(byPath['docs/empty']).toMatchObject({ status: 'size-mismatch', expected: '0', actual: '13' });
    const big = await readCargoRecord(manifests, 'docs/big.bin');
    const index = big?.chunks.findIndex((chunk) => chunk.offset + chunk.length > 200_000) ?? -1;
    expect(byPath['docs/big.bin']).toMatchObject({ status: 'chunk-mismatch', chunk: { index } });
    expect(byPath.link).toMatchObject({ status: 'link-mismatch', expected: 'a.txt', actual: 'elsewhere' });
    expect(byPath.docs?.status).toBe('ok');
  });
});

describe('verifyAgainstManifests on many files', () => {
  it('checks small files together and large ones alone, reporting in record order', async () => {
    const tree: Record<string, string | Uint8Array> = { 'large.bin': randomData(1_500_000) };
    for (let index = 0; index < 60; index++)
      tree[`many/f${String(index).padStart(2, '0')}.txt`] = `file ${index}`;
    const wide = join(root, 'wide');
    const wideCopy = join(root, 'wide-copy');
    const wideManifests = join(root, 'wide-manifests');
    await writeTree(wide, tree);
    await writeFlightPlan(testJob({ source: wide, destination: wideCopy }), wideManifests);
    await cp(wide, wideCopy, { recursive: true, preserveTimestamps: true });
    await writeFile(join(wideCopy, 'many/f17.txt'), 'file 99');

    const report = await verifyAgainstManifests(wideManifests);
    expect(report.checks.map((check) => check.path)).toEqual([
      'large.bin',
      'many',
      ...Object.keys(tree)
        .filter((path) => path.startsWith('many/'))
        .sort(),
    ]);
    expect(report.checks.filter((check) => check.status !== 'ok')).toEqual([
      expect.objectContaining({ path: 'many/f17.txt', status: 'chunk-mismatch' }),
    ]);
  });
});

describe('diffAgainstManifests', () => {
  it('lists added, removed and changed paths', async () => {
    await writeFile(join(copy, 'new.txt'), 'new');
    await unlink(join(copy, 'a.txt'));
    await writeFile(join(copy, 'docs/empty'), 'changed');
    const same = await readFile(join(copy, 'docs/big.bin'));
    await writeFile(join(copy, 'docs/big.bin'), same);
    const diff = await diffAgainstManifests(manifests, copy);
    expect(diff).toEqual({ added: ['new.txt'], removed: ['a.txt'], changed: ['docs/empty'] });
  });
});
