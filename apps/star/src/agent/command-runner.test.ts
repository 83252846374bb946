import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chunkFile as engineChunkFile } from '@orbit/engine/chunking/index';
import { getHashAlgorithm } from '@orbit/engine/hashing/index';
import type { Command, CommandResult, ResultPart, StarMessage } from '@orbit/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPathJail } from '../security/path-jail.ts';
import { createCommandRunner } from './command-runner.ts';

let root: string;
let data: string;
const KiB = 1024;

/** Bytes that do not repeat, so FastCDC finds real boundaries. */
function seeded(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let state = seed >>> 0 || 1;
  for (let index = 0; index < size; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[index] = state & 0xff;
  }
  return bytes;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'orbit-runner-'));
  data = join(root, 'data');
  await mkdir(join(data, 'deep', 'er'), { recursive: true });
  await writeFile(join(data, 'a.txt'), 'alpha\n');
  await writeFile(join(data, 'deep', 'er', 'big.bin'), seeded(600 * KiB, 7));
  await writeFile(join(root, 'secret.txt'), 'outside');
  await symlink(join(root, 'secret.txt'), join(data, 'leak'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Runs one command through a real runner and jail; returns the parts and the final result. */
async function run(command: Omit<Command, 'id'>, partMaxBytes = 1024 * 1024) {
  const messages: StarMessage[] = [];
  let finished: (result: CommandResult) => void = () => undefined;
  const result = new Promise<CommandResult>((resolve) => {
    finished = resolve;
  });
  const runner = createCommandRunner({
    jail: createPathJail([{ path: data, access: 'ro' }]),
    partMaxBytes: () => partMaxBytes,
    sendOnce: (message) => messages.push(message),
    send: async (message) => {
      messages.push(message);
      if (message.commandResult) finished(message.commandResult);
    },
  });
  runner.start({ deadlineUnixMs: 0, ...command, id: 'cmd-1' } as Parameters<typeof runner.start>[0]);
  const outcome = await result;
  const parts = messages.flatMap((message) => (message.resultPart ? [message.resultPart as ResultPart] : []));
  const progress = messages.flatMap((message) => (message.progress ? [message.progress] : []));
  return { outcome, parts, progress, runner };
}

describe('command runner', () => {
  it('streams a scan in numbered parts, the last one flagged, symlinks reported not followed', async () => {
    const { outcome, parts, progress } = await run(
      { kind: 'scanDirectory', scanDirectory: { path: data, include: [], exclude: [] } },
      64,
    );
    expect(progress.length).toBe(parts.length - 1);
    expect(progress.at(-1)).toMatchObject({ commandId: 'cmd-1', currentPath: expect.any(String) });
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.map((part) => part.sequence)).toEqual(parts.map((_, index) => index));
    expect(parts.map((part) => part.last)).toEqual(parts.map((_, index) => index === parts.length - 1));
    const entries = parts.flatMap((part) => part.scanEntries?.entries ?? []);
    expect(entries.map((entry) => [entry.path, entry.kind]).sort()).toEqual([
      ['a.txt', 'ENTRY_KIND_FILE'],
      ['deep', 'ENTRY_KIND_DIRECTORY'],
      ['deep/er', 'ENTRY_KIND_DIRECTORY'],
      ['deep/er/big.bin', 'ENTRY_KIND_FILE'],
      ['leak', 'ENTRY_KIND_SYMLINK'],
    ]);
    expect(outcome.scanDirectory).toEqual({
      files: 2,
      directories: 2,
      bytes: 6 + 600 * KiB,
      parts: parts.length,
    });
  });

  it('chunks exactly as the engine does, streaming the chunk list', async () => {
    const chunking = { minSize: 4 * KiB, avgSize: 16 * KiB, maxSize: 64 * KiB };
    const path = join(data, 'deep', 'er', 'big.bin');
    const { outcome, parts } = await run({
      kind: 'chunkFile',
      chunkFile: { path, chunking, algorithm: 'HASH_ALGORITHM_BLAKE3' },
    });
    const expected = await engineChunkFile(path, chunking, getHashAlgorithm('blake3'));
    const streamed = parts.flatMap((part) => part.chunkList?.chunks ?? []);
    expect(streamed).toEqual(expected.chunks.map(({ offset, length, hash }) => ({ offset, length, hash })));
    expect(outcome.chunkFile).toEqual({
      chunks: expected.chunks.length,
      fileHash: expected.hash,
      size: 600 * KiB,
      parts: parts.length,
    });
  });

  it('hashes ranges and verifies whole files', async () => {
    const path = join(data, 'deep', 'er', 'big.bin');
    const bytes = seeded(600 * KiB, 7);
    const sha = (slice: Uint8Array) => createHash('sha256').update(slice).digest('hex');
    const range = await run({
      kind: 'hashRange',
      hashRange: { path, offset: 1000, length: 5000, algorithm: 'HASH_ALGORITHM_SHA256' },
    });
    expect(range.outcome.hashRange).toEqual({ hash: sha(bytes.subarray(1000, 6000)), length: 5000 });
    const toEnd = await run({
      kind: 'hashRange',
      hashRange: { path, offset: 600 * KiB - 10, length: 0, algorithm: 'HASH_ALGORITHM_SHA256' },
    });
    expect(toEnd.outcome.hashRange).toEqual({ hash: sha(bytes.subarray(600 * KiB - 10)), length: 10 });
    const good = await run({
      kind: 'verify',
      verify: { path, expectedHash: sha(bytes), algorithm: 'HASH_ALGORITHM_SHA256' },
    });
    expect(good.outcome.verify).toEqual({ match: true, actualHash: sha(bytes) });
    const bad = await run({
      kind: 'verify',
      verify: { path, expectedHash: '00', algorithm: 'HASH_ALGORITHM_SHA256' },
    });
    expect(bad.outcome.verify?.match).toBe(false);
  });

  it('refuses paths outside the jail with PERMISSION_DENIED and the path', async () => {
    for (const path of [join(data, 'leak'), `${data}/../secret.txt`, '/etc/passwd']) {
      const { outcome } = await run({ kind: 'readHeader', readHeader: { path, offset: 0, length: 10 } });
      expect(outcome.error, path).toMatchObject({ code: 'ERROR_CODE_PERMISSION_DENIED', path });
    }
    const header = await run({
      kind: 'readHeader',
      readHeader: { path: join(data, 'a.txt'), offset: 0, length: 100 },
    });
    expect(Buffer.from(header.outcome.readHeader?.data as Uint8Array).toString()).toBe('alpha\n');
    expect(header.outcome.readHeader?.eof).toBe(true);
  });

  it('says why a command cannot run', async () => {
    const tooBig = await run({
      kind: 'readHeader',
      readHeader: { path: join(data, 'a.txt'), length: 2 * 1024 * 1024 },
    });
    expect(tooBig.outcome.error?.code).toBe('ERROR_CODE_INVALID_ARGUMENT');
    const missing = await run({
      kind: 'verify',
      verify: { path: join(data, 'nope'), algorithm: 'HASH_ALGORITHM_SHA256' },
    });
    expect(missing.outcome.error?.code).toBe('ERROR_CODE_NOT_FOUND');
    const noAlgorithm = await run({ kind: 'hashRange', hashRange: { path: join(data, 'a.txt') } });
    expect(noAlgorithm.outcome.error?.code).toBe('ERROR_CODE_INVALID_ARGUMENT');
    const late = await run({
      kind: 'scanDirectory',
      deadlineUnixMs: Date.now() - 1000,
      scanDirectory: { path: data },
    });
    expect(late.outcome.error?.code).toBe('ERROR_CODE_DEADLINE_EXCEEDED');
    const push = await run({ kind: 'pushChunks', pushChunks: {} });
    expect(push.outcome.error).toMatchObject({
      code: 'ERROR_CODE_UNIMPLEMENTED',
      message: expect.stringContaining('data plane'),
    });
  });

  it('takes no new work once drained, but still answers read-only queries', async () => {
    const { outcome, runner } = await run({ kind: 'drain', drain: {} });
    expect(outcome.drain).toEqual({ finishedCommands: 0 });
    expect(runner.isDraining()).toBe(true);
    const results: CommandResult[] = [];
    await new Promise<void>((resolve) => {
      const refused = createCommandRunner({
        jail: createPathJail([{ path: data, access: 'ro' }]),
        partMaxBytes: () => 1024,
        sendOnce: () => undefined,
        send: async (message) => {
          if (message.commandResult) results.push(message.commandResult);
          if (results.length === 3) resolve();
        },
      });
      refused.start({ id: 'd', deadlineUnixMs: 0, kind: 'drain', drain: {} });
      refused.start({
        id: 'after',
        deadlineUnixMs: 0,
        kind: 'verify',
        verify: { path: join(data, 'a.txt'), expectedHash: '', algorithm: 'HASH_ALGORITHM_SHA256' },
      });
      refused.start({
        id: 'query',
        deadlineUnixMs: 0,
        kind: 'readHeader',
        readHeader: { path: join(data, 'a.txt'), offset: 0, length: 1 },
      });
    });
    expect(results.find((result) => result.commandId === 'query')?.readHeader?.eof).toBe(false);
    expect(results.find((result) => result.commandId === 'after')?.error?.code).toBe(
      'ERROR_CODE_FAILED_PRECONDITION',
    );
  });
});
