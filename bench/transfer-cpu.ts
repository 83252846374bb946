/**
 * CPU cost of the engine's copy path, which is steadier than wall time on a shared machine:
 *   deno run -A --no-lock --node-modules-dir=manual bench/transfer-cpu.ts [big MiB] [small files]
 * (bench/run.mjs runs it at the corpus' scale).
 * Runs copyJob on a fresh random big file, again after 1 MiB changed in its middle, and on many
 * 4 KiB files, all in a temp folder that is removed afterwards, with the CLI's filesystem sync
 * (syncfs through libc) installed as `orbit run` has it. Prints one JSON object.
 */
import { spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { copyJob, DEFAULT_CHUNKING, type JobResult, type ResolvedJob } from '@orbit/engine';
import { installLibcFilesystemSync } from '../apps/star/src/native/filesystem-sync.ts';

const MiB = 1024 * 1024;
const bigMiB = Number(process.argv[2] ?? '256');
const smallCount = Number(process.argv[3] ?? '2000');

interface Figure {
  readonly wallS: number;
  readonly userS: number;
  readonly systemS: number;
  readonly bytesWritten: number;
}

async function measure(job: ResolvedJob, stateDir: string): Promise<Figure> {
  // Earlier writes (the corpus, the previous round) are flushed first, so they are not billed here.
  spawnSync('sync');
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result: JobResult = await copyJob(job, {
    runId: 'bench',
    signal: new AbortController().signal,
    dryRun: false,
    stateDir,
    onProgress: () => undefined,
    audit: async () => undefined,
  });
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (result.status !== 'succeeded') throw new Error(`copy failed: ${JSON.stringify(result.failures)}`);
  const round = (value: number): number => Math.round(value * 1000) / 1000;
  return {
    wallS: round(wall / 1000),
    userS: round(used.user / 1e6),
    systemS: round(used.system / 1e6),
    bytesWritten: result.counters.bytesWritten,
  };
}

function jobFor(name: string, source: string, destination: string): ResolvedJob {
  return {
    name,
    source,
    destination,
    include: [],
    exclude: [],
    mode: 'copy',
    delete: false,
    compression: { codec: 'none' },
    checksum: 'blake3',
    resume: true,
    chunking: DEFAULT_CHUNKING,
    dependsOn: [],
    packSize: 64 * MiB,
  };
}

installLibcFilesystemSync();
const root = await mkdtemp(join(tmpdir(), 'orbit-bench-cpu-'));
try {
  const big = join(root, 'big');
  await mkdir(big);
  const block = new Uint8Array(8 * MiB);
  const file = await open(join(big, 'big.bin'), 'w');
  for (let written = 0; written < bigMiB * MiB; written += block.length) {
    randomFillSync(block);
    await file.write(block, 0, Math.min(block.length, bigMiB * MiB - written));
  }
  await file.close();
  const small = join(root, 'small');
  await mkdir(small);
  const content = new Uint8Array(4096);
  for (let index = 0; index < smallCount; index++) {
    randomFillSync(content);
    await writeFile(join(small, `f${index}.bin`), content);
  }

  const state = join(root, 'state');
  const bigJob = jobFor('big', big, join(root, 'big-copy'));
  const first = await measure(bigJob, state);
  // 1 MiB of new bytes in the middle, as bench/run.mjs does.
  const patch = await open(join(big, 'big.bin'), 'r+');
  await patch.write(randomFillSync(new Uint8Array(MiB)), 0, MiB, Math.floor(bigMiB / 2) * MiB);
  await patch.close();
  const incremental = await measure(bigJob, state);
  const smallCopy = await measure(jobFor('small', small, join(root, 'small-copy')), state);
  console.log(JSON.stringify({ bigMiB, smallCount, first, incremental, small: smallCopy }, null, 2));
} finally {
  await rm(root, { recursive: true, force: true });
}
