import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signTicket } from '@orbit/engine/identity/data-plane-ticket';
import type { GridCa } from '@orbit/engine/identity/grid-ca';
import type { Command__Output, Progress, PushChunks__Output, StarMessage } from '@orbit/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StarConfig, starConfigSchema } from '../config/star-config-schema.ts';
import {
  createGrid,
  createStarCredentials,
  DESTINATION_STAR,
  listTree,
  randomData,
  SOURCE_STAR,
  sha256Of,
} from '../data-plane/data-plane.fixture.ts';
import { createPathJail } from '../security/path-jail.ts';
import type { CommandIo } from './command-io.ts';
import { TicketRequests } from './ticket-requests.ts';
import { createTransferCommands, type TransferCommands } from './transfer-commands.ts';

let base: string;
let ca: GridCa;
let receiving: TransferCommands;
let sending: TransferCommands;
const sentMessages: StarMessage[] = [];
let tickets: TicketRequests;
let receiverConfig: StarConfig;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'orbit-transfer-commands-'));
  const grid = await createGrid();
  ca = grid.ca;
  const state = join(base, 'state');
  for (const dir of ['source/tree/deep', 'dest', 'state']) await mkdir(join(base, dir), { recursive: true });
  await writeFile(join(state, 'star.key'), grid.receiver.keyPem, { mode: 0o600 });
  await writeFile(join(state, 'star.crt'), grid.receiver.chainPem);
  await writeFile(join(state, 'ca.crt'), ca.certificatePem);
  await writeFile(join(base, 'source', 'tree', 'a.bin'), randomData(200_000));
  await writeFile(join(base, 'source', 'tree', 'deep', 'b.bin'), randomData(700_000));
  const configFor = (roots: { path: string; access: 'ro' | 'rw' }[]) =>
    starConfigSchema.parse({
      hub: { address: '127.0.0.1:7443' },
      star: { name: 'test', id: DESTINATION_STAR, state_dir: state, data_listen: '127.0.0.1:0' },
      security: { allowed_paths: roots },
    });
  receiverConfig = configFor([{ path: join(base, 'dest'), access: 'rw' }]);
  const senderConfig = configFor([{ path: join(base, 'source'), access: 'ro' }]);
  tickets = new TicketRequests((message) => sentMessages.push(message));
  tickets.sessionUp();
  const log = () => undefined;
  receiving = createTransferCommands({
    config: receiverConfig,
    jail: createPathJail(receiverConfig.security.allowedPaths),
    tickets,
    log,
  });
  sending = createTransferCommands({
    config: senderConfig,
    jail: createPathJail(senderConfig.security.allowedPaths),
    tickets,
    log,
  });
});
afterAll(async () => {
  await receiving?.close();
  await rm(base, { recursive: true, force: true });
});

function io(commands: 'receive' | 'send', progress: Progress[] = []): CommandIo {
  const roots =
    commands === 'receive'
      ? [{ path: join(base, 'dest'), access: 'rw' as const }]
      : [{ path: join(base, 'source'), access: 'ro' as const }];
  return {
    jail: createPathJail(roots),
    signal: new AbortController().signal,
    partMaxBytes: 1024 * 1024,
    emitPart: async () => undefined,
    partsSent: () => 0,
    progress: (update) => progress.push({ ...update, commandId: 'push-1' }),
  };
}

function prepare(id: string, jobId: string, destinationPath: string): Command__Output {
  return {
    id,
    deadlineUnixMs: 0,
    kind: 'prepareReceive',
    prepareReceive: { jobId, destinationPath, expectedFiles: [], ticket: '', archive: null, addFiles: false },
  };
}

/** A `send` ticket the Nucleus would sign for the job's destination. */
function ticketFor(jobId: string, path: string): Promise<string> {
  const claims = { jobId, path, sourceStarId: SOURCE_STAR, destinationStarId: DESTINATION_STAR };
  return signTicket({ ...claims, direction: 'send' }, ca.privateKey);
}

