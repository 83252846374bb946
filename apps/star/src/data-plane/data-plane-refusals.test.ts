import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getHashAlgorithm } from '@orbit/engine/hashing/hash-registry';
import type { SignTicketInput } from '@orbit/engine/identity/data-plane-ticket';
import { createGridCa, type GridCa } from '@orbit/engine/identity/grid-ca';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createDataPlaneWorld,
  createGrid,
  createStarCredentials,
  type DataPlaneWorld,
  DESTINATION_STAR,
  helloRaw,
  JOB_ID,
  listTree,
  randomData,
  rawConnect,
  type StarCredentials,
  TEST_CHUNKING,
} from './data-plane.fixture.ts';
import { type PushFilesOptions, pushFiles } from './data-plane-client.ts';
import type { DataPlaneServer, DataPlaneServerOptions } from './data-plane-server.ts';
import { encodeChunkFrame, encodeJsonFrame, FrameType, PROTOCOL_VERSION } from './wire-frames.ts';
import { fileFailedSchema, haveSchema, parseControl, readySchema, rejectSchema } from './wire-messages.ts';

let grid: { ca: GridCa; receiver: StarCredentials };
let world: DataPlaneWorld;

beforeAll(async () => {
  grid = await createGrid();
});
beforeEach(async () => {
  world = await createDataPlaneWorld(grid.ca, grid.receiver);
  await writeFile(join(world.source, 'a.bin'), randomData(300 * 1024));
});
afterEach(() => world.cleanup());

async function push(server: DataPlaneServer, extra: Partial<PushFilesOptions> = {}) {
  return pushFiles({
    address: `${server.host}:${server.port}`,
    fingerprint: server.fingerprint,
    ticket: await world.ticket(),
    files: ['a.bin'],
    sourceRoot: world.source,
    jail: world.senderJail,
    chunking: TEST_CHUNKING,
    retries: 0,
    ...extra,
  });
}

/** The receiver wrote nothing: no file, no temp file, no journal. */
async function expectNothingWritten(): Promise<void> {
  expect(await listTree(world.dest)).toEqual([]);
  expect((await listTree(world.state)).filter((name) => name.endsWith('.jsonl'))).toEqual([]);
}

describe('the sender pins the receiver certificate', () => {
  it('refuses a receiver whose certificate is not the pinned one', async () => {
    const server = await world.startReceiver();
    const other = await createStarCredentials(grid.ca, DESTINATION_STAR);
    await expect(push(server, { fingerprint: other.fingerprint })).rejects.toMatchObject({
      reason: 'fingerprint-mismatch',
      message: expect.stringContaining(
        `presented certificate ${server.fingerprint}, expected ${other.fingerprint}`,
      ),
    });
    await expectNothingWritten();
  });
});

