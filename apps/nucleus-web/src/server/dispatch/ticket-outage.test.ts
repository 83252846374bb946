import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStar, waitFor } from '../grid/grid-test-harness.ts';
import { treeHashes } from './grid-e2e-harness.ts';
import { createGridWorld, type GridWorld, MiB, receiverCheckpointed, transferOf } from './grid-world.ts';

/** Tickets live 2 s here, so the push's first ticket is useless by the time it reconnects. */
const TICKET_TTL_MS = 2000;

let world: GridWorld;
beforeAll(async () => {
  world = await createGridWorld('tickets', { dispatcher: { ticketTtlMs: TICKET_TTL_MS } });
});
afterAll(() => world?.close());

describe('a ticket asked for while the Nucleus is down', () => {
  it('is asked again when the Nucleus is back, and the same push finishes', async () => {
    const { alpha, beta, dir, test, finished, runRow } = world;
    const { runId, source, size } = await world.transferInFlight({
      name: 'outage',
      from: alpha,
      to: beta,
      files: { 'big.bin': 96 * MiB },
      // zstd's slowest level keeps the push busy for seconds, so the outage lands mid-file.
      compression: 'zstd:19',
      receivedBytes: 8 * MiB,
    });
    await receiverCheckpointed(beta);
    const started = (
      await test.db.run.findUniqueOrThrow({ where: { id: runId }, select: { startedAt: true } })
    ).startedAt;

    await world.restartNucleus(async () => {
      // The receiver restarts while no Nucleus is up: the sender's link drops and its reconnect
      // needs a fresh ticket, which it can only ask for once a Nucleus is back.
      beta.process.kill();
      await beta.process.exited;
      beta.process = startStar(['serve', '--config', beta.configFile], dir.path);
      await waitFor('the sender to wait for a Nucleus to ask for its ticket', async () =>
        alpha.process.output().includes('waits for a session with the Nucleus') ? true : undefined,
      );
      await waitFor('the first ticket to expire', async () =>
        Date.now() > (started?.getTime() ?? 0) + TICKET_TTL_MS + 500 ? true : undefined,
      );
      expect((await runRow(runId)).state).toBe('running');
    });

    const done = await finished(runId, 120_000);
    expect(done, done.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 1, error: null });
    expect(await treeHashes(path.join(beta.root, 'outage'))).toEqual(await treeHashes(source));
    // The push the outage interrupted is the one that finished: no second attempt was needed, and
    // it resumed from the receiver's journal rather than sending the whole file again.
    expect(
      await test.db.gridCommand.findMany({ where: { runId }, select: { kind: true, state: true } }),
    ).toEqual([{ kind: 'pushChunks', state: 'succeeded' }]);
    expect(transferOf(done.checkpoints).newBytes).toBeLessThan(size);
  });
});
