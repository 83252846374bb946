// Part 1 of `node bench/grid.mjs`: a big file Star → Star over the loopback data plane (two Deno
// processes, TLS, pinned certificate, signed ticket) beside `rsync -a` over its daemon and `cp`,
// then the same file with 1 MiB changed in the middle: wire bytes and time. The first copy runs
// `rounds` times, the tools taking turns, and each tool's best is reported; the incremental one once.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createRandom, flipMiddle } from '../lib/corpus.mjs';
import { humanBytes, mibPerSecond, ratio, seconds, syncDisks, table, timed } from '../lib/measure.mjs';
import { denoArgs } from './deno-args.mjs';

const MiB = 1024 * 1024;

/** Seeded random bytes (incompressible, like media): every run moves the same data. */
async function writeRandomFile(path, size) {
  const next = createRandom(11);
  const file = await open(path, 'w');
  try {
    const block = Buffer.allocUnsafe(Math.min(size, 8 * MiB));
    const words = new Uint32Array(block.buffer, block.byteOffset, block.byteLength >>> 2);
    for (let written = 0; written < size; written += block.length) {
      for (let i = 0; i < words.length; i++) words[i] = next();
      await file.write(block, 0, Math.min(block.length, size - written));
    }
  } finally {
    await file.close();
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `rsync --daemon` on a free loopback port with one writable module; stopped by `stop()`. */
async function startRsyncDaemon(base, moduleDir) {
  const port = await freePort();
  const config = join(base, 'rsyncd.conf');
  const identity = process.getuid?.() === 0 ? 'uid = root\ngid = root\n' : '';
  await writeFile(
    config,
    `pid file = ${join(base, 'rsyncd.pid')}\nuse chroot = false\n${identity}[bench]\n  path = ${moduleDir}\n  read only = false\n`,
  );
  const daemon = spawn(
    'rsync',
    ['--daemon', '--no-detach', `--config=${config}`, `--port=${port}`, '--address=127.0.0.1'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  daemon.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const url = `rsync://127.0.0.1:${port}/bench/`;
  for (let attempt = 0; ; attempt++) {
    if (daemon.exitCode !== null) throw new Error(`rsync --daemon exited: ${stderr}`);
    try {
      timed('rsync', [url]);
      break;
    } catch (error) {
      if (attempt > 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        if (daemon.exitCode !== null) return resolve();
        daemon.once('exit', () => resolve());
        daemon.kill('SIGTERM');
      }),
  };
}

/** The receiving Star (a Deno process) until `stop()`; its first stdout line tells the sender where it is. */
async function startReceiver(root, dest, state) {
  const child = spawn(join(root, 'node_modules', '.bin', 'deno'), [
    ...denoArgs(root),
    join(root, 'bench', 'grid', 'star-receiver.ts'),
    dest,
    state,
  ]);
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise((_, reject) =>
    child.once('exit', (code) => reject(new Error(`the receiving Star exited with ${code}:\n${stderr}`))),
  );
  // Exiting after stop() is expected: only a pending read should fail on it.
  exited.catch(() => undefined);
  const nextLine = async () => {
    const { value, done } = await Promise.race([lines.next(), exited]);
    if (done) throw new Error(`the receiving Star closed its output:\n${stderr}`);
    return value;
  };
  const line = await nextLine();
  return {
    line,
    /** CPU seconds the receiving process has used so far, how many of them in the kernel, and its RSS. */
    async cpu() {
      child.stdin.write('cpu\n');
      return JSON.parse(await nextLine());
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

/** Past the receiver's quiet period and collection (2.5 s, apps/star/src/agent/memory-release.ts). */
const QUIET_WAIT_MS = 3500;

/**
 * One push by a sending Star process, with the receiver's CPU for the same push, its RSS right after
 * it, and its RSS once it has been quiet long enough to return freed memory.
 */
async function pushOnce(root, sourceDir, file, receiver) {
  const before = await receiver.cpu();
  const push = pushWithStar(root, sourceDir, file, receiver.line);
  const after = await receiver.cpu();
  await new Promise((resolve) => setTimeout(resolve, QUIET_WAIT_MS));
  const quiet = await receiver.cpu();
  return {
    ...push,
    receiverCpuS: after.cpuS - before.cpuS,
    receiverSystemS: after.systemS - before.systemS,
    receiverRssMiB: after.rssMiB,
    receiverQuietRssMiB: quiet.rssMiB,
  };
}

function pushWithStar(root, sourceDir, file, receiverLine) {
  const { stdout } = timed(join(root, 'node_modules', '.bin', 'deno'), [
    ...denoArgs(root),
    join(root, 'bench', 'grid', 'star-sender.ts'),
    sourceDir,
    file,
    receiverLine,
  ]);
  return JSON.parse(stdout);
}

const rsyncSentPattern = /Total bytes sent: ([\d,]+)/;
const rsyncLiteralPattern = /Literal data: ([\d,]+) bytes/;
const statNumber = (pattern, text) => Number((pattern.exec(text)?.[1] ?? 'NaN').replaceAll(',', ''));

/** The run with the lower `ms`. */
const faster = (best, run) => (best === undefined || run.ms < best.ms ? run : best);

/** Runs part 1 and returns its printed report. */
export async function transferBench({ root, scale, rounds, log }) {
  const size = Math.max(1, Math.round(1024 * scale)) * MiB;
  const base = await mkdtemp(join(tmpdir(), 'orbit-grid-bench-'));
  const source = join(base, 'source');
  const dirs = { cp: join(base, 'cp'), rsync: join(base, 'rsync'), star: join(base, 'star') };
  const state = join(base, 'star-state');
  for (const dir of [source, state, ...Object.values(dirs)]) await mkdir(dir);
  let daemon;
  let receiver;
  try {
    log(`transfer: writing a ${humanBytes(size)} random file…`);
    await writeRandomFile(join(source, 'big.bin'), size);
    daemon = await startRsyncDaemon(base, dirs.rsync);
    receiver = await startReceiver(root, dirs.star, state);

    const rssStart = (await receiver.cpu()).rssMiB;
    let cpBest;
    let rsyncFull;
    let starFull;
    let lastFull;
    for (let round = 1; round <= rounds; round++) {
      log(`transfer: cp, rsync over its daemon, Star → Star (round ${round} of ${rounds})…`);
      for (const dir of Object.values(dirs)) await rm(join(dir, 'big.bin'), { force: true });
      syncDisks();
      cpBest = faster(cpBest, { ms: timed('cp', [join(source, 'big.bin'), dirs.cp]).ms + syncDisks() });
      const rsync = timed('rsync', ['-a', '--stats', `${source}/`, daemon.url]);
      rsyncFull = faster(rsyncFull, { ...rsync, ms: rsync.ms + syncDisks() });
      lastFull = await pushOnce(root, source, 'big.bin', receiver);
      starFull = faster(starFull, lastFull);
    }
    const rssAfterFull = lastFull.receiverRssMiB;
    const cpMs = cpBest.ms;
    const rsyncMs = rsyncFull.ms;

    log('transfer: 1 MiB changed in the middle, again…');
    const changed = await flipMiddle(join(source, 'big.bin'), size);
    syncDisks();
    const rsyncDelta = timed('rsync', ['-a', '--stats', `${source}/`, daemon.url]);
    const rsyncDeltaMs = rsyncDelta.ms + syncDisks();
    const starDelta = await pushOnce(root, source, 'big.bin', receiver);

    const full = table(
      ['full copy', 'time', 'throughput', 'wire bytes', 'vs Star'],
      [
        [
          'Star → Star (TLS)',
          seconds(starFull.ms),
          mibPerSecond(size, starFull.ms),
          humanBytes(starFull.counters.wireBytes),
          '1.00×',
        ],
        [
          'rsync -a (daemon)',
          seconds(rsyncMs),
          mibPerSecond(size, rsyncMs),
          humanBytes(statNumber(rsyncSentPattern, rsyncFull.stdout)),
          ratio(rsyncMs, starFull.ms),
        ],
        ['cp + sync', seconds(cpMs), mibPerSecond(size, cpMs), '(local)', ratio(cpMs, starFull.ms)],
      ],
    );
    const delta = table(
      [`${humanBytes(changed)} changed`, 'time', 'wire bytes', 'new data sent', 'vs Star'],
      [
        [
          'Star → Star (TLS)',
          seconds(starDelta.ms),
          humanBytes(starDelta.counters.wireBytes),
          humanBytes(starDelta.counters.newBytes),
          '1.00×',
        ],
        [
          'rsync -a (daemon)',
          seconds(rsyncDeltaMs),
          humanBytes(statNumber(rsyncSentPattern, rsyncDelta.stdout)),
          humanBytes(statNumber(rsyncLiteralPattern, rsyncDelta.stdout)),
          ratio(rsyncDeltaMs, starDelta.ms),
        ],
      ],
    );
    const notes = [
      `Star CPU, sender + receiver: ${starFull.senderCpuS.toFixed(2)} + ${starFull.receiverCpuS.toFixed(2)} s full, ` +
        `${starDelta.senderCpuS.toFixed(2)} + ${starDelta.receiverCpuS.toFixed(2)} s incremental ` +
        `(receiver in the kernel: ${starFull.receiverSystemS.toFixed(2)} / ${starDelta.receiverSystemS.toFixed(2)} s); ` +
        `chunks sent/reused (incremental): ${starDelta.counters.chunksSent}/${starDelta.counters.chunksReused}; ` +
        `incremental, bytes cut with FastCDC: ${humanBytes(starDelta.counters.cutBytes)} by the sender ` +
        `(${humanBytes(starDelta.counters.guidedBytes)} only hashed along the receiver's chunk list), ` +
        `${humanBytes(starDelta.receiverTotals.oldBytesCut)} by the receiver.`,
      `Receiver RSS: ${rssStart.toFixed(0)} MiB before the first copy, ${rssAfterFull.toFixed(0)} after its ` +
        `last round, ${starDelta.receiverRssMiB.toFixed(0)} after the incremental one.`,
      `Receiver RSS once quiet (after 2 s it collects and returns freed memory): ${lastFull.receiverQuietRssMiB.toFixed(0)} ` +
        `MiB after the first copy's last round, ${starDelta.receiverQuietRssMiB.toFixed(0)} after the incremental one.`,
      `"vs Star" is the tool's time over the Star's: above 1 means the Star was faster. First copy: best of`,
      `${rounds} rounds, the tools taking turns (ORBIT_BENCH_ROUNDS); incremental: one run each. Every time`,
      'includes a final sync. The Stars use their defaults: BLAKE3, no compression, TLS 1.3; the first copy',
      'streams as the sender cuts it (data plane protocol 3), the incremental one is cut along the chunk list',
      'the receiving Star kept of its copy.',
    ];
    return `Star-to-Star transfer, ${humanBytes(size)} file on loopback\n${full}\n\n${delta}\n${notes.join('\n')}`;
  } finally {
    await receiver?.stop();
    await daemon?.stop();
    await rm(base, { recursive: true, force: true });
  }
}
