import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GridCa } from '@orbit/engine/identity/grid-ca';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createDataPlaneWorld,
  createGrid,
  type DataPlaneWorld,
  DESTINATION_STAR,
  listTree,
  randomData,
  type StarCredentials,
  sha256Of,
  TEST_CHUNKING,
} from './data-plane.fixture.ts';
import { pushFiles } from './data-plane-client.ts';

const CHILD = fileURLToPath(new URL('./receiver-test-child.ts', import.meta.url));
const SIZE = 8 * 1024 * 1024;
const PARTIAL = '.big.bin.orbit-partial';

let grid: { ca: GridCa; receiver: StarCredentials };
let world: DataPlaneWorld;
const children: ChildProcess[] = [];

beforeAll(async () => {
  grid = await createGrid();
});
beforeEach(async () => {
  world = await createDataPlaneWorld(grid.ca, grid.receiver);
  await writeFile(join(world.source, 'big.bin'), randomData(SIZE));
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await world.cleanup();
});

/**
 * A big file streams (announced without chunks); a small one is cut first: both must resume, and
 * so must a streamed file the receiver writes with O_DIRECT (from 48 MiB by default, here from 1 B).
 */
describe.each([
  { announce: 'streamed', cutAheadBytes: 0, directWriteMinBytes: undefined },
  { announce: 'cut ahead', cutAheadBytes: Number.MAX_SAFE_INTEGER, directWriteMinBytes: undefined },
  { announce: 'streamed and directly written', cutAheadBytes: 0, directWriteMinBytes: 1 },
])(
  'resuming a $announce file after the link or the receiver dies',
  ({ cutAheadBytes, directWriteMinBytes }) => {
    it('reconnects after a dropped connection and sends only what the receiver lacks', async () => {
      const server = await world.startReceiver({ checkpointBytes: 256 * 1024, directWriteMinBytes });
      const proxy = await startDroppingProxy(server.port, SIZE / 2);
      let ticketsAsked = 0;
      try {
        const result = await pushFiles({
          address: `127.0.0.1:${proxy.port}`,
          fingerprint: server.fingerprint,
          ticket: () => {
            ticketsAsked++;
            return world.ticket();
          },
          files: ['big.bin'],
          sourceRoot: world.source,
          jail: world.senderJail,
          chunking: TEST_CHUNKING,
          cutAheadBytes,
          windowBytes: 512 * 1024,
          retryDelayMs: 20,
        });

        expect(result.files[0]).toMatchObject({ status: 'sent' });
        expect(result.counters.connections).toBe(2);
        expect(ticketsAsked).toBe(2);
        expect(await sha256Of(join(world.dest, 'big.bin'))).toBe(
          await sha256Of(join(world.source, 'big.bin')),
        );
        expect(await listTree(world.dest)).toEqual(['big.bin']);
        const [first, second] = proxy.forwarded;
        expect(first).toBeGreaterThanOrEqual(SIZE / 2);
        expect(second).toBeLessThan(SIZE - SIZE / 4);
        expect(result.receiverTotals.chunksReused).toBeGreaterThan(0);
      } finally {
        await proxy.close();
      }
    });

    it('resumes from the journal after the receiver process is killed mid-file', async () => {
      const ticket = await world.ticket();
      const push = (port: number, onProgress?: (newBytes: number) => void) =>
        pushFiles({
          address: `127.0.0.1:${port}`,
          fingerprint: grid.receiver.fingerprint,
          ticket,
          files: ['big.bin'],
          sourceRoot: world.source,
          jail: world.senderJail,
          chunking: TEST_CHUNKING,
          cutAheadBytes,
          windowBytes: 512 * 1024,
          retries: 0,
          onProgress: (progress) => onProgress?.(progress.counters.newBytes),
        });

      const doomed = await spawnReceiver(directWriteMinBytes);
      await expect(
        push(doomed.port, (newBytes) => {
          if (newBytes >= SIZE / 2) doomed.child.kill('SIGKILL');
        }),
      ).rejects.toMatchObject({ reason: 'connection' });
      if (doomed.child.exitCode === null && doomed.child.signalCode === null) {
        await new Promise((resolve) => doomed.child.once('exit', resolve));
      }
      expect(await listTree(world.dest)).toEqual([PARTIAL]);

      const revived = await spawnReceiver(directWriteMinBytes);
      const result = await push(revived.port);

      expect(result.files[0]).toMatchObject({ status: 'sent' });
      expect(await sha256Of(join(world.dest, 'big.bin'))).toBe(await sha256Of(join(world.source, 'big.bin')));
      expect(await listTree(world.dest)).toEqual(['big.bin']);
      expect(result.counters.newBytes).toBeLessThan(SIZE - SIZE / 4);
      expect(result.receiverTotals.chunksReused).toBeGreaterThan(0);

      // What survived and what followed make the file's chunk list: the next push cuts nothing here.
      const edited = await readFile(join(world.source, 'big.bin'));
      edited[SIZE / 2] = (edited[SIZE / 2] as number) ^ 1;
      await writeFile(join(world.source, 'big.bin'), edited);
      const next = await push(revived.port);
      expect(next.files[0]).toMatchObject({ status: 'sent' });
      expect(await sha256Of(join(world.dest, 'big.bin'))).toBe(await sha256Of(join(world.source, 'big.bin')));
      expect(next.receiverTotals).toMatchObject({ oldBytesCut: 0, oldListsCached: 1 });
    });
  },
);

async function spawnReceiver(directWriteMinBytes?: number): Promise<{ child: ChildProcess; port: number }> {
  const config = join(world.base, `receiver-${children.length}.json`);
  await writeFile(
    config,
    JSON.stringify({
      cert: grid.receiver.chainPem,
      key: grid.receiver.keyPem,
      caCert: grid.ca.certificatePem,
      starId: DESTINATION_STAR,
      root: world.dest,
      stateDir: world.state,
      checkpointBytes: 256 * 1024,
      directWriteMinBytes,
    }),
  );
  // Under Deno the test runs the child with Deno too; under Node through tsx.
  const args = 'Deno' in globalThis ? ['run', '-A', CHILD, config] : ['--import', 'tsx', CHILD, config];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (data: Buffer) => {
    stderr += data.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (data: Buffer) => {
      stdout += data.toString();
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`receiver child exited (${code}):\n${stderr}`)));
  });
  return { child, port };
}

/** A TCP hop that cuts its first connection after `dropAfter` bytes from the sender: a flaky link. */
async function startDroppingProxy(
  targetPort: number,
  dropAfter: number,
): Promise<{ port: number; forwarded: number[]; close(): Promise<void> }> {
  const forwarded: number[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const index = forwarded.push(0) - 1;
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
      forwarded[index] = (forwarded[index] ?? 0) + data.length;
      upstream.write(data);
      if (index === 0 && (forwarded[index] ?? 0) >= dropAfter) {
        client.destroy();
        upstream.destroy();
      }
    });
    upstream.on('data', (data: Buffer) => client.write(data));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
