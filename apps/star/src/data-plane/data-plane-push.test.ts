import { appendFileSync } from 'node:fs';
import { chmod, mkdir, open, readFile, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import type { GridCa } from '@orbit/engine/identity/grid-ca';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createDataPlaneWorld,
  createGrid,
  type DataPlaneWorld,
  JOB_ID,
  listTree,
  pushTo,
  randomData,
  SOURCE_STAR,
  type StarCredentials,
  sha256Of,
  TEST_CHUNKING,
} from './data-plane.fixture.ts';
import type { PushFilesOptions } from './data-plane-client.ts';
import type { DataPlaneServer, ReceivedFileEvent } from './data-plane-server.ts';
import { IncomingFile } from './incoming-file.ts';

let grid: { ca: GridCa; receiver: StarCredentials };
let world: DataPlaneWorld;
let server: DataPlaneServer;
let events: ReceivedFileEvent[];

beforeAll(async () => {
  grid = await createGrid();
});
beforeEach(async () => {
  world = await createDataPlaneWorld(grid.ca, grid.receiver);
  events = [];
  server = await world.startReceiver({ onFile: (event) => events.push(event) });
});
afterEach(() => world.cleanup());

/**
 * Protocol 2 announces big files without their chunks and streams them; small ones go cut. A
 * receiver may write streamed files with O_DIRECT through staging blocks (48 MiB and up by
 * default): here from the first byte, with blocks of 128 KiB (half of a 256 KiB checkpoint).
 */
const MODES = [
  { announce: 'streamed (announced without chunks)', cutAheadBytes: 0, direct: false },
  { announce: 'cut ahead (announced with chunks)', cutAheadBytes: Number.MAX_SAFE_INTEGER, direct: false },
  { announce: 'streamed, written with O_DIRECT where the runtime can', cutAheadBytes: 0, direct: true },
];
let cutAheadBytes = 0;

function push(files: string[], extra: Partial<PushFilesOptions> = {}) {
  return pushTo(world, server, files, { cutAheadBytes, ...extra });
}

