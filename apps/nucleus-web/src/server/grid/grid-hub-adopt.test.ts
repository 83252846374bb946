import { randomUUID } from 'node:crypto';
import type { NucleusMessage } from '@orbit/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeaseFence } from '../dispatch/lease-fence.ts';
import { createTeamWith, createUser, TEST_AUDIT_KEY } from '../testing/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { createCommandRecords } from './command-records.ts';
import { createGridHub, type StarLink } from './grid-hub.ts';
import { waitFor } from './grid-test-harness.ts';
import { createServerTasks } from './server-tasks.ts';

let test: TestDatabase;
/** GridCommand rows and the audit rows of fenced writes belong to a real team. */
let teamId: string;
const refused: string[] = [];
/** The dispatcher term these commands belong to: epoch 1 holds the lease row below. */
const fence: LeaseFence = { epoch: 1, holder: 'current', refused: (reason) => refused.push(reason) };
beforeAll(async () => {
  test = await createTestDatabase();
  teamId = (await createTeamWith(test, [{ user: await createUser(test), role: 'owner' }])).id;
  await test.superuser(
    `INSERT INTO "DispatcherLease" (name, holder, epoch, "acquiredAt", "expiresAt")
     VALUES ('dispatcher', 'current', 1, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC' + interval '1 hour')`,
  );
});
afterAll(() => test?.drop());

/** A Session as the hub sees it, recording what the hub writes to the Star. */
function link(starId: string) {
  const written: NucleusMessage[] = [];
  const value: StarLink = {
    starId,
    teamId,
    name: `name-${starId}`,
    connectedAt: new Date(),
    lifecycle: 'scheduled',
    version: '0.1.0',
    lastSeenMs: Date.now(),
    lastHeartbeat: undefined,
    deniedCommands: 0,
    write: (message) => written.push(message),
    close: () => undefined,
    redirect: () => undefined,
  };
  const acks = () => written.flatMap((message) => (message.ack ? [message.ack] : []));
  return { link: value, written, acks };
}

/** An open GridCommand row, as a dispatcher writes it before sending. */
async function openRecord(
  starId: string,
  deadline = new Date(Date.now() + 60_000),
  term: LeaseFence = fence,
) {
  const id = randomUUID();
  await test.db.gridCommand.create({
    data: { id, teamId, starId, kind: 'drain', issuedBy: 'previous', deadline },
    select: { id: true },
  });
  return { id, teamId, starId, kind: 'drain', deadline, fence: term };
}

const recordOf = (id: string) =>
  test.db.gridCommand.findUniqueOrThrow({
    where: { id },
    select: { state: true, result: true, error: true },
  });

function hubWithRecords() {
  return createGridHub(
    undefined,
    createCommandRecords(test.db, TEST_AUDIT_KEY, (line) => console.error(line), createServerTasks()),
  );
}

