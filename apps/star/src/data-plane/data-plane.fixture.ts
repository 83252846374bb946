import 'reflect-metadata';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChunkingOptions } from '@orbit/engine/chunking/chunking-options';
import { issueStarCertificate } from '@orbit/engine/identity/certificate-issuer';
import { type SignTicketInput, signTicket } from '@orbit/engine/identity/data-plane-ticket';
import { createGridCa, type GridCa } from '@orbit/engine/identity/grid-ca';
import { exportPrivateKeyPem, generateGridKeys } from '@orbit/engine/identity/grid-crypto';
import { createCsr } from '@orbit/engine/identity/star-csr';
import { createPathJail, type PathJail } from '../security/path-jail.ts';

import { type PushFilesOptions, type PushResult, pushFiles } from './data-plane-client.ts';
import {
  type DataPlaneServer,
  type DataPlaneServerOptions,
  startDataPlaneServer,
} from './data-plane-server.ts';
import type { FrameStream } from './frame-stream.ts';
import { connectPinned } from './pinned-connection.ts';
import { encodeJsonFrame, FrameType, frameName, PROTOCOL_VERSION } from './wire-frames.ts';

export const SOURCE_STAR = 'star-source';
export const DESTINATION_STAR = 'star-destination';
export const JOB_ID = 'job-7';

/** Small chunks so a few MiB make many chunks and tests stay quick. */
export const TEST_CHUNKING: ChunkingOptions = { minSize: 16 * 1024, avgSize: 64 * 1024, maxSize: 256 * 1024 };

export interface StarCredentials {
  readonly chainPem: string;
  readonly keyPem: string;
  readonly fingerprint: string;
}

/**
 * A real grid for one test file: a CA, the destination Star's certificate issued from a CSR, and
 * a temp tree with `source/`, `dest/` (the only writable root) and `state/`.
 */
export interface DataPlaneWorld {
  readonly ca: GridCa;
  readonly receiver: StarCredentials;
  readonly base: string;
  readonly source: string;
  readonly dest: string;
  readonly state: string;
  readonly receiverJail: PathJail;
  readonly senderJail: PathJail;
  ticket(overrides?: Partial<SignTicketInput>): Promise<string>;
  startReceiver(extra?: Partial<DataPlaneServerOptions>): Promise<DataPlaneServer>;
  cleanup(): Promise<void>;
}

export async function createStarCredentials(ca: GridCa, starId: string): Promise<StarCredentials> {
  const keys = await generateGridKeys();
  const csrPem = await createCsr({ starName: starId, keys });
  const issued = await issueStarCertificate({ ca, csrPem, starId, teamId: 'team-1', validityDays: 1 });
  return {
    chainPem: issued.chainPem,
    keyPem: await exportPrivateKeyPem(keys.privateKey),
    fingerprint: issued.fingerprint,
  };
}

export async function createDataPlaneWorld(ca: GridCa, receiver: StarCredentials): Promise<DataPlaneWorld> {
  const base = await realpath(await mkdtemp(join(tmpdir(), 'orbit-data-plane-')));
  const source = join(base, 'source');
  const dest = join(base, 'dest');
  const state = join(base, 'state');
  for (const dir of [source, dest, state]) await mkdir(dir);
  const receiverJail = createPathJail([{ path: dest, access: 'rw' }]);
  const senderJail = createPathJail([{ path: source, access: 'ro' }]);
  const servers: DataPlaneServer[] = [];
  return {
    ca,
    receiver,
    base,
    source,
    dest,
    state,
    receiverJail,
    senderJail,
    ticket: (overrides = {}) =>
      signTicket(
        {
          jobId: JOB_ID,
          path: dest,
          direction: 'send',
          sourceStarId: SOURCE_STAR,
          destinationStarId: DESTINATION_STAR,
          ...overrides,
        },
        ca.privateKey,
      ),
    async startReceiver(extra = {}) {
      const server = await startDataPlaneServer({
        cert: receiver.chainPem,
        key: receiver.keyPem,
        caCert: ca.certificatePem,
        starId: DESTINATION_STAR,
        jail: receiverJail,
        stateDir: state,
        ...extra,
      });
      servers.push(server);
      return server;
    },
    async cleanup() {
      await Promise.all(servers.map((server) => server.close()));
      await rm(base, { recursive: true, force: true });
    },
  };
}

export async function createGrid(): Promise<{ ca: GridCa; receiver: StarCredentials }> {
  const ca = await createGridCa({ commonName: 'Data plane test CA', validityDays: 2 });
  return { ca, receiver: await createStarCredentials(ca, DESTINATION_STAR) };
}

/** Incompressible bytes: every chunk is new data and zstd cannot shrink it. */
export function randomData(size: number): Uint8Array {
  return new Uint8Array(randomBytes(size));
}

export async function sha256Of(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

/** Every name under `dir`, recursively, sorted, so a test can say exactly what was written. */
export async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map(String).sort();
}

/** A connection to `server` that speaks frames directly: for tests that play the sender by hand. */
export function rawConnect(server: DataPlaneServer): Promise<FrameStream> {
  return connectPinned({
    host: server.host,
    port: server.port,
    fingerprint: server.fingerprint,
    idleTimeoutMs: 10_000,
  });
}

/** `rawConnect`, then HELLO with `ticket` and the test chunking, and its ACCEPT. */
export async function helloRaw(server: DataPlaneServer, ticket: string): Promise<FrameStream> {
  const stream = await rawConnect(server);
  await stream.write(
    encodeJsonFrame(FrameType.hello, { version: PROTOCOL_VERSION, ticket, chunking: TEST_CHUNKING }),
  );
  const answer = await stream.expect('waiting for ACCEPT');
  if (answer.type !== FrameType.accept) throw new Error(`expected ACCEPT, got ${frameName(answer.type)}`);
  return stream;
}

/** `pushFiles` of `files` from the world's source to `server`, with the test chunking; `extra` overrides. */
export async function pushTo(
  world: DataPlaneWorld,
  server: DataPlaneServer,
  files: string[],
  extra: Partial<PushFilesOptions> = {},
): Promise<PushResult> {
  return pushFiles({
    address: `${server.host}:${server.port}`,
    fingerprint: server.fingerprint,
    ticket: await world.ticket(),
    files,
    sourceRoot: world.source,
    jail: world.senderJail,
    chunking: TEST_CHUNKING,
    ...extra,
  });
}