describe.each(MODES)('pushFiles → data-plane server, files $announce', (mode) => {
  beforeEach(async () => {
    cutAheadBytes = mode.cutAheadBytes;
    if (mode.direct) {
      server = await world.startReceiver({
        onFile: (event) => events.push(event),
        directWriteMinBytes: 1,
        checkpointBytes: 256 * 1024,
      });
    }
  });

  it('copies empty, small and multi-chunk files with their hashes, modes and mtimes', async () => {
    await writeFile(join(world.source, 'empty'), '');
    await writeFile(join(world.source, 'small.txt'), 'hello, orbit\n');
    await writeFile(join(world.source, 'big.bin'), randomData(3 * 1024 * 1024 + 17));
    await chmod(join(world.source, 'small.txt'), 0o640);
    await utimes(join(world.source, 'big.bin'), new Date(), new Date('2024-05-06T07:08:09Z'));
    await mkdir(join(world.source, 'nested', 'deeper'), { recursive: true });
    await writeFile(join(world.source, 'nested', 'deeper', 'leaf.txt'), 'leaf');
    const files = ['empty', 'small.txt', 'big.bin', 'nested/deeper/leaf.txt'];
    const seen: number[] = [];

    const result = await push(files, { onProgress: (progress) => seen.push(progress.counters.newBytes) });

    expect(result.files.map((file) => [file.path, file.status])).toEqual(files.map((path) => [path, 'sent']));
    for (const path of files) {
      expect(await sha256Of(join(world.dest, path)), path).toBe(await sha256Of(join(world.source, path)));
    }
    expect((await stat(join(world.dest, 'small.txt'))).mode & 0o777).toBe(0o640);
    expect((await stat(join(world.dest, 'big.bin'))).mtime.toISOString()).toBe('2024-05-06T07:08:09.000Z');
    expect(await listTree(world.dest)).toEqual([
      'big.bin',
      'empty',
      'nested',
      'nested/deeper',
      'nested/deeper/leaf.txt',
      'small.txt',
    ]);
    const total = 3 * 1024 * 1024 + 17 + 13 + 4;
    expect(result.counters).toMatchObject({ newBytes: total, filesSent: 4, filesFailed: 0, connections: 1 });
    expect(result.counters.chunksSent).toBeGreaterThan(10);
    expect(result.receiverTotals).toMatchObject({ filesOk: 4, bytesWritten: total });
    expect(seen.at(-1)).toBe(total);
    expect(events.map((event) => [event.jobId, event.sourceStarId, event.status, event.file.path])).toEqual(
      files.map((path) => [JOB_ID, SOURCE_STAR, 'ok', path]),
    );
  });

  it('writes a file with holes with holes, first copy and update alike, same bytes', async () => {
    const size = 8 * 1024 * 1024;
    const source = join(world.source, 'disk.img');
    const writeAt = async (offset: number, bytes: Uint8Array) => {
      const handle = await open(source, 'r+');
      await handle.write(bytes, 0, bytes.length, offset);
      await handle.close();
    };
    await writeFile(source, randomData(64 * 1024));
    await truncate(source, size);
    await writeAt(4 * 1024 * 1024, randomData(64 * 1024));
    // A filesystem that fills holes (some network mounts) cannot show the difference.
    if ((await stat(source)).blocks * 512 >= size / 2) return;

    const first = await push(['disk.img']);
    expect(first.counters).toMatchObject({ filesSent: 1, filesFailed: 0 });
    const copied = await stat(join(world.dest, 'disk.img'));
    expect(copied.size).toBe(size);
    expect(copied.blocks * 512).toBeLessThan(1024 * 1024);
    expect(await sha256Of(join(world.dest, 'disk.img'))).toBe(await sha256Of(source));

    // An update rebuilds the file from the old copy's chunks and the new ones: still with holes.
    await writeAt(4 * 1024 * 1024 + 100, randomData(1000));
    const second = await push(['disk.img']);
    expect(second.counters).toMatchObject({ filesSent: 1, filesFailed: 0 });
    expect(second.counters.chunksReused).toBeGreaterThan(0);
    expect((await stat(join(world.dest, 'disk.img'))).blocks * 512).toBeLessThan(1024 * 1024);
    expect(await sha256Of(join(world.dest, 'disk.img'))).toBe(await sha256Of(source));
  });

  it('re-sends about one chunk after a small edit, and nothing for an unchanged file', async () => {
    const size = 4 * 1024 * 1024;
    const original = randomData(size);
    await writeFile(join(world.source, 'data.bin'), original);
    const first = await push(['data.bin']);
    expect(first.counters.newBytes).toBe(size);

    const edited = Uint8Array.from(original);
    edited.set(new TextEncoder().encode('a small edit in the middle'), 2 * 1024 * 1024);
    await writeFile(join(world.source, 'data.bin'), edited);
    const second = await push(['data.bin']);

    expect(await sha256Of(join(world.dest, 'data.bin'))).toBe(await sha256Of(join(world.source, 'data.bin')));
    // The edited chunk; a cut inside the 32 bytes the gear hash sees after the edit can move, so
    // at most its two neighbours change too (random data: either can happen on a given run).
    expect(second.counters.chunksSent).toBeGreaterThanOrEqual(1);
    expect(second.counters.chunksSent).toBeLessThanOrEqual(3);
    expect(second.counters.newBytes).toBeLessThanOrEqual(3 * TEST_CHUNKING.maxSize);
    expect(second.counters.wireBytes).toBeLessThan(size / 8);
    expect(second.counters.chunksReused).toBeGreaterThan(second.counters.chunksSent * 10);

    const third = await push(['data.bin']);
    expect(third.files[0]?.status).toBe('unchanged');
    expect(third.counters).toMatchObject({ newBytes: 0, chunksSent: 0, filesUnchanged: 1 });

    // Touched, not changed: only the metadata is applied, and no temp file is left.
    const touched = new Date('2025-01-02T03:04:05Z');
    await utimes(join(world.source, 'data.bin'), touched, touched);
    const fourth = await push(['data.bin']);
    expect(fourth.files[0]?.status).toBe('unchanged');
    expect(fourth.counters).toMatchObject({ newBytes: 0, chunksSent: 0 });
    expect(await listTree(world.dest)).toEqual(['data.bin']);
    expect((await stat(join(world.dest, 'data.bin'))).mtime.getTime()).toBe(touched.getTime());
  });

  it('compresses on the wire when the job asks, and the copy is still byte-exact', async () => {
    const line = 'timestamp=2026-11-22 level=info msg="chunk verified" star=star-destination\n';
    const text = line.repeat(Math.ceil((2 * 1024 * 1024) / line.length));
    await writeFile(join(world.source, 'app.log'), text);

    const plain = await push(['app.log']);
    await writeFile(join(world.dest, 'app.log'), '');
    const zstd = await push(['app.log'], { compression: { codec: 'zstd', level: 3 } });

    expect(await readFile(join(world.dest, 'app.log'), 'utf8')).toBe(text);
    expect(plain.counters.wireBytes).toBeGreaterThan(text.length);
    expect(zstd.counters.newBytes).toBe(text.length);
    expect(zstd.counters.wireBytes).toBeLessThan(text.length / 10);
  });

  it('keeps the sender within the window of unacknowledged bytes', async () => {
    await writeFile(join(world.source, 'big.bin'), randomData(2 * 1024 * 1024));
    const windowBytes = 300 * 1024;
    const bounded = await push(['big.bin'], { windowBytes });
    expect(bounded.files[0]).toEqual({ path: 'big.bin', status: 'sent', hash: expect.any(String) });
    expect(await sha256Of(join(world.dest, 'big.bin'))).toBe(await sha256Of(join(world.source, 'big.bin')));
    // One chunk may exceed the window alone; otherwise the sender waits for ACKs.
    expect(bounded.counters.peakUnackedBytes).toBeLessThanOrEqual(windowBytes + TEST_CHUNKING.maxSize);
    expect(bounded.counters.peakUnackedBytes).toBeGreaterThan(0);
  });

  it('keeps several chunks in flight to a slow receiver, never more than the window', async () => {
    await writeFile(join(world.source, 'big.bin'), randomData(2 * 1024 * 1024));
    const windowBytes = 1024 * 1024;
    const slow = await startSlowProxy(server.port, 4 * 1024 * 1024);
    try {
      const result = await push(['big.bin'], { windowBytes, address: `127.0.0.1:${slow.port}` });
      expect(result.files[0]).toMatchObject({ status: 'sent' });
      expect(await sha256Of(join(world.dest, 'big.bin'))).toBe(await sha256Of(join(world.source, 'big.bin')));
      // Pipelined: more than one maximal chunk was unacknowledged at once, yet within the window.
      expect(result.counters.peakUnackedBytes).toBeGreaterThan(TEST_CHUNKING.maxSize);
      expect(result.counters.peakUnackedBytes).toBeLessThanOrEqual(windowBytes + TEST_CHUNKING.maxSize);
    } finally {
      await slow.close();
    }
  });

  it('sends a chunk that repeats within a file once, and the copy is byte-exact', async () => {
    const block = randomData(256 * 1024);
    const repeated = new Uint8Array(4 * block.length);
    for (let i = 0; i < 4; i++) repeated.set(block, i * block.length);
    const zeros = new Uint8Array(2 * 1024 * 1024);
    await writeFile(join(world.source, 'repeated.bin'), repeated);
    await writeFile(join(world.source, 'zeros.bin'), zeros);
    const result = await push(['repeated.bin', 'zeros.bin'], { chunking: TEST_CHUNKING });
    expect(result.files.map((file) => file.status)).toEqual(['sent', 'sent']);
    for (const name of ['repeated.bin', 'zeros.bin']) {
      expect(await sha256Of(join(world.dest, name))).toBe(await sha256Of(join(world.source, name)));
    }
    // The zeros go once whatever the cut; the random blocks repeat only where cuts line up with them.
    expect(result.counters.chunksReused).toBeGreaterThan(0);
    expect(result.counters.newBytes).toBeLessThanOrEqual(repeated.length + TEST_CHUNKING.maxSize);
  });

  it('abandons a file whose source changes while it is sent, leaving nothing at the destination', async () => {
    const path = join(world.source, 'moving.bin');
    await writeFile(path, randomData(2 * 1024 * 1024));
    let touched = false;
    const result = await push(['moving.bin'], {
      onProgress: () => {
        if (touched) return;
        touched = true;
        appendFileSync(path, 'more');
      },
    });
    expect(result.files[0]).toMatchObject({
      status: 'failed',
      reason: 'source-changed',
      message: expect.stringContaining('the sender abandoned moving.bin'),
    });
    expect(await listTree(world.dest)).toEqual([]);
    expect(result.receiverTotals).toMatchObject({ filesOk: 0, filesFailed: 1 });
    expect(events).toMatchObject([
      { status: 'failed', file: { path: 'moving.bin', reason: 'source-changed' } },
    ]);
  });
});