function push(id: string, fields: Partial<PushChunks__Output>): Command__Output {
  const pushChunks: PushChunks__Output = {
    peerAddress: '',
    peerCertFingerprint: '',
    ticket: '',
    algorithm: 'HASH_ALGORITHM_BLAKE3',
    jobId: '',
    sourceRoot: '',
    files: [],
    chunking: null,
    compression: '',
    ...fields,
  };
  return { id, deadlineUnixMs: 0, kind: 'pushChunks', pushChunks };
}

describe('transfer commands', () => {
  it('prepares a receive, pushes a tree Star to Star and reports counters, outcomes and progress', async () => {
    const destination = join(base, 'dest', 'tree');
    const prepared = await receiving.prepareReceive(
      prepare('prepare-1', 'job-1', destination),
      io('receive'),
    );
    const receiver = prepared.prepareReceive;
    expect(receiver?.dataAddress).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);
    expect(receiver?.certFingerprint).toMatch(/^[0-9a-f]{64}$/);
    const ticket = await ticketFor('job-1', destination);
    const progress: Progress[] = [];
    const pushed = await sending.pushChunks(
      push('push-1', {
        peerAddress: receiver?.dataAddress ?? '',
        peerCertFingerprint: receiver?.certFingerprint ?? '',
        ticket,
        jobId: 'job-1',
        sourceRoot: join(base, 'source', 'tree'),
        files: ['a.bin', 'gone.bin', 'deep/b.bin'],
        compression: 'zstd',
      }),
      io('send', progress),
    );
    expect(pushed.pushChunks).toMatchObject({
      filesSent: 2,
      filesFailed: 1,
      newBytes: 900_000,
      files: [
        { path: 'a.bin', status: 'sent', size: 200_000 },
        { path: 'gone.bin', status: 'failed', reason: expect.any(String), size: 0 },
        { path: 'deep/b.bin', status: 'sent', size: 700_000 },
      ],
    });
    expect(progress.at(-1)).toMatchObject({
      filesDone: 3,
      filesTotal: 3,
      bytesDone: 900_000,
      bytesTotal: 900_000,
    });
    expect(await listTree(destination)).toEqual(['a.bin', 'deep', 'deep/b.bin']);
    expect(await sha256Of(join(destination, 'deep', 'b.bin'))).toBe(
      await sha256Of(join(base, 'source', 'tree', 'deep', 'b.bin')),
    );
    expect(sending.activeTransfers()).toBe(0);
  });

  it('listens again after a restart for the jobs it still expects, and only until they expire', async () => {
    // A fixed data port, as a real Star has: the sender reconnects to the address it was given.
    const config = starConfigSchema.parse({
      hub: { address: '127.0.0.1:7443' },
      star: {
        name: 'test',
        id: DESTINATION_STAR,
        state_dir: receiverConfig.star.stateDir,
        data_listen: `127.0.0.1:${await freePort()}`,
      },
      security: { allowed_paths: [{ path: join(base, 'dest'), access: 'rw' }] },
    });
    const restart = async () => {
      await receiving.close();
      receiving = createTransferCommands({
        config,
        jail: createPathJail(config.security.allowedPaths),
        tickets,
        log: () => undefined,
      });
    };
    const destination = join(base, 'dest', 'again');
    await restart();
    const receiver = (
      await receiving.prepareReceive(prepare('prepare-3', 'job-3', destination), io('receive'))
    ).prepareReceive;
    const pushJob3 = async (id: string) =>
      sending.pushChunks(
        push(id, {
          peerAddress: receiver?.dataAddress ?? '',
          peerCertFingerprint: receiver?.certFingerprint ?? '',
          ticket: await ticketFor('job-3', destination),
          sourceRoot: join(base, 'source', 'tree'),
          files: ['a.bin'],
        }),
        io('send'),
      );

    // A new agent on the same state directory listens before any command, and takes job-3's sender.
    await restart();
    expect(await receiving.resumeReceives()).toBe(true);
    expect((await pushJob3('push-3')).pushChunks).toMatchObject({ filesSent: 1, filesFailed: 0 });
    expect(await listTree(destination)).toEqual(['a.bin']);

    // Past its deadline a job is not expected: the agent does not listen for it, and refuses it
    // when something else made it listen.
    const file = join(config.star.stateDir, 'data-plane', 'expected-jobs.json');
    const jobs = JSON.parse(await readFile(file, 'utf8')) as Record<string, { until: number }>;
    expect(jobs['job-3']?.until).toBeGreaterThan(Date.now());
    await writeFile(
      file,
      JSON.stringify({ 'job-3': { path: destination, archive: false, until: Date.now() - 1 } }),
    );
    await restart();
    expect(await receiving.resumeReceives()).toBe(false);
    await receiving.prepareReceive(prepare('prepare-4', 'job-4', join(base, 'dest', 'other')), io('receive'));
    await expect(pushJob3('push-4')).rejects.toMatchObject({
      message: expect.stringContaining('job job-3 is not expected here'),
    });
    expect(Object.keys(JSON.parse(await readFile(file, 'utf8')))).toEqual(['job-4']);
  });

  it('presents a renewed certificate to new connections; a push refused with the old pin takes the granted one', async () => {
    const destination = join(base, 'dest', 'renewed');
    const before = (await receiving.prepareReceive(prepare('prepare-5', 'job-5', destination), io('receive')))
      .prepareReceive;
    // The Star renewed while the run is open; the Nucleus pins the new certificate in new tickets.
    const renewed = await createStarCredentials(ca, DESTINATION_STAR);
    await receiving.useCredentials(renewed);
    const after = (await receiving.prepareReceive(prepare('prepare-6', 'job-5', destination), io('receive')))
      .prepareReceive;
    expect(before?.certFingerprint).not.toBe(renewed.fingerprint);
    expect(after).toEqual({ dataAddress: before?.dataAddress, certFingerprint: renewed.fingerprint });

    const ticket = () => ticketFor('job-5', destination);
    // The command still carries the pin from before: refused, the push asks the Nucleus again.
    const granted = (async () => {
      while (!sentMessages.some((message) => message.ticketRequest?.commandId === 'push-5'))
        await new Promise((resolve) => setTimeout(resolve, 20));
      tickets.grant({
        commandId: 'push-5',
        ticket: await ticket(),
        error: '',
        retry: false,
        peerCertFingerprint: renewed.fingerprint,
      });
    })();
    const pushed = await sending.pushChunks(
      push('push-5', {
        peerAddress: before?.dataAddress ?? '',
        peerCertFingerprint: before?.certFingerprint ?? '',
        ticket: await ticket(),
        jobId: 'job-5',
        sourceRoot: join(base, 'source', 'tree'),
        files: ['a.bin'],
      }),
      io('send'),
    );
    await granted;
    expect(pushed.pushChunks).toMatchObject({ filesSent: 1, filesFailed: 0, connections: 1 });
    expect(await sha256Of(join(destination, 'a.bin'))).toBe(
      await sha256Of(join(base, 'source', 'tree', 'a.bin')),
    );
  });

  it('refuses a destination outside the writable roots and a file path that climbs out', async () => {
    await expect(
      receiving.prepareReceive(prepare('prepare-2', 'job-2', join(base, 'source')), io('receive')),
    ).rejects.toMatchObject({ name: 'PathDeniedError' });
    await expect(
      sending.pushChunks(
        push('push-2', {
          peerAddress: '127.0.0.1:1',
          sourceRoot: join(base, 'source', 'tree'),
          files: ['../../state/star.key'],
        }),
        io('send'),
      ),
    ).rejects.toMatchObject({ code: 'ERROR_CODE_INVALID_ARGUMENT' });
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
