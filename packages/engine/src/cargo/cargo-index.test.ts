import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OrbitError } from '../errors.ts';
import { makeTempDir } from '../transfer/transfer-test-fixtures.ts';
import { CARGO_INDEX_FILE, CARGO_INDEX_LOG, JobCargoIndex, readAllCargoRecords } from './cargo-index.ts';
import type { CargoRecord } from './cargo-schema.ts';
import { writeCargoRecord } from './cargo-store.ts';

let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir('cargo-index'));
});
afterEach(() => cleanup());

function fileRecord(path: string, size: number, hash = 'ab'.repeat(32)): CargoRecord {
  return {
    version: 1,
    path,
    kind: 'file',
    size,
    mtimeMs: 1_700_000_000_000,
    mode: 0o644,
    hash,
    algorithm: 'blake3',
    chunks: size === 0 ? [] : [{ offset: 0, length: size, hash }],
  };
}

const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );

describe('JobCargoIndex', () => {
  it('keeps a run in one sorted cargo.jsonl and drops paths the source no longer has', async () => {
    const index = await JobCargoIndex.load(dir);
    index.put(fileRecord('b.bin', 2));
    index.put(fileRecord('a.bin', 1));
    index.put(fileRecord('gone.bin', 3));
    const records = await index.finish(new Set(['a.bin', 'b.bin']));
    expect(records.map((record) => record.path)).toEqual(['a.bin', 'b.bin']);
    const lines = (await readFile(join(dir, CARGO_INDEX_FILE), 'utf8')).trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as CargoRecord).path)).toEqual(['a.bin', 'b.bin']);
    expect(await exists(join(dir, CARGO_INDEX_LOG))).toBe(false);
    expect((await JobCargoIndex.load(dir)).get('a.bin')?.size).toBe(1);
  });

  it("replays a killed run's log over the index, removals included, and ignores a torn last line", async () => {
    const first = await JobCargoIndex.load(dir);
    first.put(fileRecord('keep.bin', 1));
    first.put(fileRecord('old.bin', 1));
    await first.finish(undefined);

    const killed = await JobCargoIndex.load(dir);
    killed.put(fileRecord('keep.bin', 5, 'cd'.repeat(32)));
    killed.remove('old.bin');
    killed.put(fileRecord('new.bin', 7));
    await killed.close();
    await appendFile(join(dir, CARGO_INDEX_LOG), '{"version":1,"path":"half');

    const next = await JobCargoIndex.load(dir);
    expect(next.get('keep.bin')?.size).toBe(5);
    expect(next.get('old.bin')).toBeUndefined();
    expect(next.get('new.bin')?.size).toBe(7);
    expect(next.size).toBe(2);
  });

  it('logs only records that changed', async () => {
    const index = await JobCargoIndex.load(dir);
    index.put(fileRecord('a.bin', 1));
    await index.finish(undefined);
    const again = await JobCargoIndex.load(dir);
    again.put(fileRecord('a.bin', 1));
    await again.close();
    expect(await exists(join(dir, CARGO_INDEX_LOG))).toBe(false);
  });

  it('refuses a damaged line with its file and line number instead of starting over', async () => {
    const index = await JobCargoIndex.load(dir);
    index.put(fileRecord('a.bin', 1));
    index.put(fileRecord('b.bin', 1));
    await index.finish(undefined);
    const file = join(dir, CARGO_INDEX_FILE);
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines[1] = '{"version":1,"path":"b.bin","kind":"file"}';
    await writeFile(file, lines.join('\n'));

    const error = await JobCargoIndex.load(dir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OrbitError);
    expect((error as OrbitError).code).toBe('CORRUPT');
    expect((error as OrbitError).location).toMatchObject({ file, line: 2 });
    expect((error as OrbitError).format()).toMatch(/delete the file/);
  });

  it('reads per-file records of a manifest folder and replaces them with the index at the end', async () => {
    await writeCargoRecord(dir, fileRecord('docs/a.txt', 4));
    const index = await JobCargoIndex.load(dir);
    expect(index.get('docs/a.txt')?.size).toBe(4);
    expect((await readAllCargoRecords(dir)).map((record) => record.path)).toEqual(['docs/a.txt']);
    await index.finish(undefined);
    expect(await exists(join(dir, 'cargo'))).toBe(false);
    expect((await readAllCargoRecords(dir)).map((record) => record.path)).toEqual(['docs/a.txt']);
  });
});
