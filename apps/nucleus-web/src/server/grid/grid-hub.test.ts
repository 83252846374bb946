import type { NucleusMessage, ResultPart__Output } from '@orbit/proto';
import { describe, expect, it } from 'vitest';
import { GridCommandError } from './grid-command-error.ts';
import { createGridHub, type StarLifecycle, type StarLink } from './grid-hub.ts';

/** A Session as the hub sees it, recording what the hub writes to the Star. */
function link(starId = 'star-1', lifecycle: StarLifecycle = 'scheduled') {
  const written: NucleusMessage[] = [];
  const closed: string[] = [];
  const value: StarLink = {
    starId,
    teamId: 'team-1',
    name: `name-${starId}`,
    connectedAt: new Date(),
    lifecycle,
    version: '0.1.0',
    lastSeenMs: Date.now(),
    lastHeartbeat: undefined,
    deniedCommands: 0,
    write: (message) => written.push(message),
    close: (reason) => closed.push(reason),
    redirect: (address, reason) => closed.push(`redirected to ${address}: ${reason}`),
  };
  const commandIds = () => written.flatMap((message) => (message.command?.id ? [message.command.id] : []));
  return { link: value, written, closed, commandIds };
}

function part(commandId: string, sequence: number, last = false): ResultPart__Output {
  return {
    commandId,
    sequence,
    last,
    part: 'scanEntries',
    scanEntries: {
      entries: [
        {
          path: `f${sequence}`,
          size: 1,
          mtimeUnixMs: 0,
          mode: 0o644,
          kind: 'ENTRY_KIND_FILE',
          uid: 0,
          gid: 0,
          linkTarget: '',
          hardLinkTo: '',
        },
      ],
    },
  };
}