describe('the receiver checks the ticket before anything is written', () => {
  const hour = 60 * 60 * 1000;
  const cases: [string, Partial<SignTicketInput>, string][] = [
    [
      'expired',
      { issuedAt: new Date(Date.now() - 2 * hour), expiresAt: new Date(Date.now() - hour) },
      'ticket refused (expired)',
    ],
    ['for the other direction', { direction: 'receive' }, 'ticket refused (wrong-direction)'],
    ['for another Star', { destinationStarId: 'star-elsewhere' }, 'ticket refused (wrong-star)'],
  ];
  for (const [name, overrides, message] of cases) {
    it(`refuses a ticket ${name}`, async () => {
      const server = await world.startReceiver();
      await expect(push(server, { ticket: await world.ticket(overrides) })).rejects.toMatchObject({
        reason: 'bad-ticket',
        message: expect.stringContaining(message),
      });
      await expectNothingWritten();
    });
  }

  it('refuses a forged or altered ticket', async () => {
    const server = await world.startReceiver();
    const forger = await createGridCa({ commonName: 'Data plane test CA', validityDays: 1 });
    const forgedWorld = await createDataPlaneWorld(forger, grid.receiver);
    try {
      await expect(push(server, { ticket: await forgedWorld.ticket() })).rejects.toMatchObject({
        reason: 'bad-ticket',
        message: expect.stringContaining('ticket refused (bad-signature)'),
      });
    } finally {
      await forgedWorld.cleanup();
    }
    const [prefix, claims, signature] = (await world.ticket()).split('.');
    const widened = Buffer.from(JSON.stringify({ ...decodeClaims(claims ?? ''), path: '/' })).toString(
      'base64url',
    );
    await expect(push(server, { ticket: `${prefix}.${widened}.${signature}` })).rejects.toMatchObject({
      reason: 'bad-ticket',
      message: expect.stringContaining('ticket refused (bad-signature)'),
    });
    await expectNothingWritten();
  });

  it('refuses a ticket for a job or a path this Star was not told to expect', async () => {
    const expectedJob: DataPlaneServerOptions['expectedJob'] = (jobId) =>
      jobId === JOB_ID ? { path: join(world.dest, 'project') } : undefined;
    const server = await world.startReceiver({ expectedJob });
    await expect(push(server, { ticket: await world.ticket({ jobId: 'job-8' }) })).rejects.toMatchObject({
      reason: 'bad-ticket',
      message: expect.stringContaining('ticket refused (wrong-job)'),
    });
    await expect(push(server, { ticket: await world.ticket({ path: world.dest }) })).rejects.toMatchObject({
      reason: 'bad-ticket',
      message: expect.stringContaining('ticket refused (wrong-path)'),
    });
    await expectNothingWritten();
    await mkdir(join(world.dest, 'project'));
    const ok = await push(server, { ticket: await world.ticket({ path: join(world.dest, 'project') }) });
    expect(ok.files[0]).toMatchObject({ status: 'sent' });
  });
});

describe('the receiver refuses what does not follow the protocol', () => {
  it('answers another protocol version (the one before, too) and unknown frames with REJECT', async () => {
    const server = await world.startReceiver();
    const versions = await rawConnect(server);
    const older = PROTOCOL_VERSION - 1;
    await versions.write(
      encodeJsonFrame(FrameType.hello, {
        version: older,
        ticket: await world.ticket(),
        chunking: TEST_CHUNKING,
      }),
    );
    expect(parseControl(await versions.expect('test'), FrameType.reject, rejectSchema)).toMatchObject({
      reason: 'version',
      message: `sender speaks protocol ${older}, this Star ${PROTOCOL_VERSION}`,
    });
    versions.destroy();

    const garbage = await helloRaw(server, await world.ticket());
    await garbage.write(Uint8Array.from([0, 0, 0, 0, 42]));
    expect(parseControl(await garbage.expect('test'), FrameType.reject, rejectSchema)).toMatchObject({
      reason: 'protocol',
      message: 'received a frame of unknown type 42',
    });
    garbage.destroy();
    await expectNothingWritten();
  });
});