describe('a job whose receiver brings its own target (archive mode)', () => {
  it('is asked for the chunk list first, so the target gets the whole FILE_BEGIN', async () => {
    const other = await world.startReceiver({
      expectedJob: () => ({
        path: world.dest,
        openIncoming: async (begin, ctx) => {
          opened.push({ hash: begin.hash, chunks: begin.chunks.length });
          return IncomingFile.open(begin, ctx);
        },
      }),
    });
    const opened: { hash: string; chunks: number }[] = [];
    await writeFile(join(world.source, 'big.bin'), randomData(1024 * 1024));
    const result = await pushTo(world, other, ['big.bin'], { cutAheadBytes: 0 });
    expect(result.files[0]).toMatchObject({ status: 'sent' });
    expect(opened).toEqual([
      { hash: result.files[0]?.status === 'sent' ? result.files[0].hash : '', chunks: expect.any(Number) },
    ]);
    expect(opened[0]?.chunks).toBeGreaterThan(1);
    expect(await sha256Of(join(world.dest, 'big.bin'))).toBe(await sha256Of(join(world.source, 'big.bin')));
  });
});

/** A TCP hop that passes the sender's bytes on at about `bytesPerSecond`: a receiver on a slow link. */
async function startSlowProxy(
  targetPort: number,
  bytesPerSecond: number,
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (data: Buffer) => {
      client.pause();
      upstream.write(data);
      setTimeout(() => client.resume(), Math.ceil((data.length / bytesPerSecond) * 1000));
    });
    upstream.on('data', (data: Buffer) => client.write(data));
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    port: (proxy.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        proxy.close(() => resolve());
      }),
  };
}