describe('GridHub', () => {
  it('reassembles parts in order, ignores replays and acknowledges what it stored', async () => {
    const hub = createGridHub();
    const star = link();
    hub.attach(star.link, []);
    const outcome = hub.sendCommand('star-1', { scanDirectory: { path: '/srv' } }, { deadlineMs: 10_000 });
    const [id = ''] = star.commandIds();
    expect(star.written[0]?.command).toMatchObject({ id, scanDirectory: { path: '/srv' } });
    hub.acceptPart(star.link, part(id, 0));
    hub.acceptPart(star.link, part(id, 0));
    hub.acceptPart(star.link, part(id, 1, true));
    hub.acceptResult(star.link, {
      commandId: id,
      outcome: 'scanDirectory',
      scanDirectory: { files: 2, directories: 0, bytes: 2, parts: 2 },
    });
    const { parts, result } = await outcome;
    expect(parts.map((entry) => entry.sequence)).toEqual([0, 1]);
    expect(result.scanDirectory?.files).toBe(2);
    expect(star.written.slice(1).map((message) => message.ack)).toEqual([
      { commandId: id, sequence: 0, resultStored: false },
      { commandId: id, sequence: 1, resultStored: false },
      { commandId: id, sequence: 0, resultStored: true },
    ]);
  });

  it('fails a command whose parts have a gap', async () => {
    const hub = createGridHub();
    const star = link();
    hub.attach(star.link, []);
    const outcome = hub.sendCommand('star-1', { scanDirectory: { path: '/srv' } }, { deadlineMs: 10_000 });
    const [id = ''] = star.commandIds();
    hub.acceptPart(star.link, part(id, 1));
    await expect(outcome).rejects.toMatchObject({ code: 'ERROR_CODE_DATA_LOSS' });
  });

  it('accepts a result after a reconnect when the Star lists the command, and fails the ones it lost', async () => {
    const hub = createGridHub();
    const before = link();
    hub.attach(before.link, []);
    const kept = hub.sendCommand(
      'star-1',
      { verify: { path: '/srv/a', expectedHash: 'ab' } },
      { deadlineMs: 10_000 },
    );
    const lost = hub.sendCommand(
      'star-1',
      { verify: { path: '/srv/b', expectedHash: 'cd' } },
      { deadlineMs: 10_000 },
    );
    const [keptId = '', lostId = ''] = before.commandIds();
    hub.detach(before.link);
    expect(hub.isConnected('star-1')).toBe(false);

    const after = link();
    hub.attach(after.link, [keptId]);
    await expect(lost).rejects.toMatchObject({
      code: 'ERROR_CODE_UNAVAILABLE',
      message: expect.stringContaining(lostId),
    });
    hub.acceptResult(after.link, {
      commandId: keptId,
      outcome: 'verify',
      verify: { match: true, actualHash: 'ab' },
    });
    expect((await kept).result.verify?.match).toBe(true);
  });

  it('turns a Star error into GridCommandError and counts jail refusals', async () => {
    const hub = createGridHub();
    const star = link();
    hub.attach(star.link, []);
    const outcome = hub.sendCommand(
      'star-1',
      { readHeader: { path: '/etc/shadow', length: 1 } },
      { deadlineMs: 10_000 },
    );
    const [id = ''] = star.commandIds();
    hub.acceptResult(star.link, {
      commandId: id,
      outcome: 'error',
      error: {
        code: 'ERROR_CODE_PERMISSION_DENIED',
        message: 'outside the roots',
        path: '/etc/shadow',
        hint: 'allow it',
      },
    });
    const error = await outcome.catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(GridCommandError);
    expect(error).toMatchObject({
      code: 'ERROR_CODE_PERMISSION_DENIED',
      path: '/etc/shadow',
      hint: 'allow it',
    });
    expect(hub.connectedStars()[0]?.deniedCommands).toBe(1);
  });

  it('times out at the deadline and tells the Star to cancel', async () => {
    const hub = createGridHub();
    const star = link();
    hub.attach(star.link, []);
    const outcome = hub.sendCommand('star-1', { hashRange: { path: '/srv/a' } }, { deadlineMs: 20 });
    await expect(outcome).rejects.toMatchObject({ code: 'ERROR_CODE_DEADLINE_EXCEEDED' });
    const [id = ''] = star.commandIds();
    expect(star.written.at(-1)?.command?.cancel).toEqual({ commandId: id });
  });

  it('disconnects a Star on request', () => {
    const hub = createGridHub();
    const star = link();
    hub.attach(star.link, []);
    hub.disconnect('star-1', 'removed from the grid');
    expect(star.closed).toEqual(['removed from the grid']);
  });

  it('gives new work only to scheduled Stars; draining ones still answer queries and drain', async () => {
    const hub = createGridHub();
    await expect(hub.sendCommand('nowhere', { drain: {} }, { deadlineMs: 1000 })).rejects.toMatchObject({
      code: 'ERROR_CODE_UNAVAILABLE',
    });
    const star = link('star-2', 'scheduled');
    hub.attach(star.link, []);
    const drained = hub.drain('star-2');
    expect(star.link.lifecycle).toBe('draining');
    await expect(
      hub.sendCommand('star-2', { hashRange: { path: '/a' } }, { deadlineMs: 1000 }),
    ).rejects.toMatchObject({
      code: 'ERROR_CODE_FAILED_PRECONDITION',
    });
    const query = hub.sendCommand(
      'star-2',
      { scanDirectory: { path: '/a' } },
      { deadlineMs: 1000, query: true },
    );
    const [drainId = '', queryId = ''] = star.commandIds();
    hub.acceptResult(star.link, {
      commandId: queryId,
      outcome: 'scanDirectory',
      scanDirectory: { files: 0, directories: 0, bytes: 0, parts: 0 },
    });
    hub.acceptResult(star.link, { commandId: drainId, outcome: 'drain', drain: { finishedCommands: 1 } });
    expect((await query).result.outcome).toBe('scanDirectory');
    expect(await drained).toEqual({ finishedCommands: 1 });
  });

  it('tells the caller the command id, cancels by id and answers ticket requests through the issuer', async () => {
    const hub = createGridHub();
    const star = link();
    hub.attach(star.link, []);
    const sent: string[] = [];
    const outcome = hub.sendCommand(
      'star-1',
      { pushChunks: { peerAddress: '127.0.0.1:1', files: ['a'] } },
      { deadlineMs: 10_000, onSent: (id) => sent.push(id) },
    );
    expect(sent).toEqual(star.commandIds());
    const [id = ''] = sent;

    hub.acceptTicketRequest(star.link, { commandId: id });
    await expect.poll(() => star.written.find((message) => message.ticketGrant)).toBeDefined();
    expect(star.written.find((message) => message.ticketGrant)?.ticketGrant).toMatchObject({
      commandId: id,
      ticket: '',
      error: expect.stringContaining('no dispatcher'),
      // Not a refusal for good: a Star asks again (another process may dispatch soon).
      retry: true,
    });
    hub.setTicketIssuer(async (starId, commandId) => ({
      ticket: `ticket-for-${starId}-${commandId}`,
      peerCertFingerprint: 'ab'.repeat(32),
    }));
    hub.acceptTicketRequest(star.link, { commandId: id });
    await expect
      .poll(() => star.written.filter((message) => message.ticketGrant).at(-1)?.ticketGrant)
      .toMatchObject({ ticket: `ticket-for-star-1-${id}`, peerCertFingerprint: 'ab'.repeat(32) });

    hub.cancelCommand('star-1', id);
    expect(star.written.at(-1)?.command?.cancel).toEqual({ commandId: id });
    hub.acceptResult(star.link, {
      commandId: id,
      outcome: 'error',
      error: { code: 'ERROR_CODE_CANCELLED', message: 'cancelled by the Nucleus', path: '', hint: '' },
    });
    await expect(outcome).rejects.toMatchObject({ code: 'ERROR_CODE_CANCELLED' });
  });

  it('fails what waits and refuses new commands once shut down, so a stopping dispatcher never waits', async () => {
    const hub = createGridHub();
    const star = link();
    hub.attach(star.link, []);
    const waiting = hub.sendCommand('star-1', { drain: {} }, { deadlineMs: 60_000 });
    hub.shutDown('the Nucleus grid server stopped');
    await expect(waiting).rejects.toMatchObject({ code: 'ERROR_CODE_UNAVAILABLE' });
    await expect(hub.sendCommand('star-1', { drain: {} }, { deadlineMs: 60_000 })).rejects.toMatchObject({
      code: 'ERROR_CODE_UNAVAILABLE',
      message: 'the Nucleus grid server stopped',
    });
    // Nothing more went to the Star after the shut-down.
    expect(star.commandIds()).toHaveLength(1);
  });
});