describe('GridHub re-attaching to recorded commands', () => {
  it('holds a result that came before the dispatcher adopted it, and acknowledges it once stored', async () => {
    const hub = hubWithRecords();
    const star = link(`star-${randomUUID()}`);
    const command = await openRecord(star.link.starId);
    hub.attach(star.link, [command.id]);
    hub.acceptResult(star.link, { commandId: command.id, outcome: 'drain', drain: { finishedCommands: 3 } });
    // Its record is open: not acknowledged, so the Star keeps it until someone takes it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(star.acks()).toEqual([]);

    const outcome = await hub.adopt(command, {});
    expect(outcome.result.drain).toEqual({ finishedCommands: 3 });
    // A success is the caller's to store (its row closed in the same transaction): until it says
    // so, the Star keeps the result and the row stays open.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(star.acks()).toEqual([]);
    expect((await recordOf(command.id)).state).toBe('open');
    outcome.acknowledge();
    expect(star.acks()).toEqual([{ commandId: command.id, sequence: 0, resultStored: true }]);
  });

  it("closes a failed command's row only under the current lease epoch", async () => {
    const hub = hubWithRecords();
    const star = link(`star-${randomUUID()}`);
    const current = await openRecord(star.link.starId);
    const staleRefusals: string[] = [];
    const stale = await openRecord(star.link.starId, undefined, {
      epoch: 0,
      holder: 'stalled',
      refused: (reason) => staleRefusals.push(reason),
    });
    hub.attach(star.link, [current.id, stale.id]);
    const failing = {
      outcome: 'error',
      error: { code: 'ERROR_CODE_INTERNAL', message: 'disk on fire', path: '', hint: '' },
    } as const;
    const outcomes = [hub.adopt(current, {}), hub.adopt(stale, {})];
    hub.acceptResult(star.link, { commandId: current.id, ...failing });
    hub.acceptResult(star.link, { commandId: stale.id, ...failing });
    for (const outcome of outcomes)
      await expect(outcome).rejects.toMatchObject({ code: 'ERROR_CODE_INTERNAL' });
    await waitFor('the current record to close', async () =>
      (await recordOf(current.id)).state === 'failed' ? true : undefined,
    );
    await waitFor('the stale term to be told', async () => (staleRefusals.length > 0 ? true : undefined));
    expect((await recordOf(stale.id)).state).toBe('open');
    expect(staleRefusals[0]).toContain('epoch 0');
    expect(refused).toEqual([]);
  });

  it('acknowledges at once a result that no open record waits for', async () => {
    const hub = hubWithRecords();
    const star = link(`star-${randomUUID()}`);
    hub.attach(star.link, []);
    const unknown = randomUUID();
    hub.acceptResult(star.link, { commandId: unknown, outcome: 'drain', drain: { finishedCommands: 0 } });
    await waitFor('the ack', async () => (star.acks().length > 0 ? true : undefined));
    expect(star.acks()).toEqual([{ commandId: unknown, sequence: 0, resultStored: true }]);
  });

  it('gives up on a command the connected Star does not know, and marks it abandoned', async () => {
    const hub = hubWithRecords();
    const star = link(`star-${randomUUID()}`);
    const command = await openRecord(star.link.starId);
    hub.attach(star.link, []);
    await expect(hub.adopt(command, {})).rejects.toMatchObject({
      code: 'ERROR_CODE_UNAVAILABLE',
      message: expect.stringContaining('reconnected without command'),
    });
    await waitFor('the record to close', async () =>
      (await recordOf(command.id)).state === 'abandoned' ? true : undefined,
    );
  });

  it('waits for an offline Star and gives up when it comes back without the command', async () => {
    const hub = hubWithRecords();
    const star = link(`star-${randomUUID()}`);
    const command = await openRecord(star.link.starId);
    const outcome = hub.adopt(command, {});
    let settled = false;
    outcome.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(settled).toBe(false);
    hub.attach(star.link, []);
    await expect(outcome).rejects.toMatchObject({ code: 'ERROR_CODE_UNAVAILABLE' });
  });

  it('passes progress of a Star that still runs the command to the new waiter', async () => {
    const hub = hubWithRecords();
    const star = link(`star-${randomUUID()}`);
    const command = await openRecord(star.link.starId);
    hub.attach(star.link, [command.id]);
    const seen: number[] = [];
    const outcome = hub.adopt(command, { onProgress: (progress) => seen.push(Number(progress.bytesDone)) });
    hub.acceptProgress(star.link, {
      commandId: command.id,
      bytesDone: 42,
      bytesTotal: 100,
      filesDone: 0,
      filesTotal: 1,
      currentPath: 'a',
    });
    hub.acceptResult(star.link, { commandId: command.id, outcome: 'drain', drain: { finishedCommands: 1 } });
    await expect(outcome).resolves.toMatchObject({ result: { drain: { finishedCommands: 1 } } });
    expect(seen).toEqual([42]);
  });

  it('fails an adopted command whose deadline already passed', async () => {
    const hub = hubWithRecords();
    const star = link(`star-${randomUUID()}`);
    const command = await openRecord(star.link.starId, new Date(Date.now() - 1000));
    hub.attach(star.link, [command.id]);
    await expect(hub.adopt(command, {})).rejects.toMatchObject({ code: 'ERROR_CODE_DEADLINE_EXCEEDED' });
    // The Star is told to stop it.
    expect(star.written.some((message) => message.command?.cancel?.commandId === command.id)).toBe(true);
  });

  it('leaves recorded commands open when the Nucleus stops', async () => {
    const hub = hubWithRecords();
    const star = link(`star-${randomUUID()}`);
    const command = await openRecord(star.link.starId);
    hub.attach(star.link, []);
    const outcome = hub.sendCommand(
      star.link.starId,
      { drain: {} },
      { deadlineMs: 60_000, recorded: { id: command.id, fence } },
    );
    expect(star.written[0]?.command?.id).toBe(command.id);
    hub.failAll('stopping');
    await expect(outcome).rejects.toMatchObject({ code: 'ERROR_CODE_UNAVAILABLE' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await recordOf(command.id)).state).toBe('open');
  });
});
