import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStar, waitFor } from '../grid/grid-test-harness.ts';
import { restartStar, type TestStar, treeHashes, waitUntilScheduled } from './grid-e2e-harness.ts';
import { createGridWorld, type GridWorld, MiB, writeRandom } from './grid-world.ts';

/**
 * A destination Star that renews its certificate presents a new one on its data plane. Senders pin
 * the receiver's certificate, so each push must learn the new pin from the Nucleus, which issued it.
 */
let world: GridWorld;
beforeAll(async () => {
  world = await createGridWorld('renewal');
});
afterAll(() => world?.close());

describe('a destination Star that renewed its certificate', () => {
  it('renewed while it was down: the push the restart interrupted finishes, pinned to the new certificate', async () => {
    const { alpha, beta, dir, finished } = world;
    const { runId, source } = await world.transferInFlight({
      name: 'renewed-down',
      from: alpha,
      to: beta,
      files: { 'big.bin': 128 * MiB },
      receivedBytes: 24 * MiB,
    });
    beta.process.kill();
    await beta.process.exited;
    const pin = await renew(beta);
    await restartStar(world.grid(), beta, dir.path);

    const done = await finished(runId, 120_000);
    expect(done, done.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 1, error: null });
    expect(await treeHashes(path.join(beta.root, 'renewed-down'))).toEqual(await treeHashes(source));
    expect(await presentedBy(beta)).toBe(pin);
    // The push the kill interrupted is the one that finished: its reconnect took the new pin.
    expect(await world.pushes(runId)).toEqual([{ state: 'succeeded', error: null }]);
  });

  it('renewed while it serves: its data plane presents the new certificate and pushes pin that one', async () => {
    const { alpha, beta } = world;
    const copy = async (name: string) => {
      await writeRandom(path.join(alpha.root, name, 'f.bin'), MiB);
      const job = await world.job({
        name,
        from: alpha,
        to: beta,
        sourcePath: path.join(alpha.root, name),
        destinationPath: path.join(beta.root, name),
      });
      const done = await world.finished(await world.queue(job.id));
      expect(done, done.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 1 });
    };
    // A first run has beta's data plane listen with the certificate it has now.
    await copy('before-renewal');
    expect(await presentedBy(beta)).toBe(await pinOf(beta));

    const pin = await renew(beta);
    // The serving Star takes its renewed certificate when its session redials, as after a renewal of
    // its own; the Nucleus restart makes it redial now.
    await world.restartNucleus();
    await waitUntilScheduled(world.grid(), beta);
    await waitFor('the data plane to present the renewed certificate', async () =>
      (await presentedBy(beta)) === pin ? true : undefined,
    );
    await copy('after-renewal');
  });
});

/** `orbit-star renew` for the Star: the fingerprint the Nucleus now records for it. */
async function renew(star: TestStar): Promise<string> {
  const before = await pinOf(star);
  const renewed = await runStar(['renew', '--config', star.configFile], world.dir.path);
  expect(renewed.code, renewed.output).toBe(0);
  const after = await pinOf(star);
  expect(after).not.toBe(before);
  return after;
}

async function pinOf(star: TestStar): Promise<string> {
  const row = await world.test.db.star.findUniqueOrThrow({
    where: { id: star.id },
    select: { certFingerprint: true },
  });
  if (!row.certFingerprint) throw new Error(`Star ${star.id} has no certificate on record`);
  return row.certFingerprint;
}

/** SHA-256 of the certificate the Star's data plane presents to a new connection. */
async function presentedBy(star: TestStar): Promise<string> {
  const config = await readFile(star.configFile, 'utf8');
  const port = Number(/^data_listen = "127\.0\.0\.1:(\d+)"$/m.exec(config)?.[1]);
  const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', reject);
    });
    return createHash('sha256').update(socket.getPeerCertificate().raw).digest('hex');
  } finally {
    socket.destroy();
  }
}
