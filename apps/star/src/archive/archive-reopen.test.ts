import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, mkdtemp, readdir, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHashAlgorithm } from '@orbit/engine/hashing/hash-registry';
import { readSnapshot } from '@orbit/engine/pack/snapshot';
import type { FinishArchive__Output } from '@orbit/proto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChunkListCache } from '../data-plane/chunk-list-cache.ts';
import { TEST_CHUNKING } from '../data-plane/data-plane.fixture.ts';
import { ReceiverJournal } from '../data-plane/receiver-journal.ts';
import { checkedLine, stateFileName } from '../data-plane/state-lines.ts';
import { TargetLocks } from '../data-plane/target-locks.ts';
import { createPathJail } from '../security/path-jail.ts';
import { ArchiveReceives } from './archive-receives.ts';

const blake3 = getHashAlgorithm('blake3');
const JOB = 'job-archive';
let base: string;
let stateDir: string;
let dir: string;
const logged: string[] = [];

beforeEach(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'orbit-archive-reopen-')));
  stateDir = join(base, 'state');
  dir = join(base, 'archive');
  await mkdir(stateDir);
  await mkdir(dir);
  logged.length = 0;
});
afterEach(() => rm(base, { recursive: true, force: true }));

/** One life of the Star: what the agent builds at start-up. */
function star(): ArchiveReceives {
  return new ArchiveReceives({
    stateDir,
    resolveDestination: async (path) => path,
    log: (line) => logged.push(line),
  });
}

/** A life of the Star that was told to receive the job (PrepareReceive with an archive). */
async function prepared(): Promise<ArchiveReceives> {
  const receives = star();
  const archive = { algorithm: 'HASH_ALGORITHM_BLAKE3', packSize: 0, jobName: 'nightly' } as const;
  await receives.prepare(JOB, { path: dir, realPath: dir }, archive);
  return receives;
}

/** A file of one chunk arriving over the data plane into the job's store, as a session drives it. */
async function receive(receives: ArchiveReceives, path: string): Promise<void> {
  const data = randomBytes(40_000);
  const hash = blake3.hash(data);
  const ctx = {
    jail: createPathJail([{ path: dir, access: 'rw' }]),
    journal: await ReceiverJournal.open(stateDir),
    root: dir,
    chunking: TEST_CHUNKING,
    checkpointBytes: 1 << 20,
    directWriteMinBytes: 48 * 1024 * 1024,
    locks: new TargetLocks(),
    cache: await ChunkListCache.open(stateDir, () => undefined),
    counters: { oldBytesCut: 0, oldListsCached: 0 },
    log: () => undefined,
  };
  const begin = { path, size: data.length, mode: 0o644, mtimeMs: 1000, algorithm: 'blake3' as const, hash };
  const target = await receives.incoming(JOB)({ ...begin, chunks: [[0, data.length, hash]] }, ctx);
  await target.writeChunk({ hash, codec: 'none', rawLength: data.length, payload: data });
  await target.finish();
}

function finish(filesExpected: number): FinishArchive__Output {
  return {
    jobId: JOB,
    destinationPath: dir,
    entries: [],
    last: true,
    jobName: 'nightly',
    runId: 'run-1',
    sourcePath: '/src',
    filesExpected,
    failures: [],
  };
}

describe('an archive run this Star was receiving when it stopped', () => {
  it('is reopened from its journal; a file whose chunks the store lacks never reaches the snapshot', async () => {
    const first = await prepared();
    await receive(first, 'a.bin');
    await receive(first, 'b.bin');
    await first.closeAll();

    // What a crash of the machine can leave: an entry recorded whose chunks never reached the disk,
    // and a line torn as it was written.
    const journal = join(stateDir, 'data-plane', stateFileName(JOB, 'archive.jsonl'));
    const lost = { kind: 'file', path: 'c.bin', mode: 0o644, mtime_ms: 1000, size: 5, hash: 'c'.repeat(64) };
    await appendFile(journal, checkedLine({ t: 'entry', entry: { ...lost, chunks: ['d'.repeat(64)] } }));
    await appendFile(
      journal,
      checkedLine({ t: 'entry', entry: { ...lost, path: 'e.bin', chunks: [] } }).slice(0, 30),
    );

    const second = star();
    const finished = await second.finish(finish(2), dir);
    const snapshotId = finished.finishArchive?.snapshotId ?? '';
    const snapshot = await readSnapshot(dir, snapshotId);
    expect(snapshot.entries.map((entry) => entry.path)).toEqual(['a.bin', 'b.bin']);
    expect(logged).toEqual([
      `archive of job ${JOB} reopened: 2 files of the run kept, 1 dropped (their chunks are not in the store)`,
    ]);
    // The snapshot is written: the run is over, nothing is left to reopen.
    expect(await readdir(join(stateDir, 'data-plane'))).not.toContain(stateFileName(JOB, 'archive.jsonl'));
    await expect(second.finish(finish(2), dir)).rejects.toMatchObject({
      code: 'ERROR_CODE_FAILED_PRECONDITION',
    });
  });

  it('is not reopened once the job is received as files', async () => {
    const first = await prepared();
    await receive(first, 'a.bin');
    await first.release(JOB);
    await expect(star().finish(finish(1), dir)).rejects.toMatchObject({
      code: 'ERROR_CODE_FAILED_PRECONDITION',
    });
  });
});
