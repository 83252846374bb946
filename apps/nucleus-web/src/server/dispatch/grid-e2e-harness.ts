import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { runStar, type StarProcess, startStar, waitFor } from '../grid/grid-test-harness.ts';
import type { GridServer } from '../grid/start-grid-server.ts';

/** A Star joined with a real token and served by a real `orbit-star serve` process. */
export interface TestStar {
  readonly id: string;
  readonly configFile: string;
  /** The Star's only allowed root (read-write). */
  readonly root: string;
  process: StarProcess;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** Joins a Star whose only root is `<base>/<name>/data` (rw) and starts `serve`. */
export async function joinAndServe(
  grid: GridServer,
  token: string,
  base: string,
  name: string,
): Promise<TestStar> {
  const home = path.join(base, name);
  const root = path.join(home, 'data');
  await mkdir(root, { recursive: true });
  const stateDir = path.join(home, 'state');
  const joined = await runStar(
    [
      'join',
      '--hub',
      `127.0.0.1:${grid.enrolPort}`,
      '--ca-pin',
      grid.caPin,
      '--token',
      token,
      '--state-dir',
      stateDir,
      '--name',
      name,
      '--data-listen',
      `127.0.0.1:${await freePort()}`,
      '--allow',
      `${root}:rw`,
    ],
    base,
  );
  const id = /joined the grid as Star (\S+)/.exec(joined.output)?.[1];
  if (joined.code !== 0 || id === undefined) throw new Error(`join of ${name} failed:\n${joined.output}`);
  const star: TestStar = { id, configFile: path.join(stateDir, 'star.toml'), root, process: serve() };
  await waitUntilScheduled(grid, star);
  return star;

  function serve(): StarProcess {
    return startStar(['serve', '--config', path.join(stateDir, 'star.toml')], base);
  }
}

/** Stops the Star and points its star.toml at another control port on this machine (it dials it on its next start). */
export async function pointStarAt(star: TestStar, port: number): Promise<void> {
  star.process.kill();
  await star.process.exited;
  const text = await readFile(star.configFile, 'utf8');
  const rewritten = text.replace(/^address = "127\.0\.0\.1:\d+"$/m, `address = "127.0.0.1:${port}"`);
  if (rewritten === text) throw new Error(`no hub address line in ${star.configFile}:\n${text}`);
  await writeFile(star.configFile, rewritten, { mode: 0o600 });
}

/** Starts `serve` again for a Star whose process was killed. */
export async function restartStar(grid: GridServer, star: TestStar, base: string): Promise<void> {
  star.process = startStar(['serve', '--config', star.configFile], base);
  await waitUntilScheduled(grid, star);
}

export function waitUntilScheduled(grid: GridServer, star: TestStar): Promise<true> {
  return waitFor(`Star ${star.id} to connect`, async () => {
    if (star.process.child.exitCode !== null)
      throw new Error(`orbit-star serve exited:\n${star.process.output()}`);
    const link = grid.hub.connectedStars().find((connected) => connected.starId === star.id);
    return link?.lifecycle === 'scheduled' ? true : undefined;
  });
}

/** BLAKE3 is the Stars' business; the test compares trees with SHA-256 of every file. */
export async function treeHashes(root: string): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(full)) hash.update(chunk as Buffer);
    hashes[path.relative(root, full)] = hash.digest('hex');
  }
  return hashes;
}

/** Bytes this process has read from any file or socket so far (Linux /proc/self/io `rchar`). */
export async function bytesReadByThisProcess(): Promise<number> {
  const io = await readFile('/proc/self/io', 'utf8');
  const match = /^rchar: (\d+)$/m.exec(io);
  if (!match?.[1]) throw new Error('/proc/self/io has no rchar line');
  return Number(match[1]);
}

/** A TCP forwarder on loopback, to move or cut connections the way a load balancer or network would. */
export interface Forwarder {
  readonly port: number;
  /** The port new connections go to. */
  readonly target: number;
  /** Sends new connections to another port (or the same one) and cuts the current ones. */
  retarget(port: number): void;
  close(): void;
}

export async function forward(initial: number): Promise<Forwarder> {
  let target = initial;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    const upstream = connect(target, '127.0.0.1');
    for (const end of [socket, upstream]) {
      sockets.add(end);
      end.on('error', () => undefined);
      end.on('close', () => {
        sockets.delete(end);
        socket.destroy();
        upstream.destroy();
      });
    }
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the forwarder has no port');
  return {
    port: address.port,
    get target() {
      return target;
    },
    retarget(port) {
      target = port;
      for (const socket of sockets) socket.destroy();
    },
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}
