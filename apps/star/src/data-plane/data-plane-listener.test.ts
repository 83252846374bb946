import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GridCa } from '@orbit/engine/identity/grid-ca';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createDataPlaneWorld,
  createGrid,
  createStarCredentials,
  type DataPlaneWorld,
  DESTINATION_STAR,
  helloRaw,
  pushTo,
  randomData,
  type StarCredentials,
  sha256Of,
} from './data-plane.fixture.ts';
import { encodeJsonFrame, FrameType } from './wire-frames.ts';

let grid: { ca: GridCa; receiver: StarCredentials };
let world: DataPlaneWorld;

beforeAll(async () => {
  grid = await createGrid();
});
beforeEach(async () => {
  world = await createDataPlaneWorld(grid.ca, grid.receiver);
  await writeFile(join(world.source, 'a.bin'), randomData(200 * 1024));
});
afterEach(() => world.cleanup());

describe('a receiver that renews its certificate', () => {
  it('presents the new one to new connections on the same port, and open ones carry on', async () => {
    const server = await world.startReceiver();
    const port = server.port;
    const oldPin = server.fingerprint;
    const open = await helloRaw(server, await world.ticket());

    const renewed = await createStarCredentials(grid.ca, DESTINATION_STAR);
    await server.useCertificate(renewed.chainPem, renewed.keyPem);
    expect(server.port).toBe(port);
    expect(server.fingerprint).toBe(renewed.fingerprint);
    expect(server.fingerprint).not.toBe(oldPin);

    // A sender still pinning the old certificate is refused by its own pin check.
    await expect(
      pushTo(world, { ...server, fingerprint: oldPin } as typeof server, ['a.bin'], { retries: 0 }),
    ).rejects.toMatchObject({
      reason: 'fingerprint-mismatch',
    });
    const result = await pushTo(world, server, ['a.bin']);
    expect(result.files[0]?.status).toBe('sent');
    expect(await sha256Of(join(world.dest, 'a.bin'))).toBe(await sha256Of(join(world.source, 'a.bin')));

    // The connection opened before the renewal is still served.
    await open.write(encodeJsonFrame(FrameType.bye, {}));
    const bye = await open.expect('waiting for BYE');
    expect(bye.type).toBe(FrameType.bye);
    open.destroy();
  });
});

describe('a connection that goes silent', () => {
  it('is dropped by the receiver after its idle timeout, and the sender sees the close', async () => {
    const server = await world.startReceiver({ idleTimeoutMs: 300 });
    const silent = await helloRaw(server, await world.ticket());
    expect(server.connections()).toBe(1);
    // Nothing is sent after ACCEPT: the receiver gives up on the connection and closes it.
    expect(await silent.read()).toBeUndefined();
    silent.destroy();
    await expect.poll(() => server.connections()).toBe(0);
  });
});
