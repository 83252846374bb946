import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../grid/grid-test-harness.ts';
import { type Forwarder, forward, restartStar, treeHashes } from './grid-e2e-harness.ts';
import { createGridWorld, type GridWorld, MiB } from './grid-world.ts';

/** Tickets live 2 s here, so the push's first ticket is useless by the time it reconnects. */
const TICKET_TTL_MS = 2000;

/**
 * The receiving Star advertises its data plane through a forwarder, so the test can cut the
 * sender's link (as a network blip would) while the Nucleus is down: the sender's reconnect then
 * needs a fresh ticket that only a Nucleus can grant.
 */
let world: GridWorld;
let link: Forwarder;
beforeAll(async () => {
  world = await createGridWorld('tickets', { dispatcher: { ticketTtlMs: TICKET_TTL_MS } });
  const { beta } = world;
  beta.process.kill();
  await beta.process.exited;
  const config = await readFile(beta.configFile, 'utf8');
  const listen = /^data_listen = "127\.0\.0\.1:(\d+)"$/m.exec(config);
  if (!listen?.[1]) throw new Error(`no data_listen line in ${beta.configFile}:\n${config}`);
  link = await forward(Number(listen[1]));
  await writeFile(
    beta.configFile,
    config.replace(listen[0], `${listen[0]}\nadvertise_address = "127.0.0.1:${link.port}"`),
    { mode: 0o600 },
  );
  await restartStar(world.grid(), beta, world.dir.path);
});
afterAll(async () => {
  link?.close();
  await world?.close();
});

describe('a ticket asked for while the Nucleus is down', () => {
  it('is asked again when the Nucleus is back, and the same push finishes', async () => {
    const { alpha, beta, test, finished, runRow } = world;
    const { runId, source } = await world.transferInFlight({
      name: 'outage',
      from: alpha,
      to: beta,
      files: { 'big.bin': 96 * MiB },
      // zstd's slowest level keeps the push busy for seconds, so the outage lands mid-file.
      compression: 'zstd:19',
      receivedBytes: 8 * MiB,
    });
    const { startedAt } = await test.db.run.findUniqueOrThrow({
      where: { id: runId },
      select: { startedAt: true },
    });

    await world.restartNucleus(async () => {
      link.retarget(link.target);
      await waitFor('the sender to wait for a Nucleus to ask for its ticket', async () =>
        alpha.process.output().includes('waits for a session with the Nucleus') ? true : undefined,
      );
      await waitFor('the first ticket to expire', async () =>
        Date.now() > (startedAt?.getTime() ?? 0) + TICKET_TTL_MS + 500 ? true : undefined,
      );
      expect((await runRow(runId)).state).toBe('running');
    });

    const done = await finished(runId, 180_000);
    expect(done, done.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 1, error: null });
    expect(await treeHashes(path.join(beta.root, 'outage'))).toEqual(await treeHashes(source));
    // The push the outage interrupted is the one that finished: its reconnect got a fresh ticket
    // from the restarted Nucleus, so no second attempt was needed.
    expect(
      await test.db.gridCommand.findMany({ where: { runId }, select: { kind: true, state: true } }),
    ).toEqual([{ kind: 'pushChunks', state: 'succeeded' }]);
    expect(alpha.process.output()).not.toContain('gave up');
  }, 240_000);
});