describe('paths are jailed on both sides', () => {
  it('the sender refuses to read outside its source root', async () => {
    await writeFile(join(world.base, 'outside.txt'), 'not yours');
    const server = await world.startReceiver();
    const result = await push(server, { files: ['../outside.txt', 'a.bin'] });
    expect(result.files[0]).toMatchObject({
      status: 'failed',
      reason: 'path-denied',
      message: expect.stringContaining('(dot-dot)'),
    });
    expect(result.files[1]).toMatchObject({ status: 'sent' });
    expect(await listTree(world.dest)).toEqual(['a.bin']);
  });

  it('the receiver refuses "..", absolute paths and symlinks out of its root, and writes nothing', async () => {
    await mkdir(join(world.base, 'elsewhere'));
    await symlink(join(world.base, 'elsewhere'), join(world.dest, 'link'));
    const server = await world.startReceiver();
    const stream = await helloRaw(server, await world.ticket());
    for (const [path, cause] of [
      ['../escape.bin', '(dot-dot)'],
      ['sub/../../escape.bin', '(dot-dot)'],
      ['/tmp/escape.bin', 'must be relative'],
      ['link/escape.bin', '(symlink-escape)'],
    ] as const) {
      await stream.write(encodeJsonFrame(FrameType.fileBegin, fileBegin(path, new Uint8Array([1, 2, 3]))));
      const answer = parseControl(await stream.expect('test'), FrameType.fileFailed, fileFailedSchema);
      expect(answer, path).toMatchObject({
        path,
        reason: 'path-denied',
        message: expect.stringContaining(cause),
      });
    }
    stream.destroy();
    expect(await listTree(world.base)).not.toContain('escape.bin');
    expect(await listTree(join(world.base, 'elsewhere'))).toEqual([]);
    expect(await listTree(world.dest)).toEqual(['link']);
  });

  it('a chunk that does not match its hash fails the file and leaves no partial file', async () => {
    const server = await world.startReceiver();
    const stream = await helloRaw(server, await world.ticket());
    const data = new Uint8Array(1000).fill(7);
    const begin = fileBegin('bad.bin', data);
    await stream.write(encodeJsonFrame(FrameType.fileBegin, begin));
    parseControl(await stream.expect('test'), FrameType.have, haveSchema);
    const damaged = Uint8Array.from(data);
    damaged[500] = 8;
    const hash = begin.chunks[0]?.[2] ?? '';
    await stream.write(encodeChunkFrame({ hash, codec: 'none', rawLength: data.length, payload: damaged }));
    await stream.write(encodeJsonFrame(FrameType.fileEnd, {}));
    let answer = await stream.expect('test');
    while (answer.type === FrameType.ack) answer = await stream.expect('test');
    expect(parseControl(answer, FrameType.fileFailed, fileFailedSchema)).toMatchObject({
      reason: 'checksum',
      message: expect.stringContaining('does not match its hash'),
    });
    stream.destroy();
    await expectNothingWritten();
  });

  // A streamed file is hashed as it is written, not piece by piece: the whole-file hash must catch it.
  it.each([
    ['a piece damaged on the way', { damage: true, fileHash: 'true' }],
    ['a FILE_END hash that is not the file', { damage: false, fileHash: 'other' }],
  ] as const)('a streamed file with %s is refused and leaves no partial file', async (_, how) => {
    const server = await world.startReceiver();
    const stream = await helloRaw(server, await world.ticket());
    const blake3 = getHashAlgorithm('blake3');
    const pieces = [randomData(64 * 1024), randomData(64 * 1024), randomData(10_000)];
    const whole = blake3.create();
    for (const piece of pieces) whole.update(piece);
    const size = pieces.reduce((sum, piece) => sum + piece.length, 0);
    const { hash: _hash, chunks: _chunks, ...announce } = fileBegin('streamed.bin', new Uint8Array(size));
    await stream.write(encodeJsonFrame(FrameType.fileBegin, announce));
    expect(parseControl(await stream.expect('test'), FrameType.ready, readySchema)).toEqual({
      mode: 'stream',
    });
    for (const [index, piece] of pieces.entries()) {
      const payload = Uint8Array.from(piece);
      if (how.damage && index === 1) payload[100] = (payload[100] ?? 0) ^ 1;
      const hash = blake3.hash(piece);
      await stream.write(encodeChunkFrame({ hash, codec: 'none', rawLength: piece.length, payload }));
    }
    const fileHash = how.fileHash === 'true' ? whole.digest() : blake3.hash(new Uint8Array(1));
    await stream.write(encodeJsonFrame(FrameType.fileEnd, { hash: fileHash }));
    let answer = await stream.expect('test');
    while (answer.type === FrameType.ack) answer = await stream.expect('test');
    expect(parseControl(answer, FrameType.fileFailed, fileFailedSchema)).toMatchObject({
      path: 'streamed.bin',
      reason: 'checksum',
      message: expect.stringContaining("does not match the sender's file hash"),
    });
    stream.destroy();
    await expectNothingWritten();
  });
});

function fileBegin(path: string, data: Uint8Array) {
  const blake3 = getHashAlgorithm('blake3');
  const hash = blake3.hash(data);
  return {
    path,
    size: data.length,
    mode: 0o644,
    mtimeMs: Date.now(),
    hash,
    algorithm: 'blake3' as const,
    chunks: [[0, data.length, hash]] as [number, number, string][],
  };
}

function decodeClaims(payload: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}
