import type { StarMessage } from '@orbit/proto';
import { describe, expect, it } from 'vitest';
import { TicketRequests } from './ticket-requests.ts';

function requests() {
  const sent: string[] = [];
  const tickets = new TicketRequests(
    (message: StarMessage) => {
      if (message.ticketRequest?.commandId) sent.push(message.ticketRequest.commandId);
    },
    { firstRetryMs: 20, maxRetryMs: 40 },
  );
  return { tickets, sent };
}

const live = () => new AbortController().signal;
const inAMinute = () => Date.now() + 60_000;

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('ticket requests', () => {
  it('asks on a live session and takes the grant, or the refusal, for its command', async () => {
    const { tickets, sent } = requests();
    tickets.sessionUp();
    const asked = tickets.request('push-9', live(), inAMinute());
    expect(sent).toEqual(['push-9']);
    const pin = 'cd'.repeat(32);
    tickets.grant({
      commandId: 'push-9',
      ticket: 'ot1.fresh',
      error: '',
      retry: false,
      peerCertFingerprint: pin,
    });
    await expect(asked).resolves.toEqual({ ticket: 'ot1.fresh', fingerprint: pin });
    const refused = tickets.request('push-10', live(), inAMinute());
    tickets.grant({
      commandId: 'push-10',
      ticket: '',
      error: 'run r1 is cancelled',
      retry: false,
      peerCertFingerprint: '',
    });
    await expect(refused).rejects.toMatchObject({
      code: 'ERROR_CODE_PERMISSION_DENIED',
      message: expect.stringContaining('run r1 is cancelled'),
    });
  });

  it('keeps a request made while no Nucleus is reachable and asks once a session is up', async () => {
    const { tickets, sent } = requests();
    const asked = tickets.request('push-1', live(), inAMinute());
    // Several backoff periods with nobody to ask: nothing is sent, nothing fails.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sent).toEqual([]);
    tickets.sessionUp();
    expect(sent).toEqual(['push-1']);
    // A Nucleus that sends no pin: the push keeps the one it has.
    tickets.grant({
      commandId: 'push-1',
      ticket: 'ot1.after-restart',
      error: '',
      retry: false,
      peerCertFingerprint: '',
    });
    await expect(asked).resolves.toEqual({ ticket: 'ot1.after-restart' });
  });

  it('asks again after a "not yet" until the Nucleus grants it', async () => {
    const { tickets, sent } = requests();
    tickets.sessionUp();
    const asked = tickets.request('push-2', live(), inAMinute());
    tickets.grant({
      commandId: 'push-2',
      ticket: '',
      error: 're-attaching',
      retry: true,
      peerCertFingerprint: '',
    });
    await until(() => sent.length >= 3);
    tickets.grant({
      commandId: 'push-2',
      ticket: 'ot1.late',
      error: '',
      retry: false,
      peerCertFingerprint: '',
    });
    await expect(asked).resolves.toEqual({ ticket: 'ot1.late' });
    const count = sent.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Answered: no more asking.
    expect(sent.length).toBe(count);
  });

  it("gives up at the command's deadline, and when the command is cancelled", async () => {
    const { tickets, sent } = requests();
    await expect(tickets.request('push-3', live(), Date.now() + 50)).rejects.toMatchObject({
      code: 'ERROR_CODE_DEADLINE_EXCEEDED',
    });
    const cancel = new AbortController();
    const asked = tickets.request('push-4', cancel.signal, 0);
    cancel.abort(new Error('cancelled by the Nucleus'));
    await expect(asked).rejects.toThrow('cancelled by the Nucleus');
    // Nothing is left waiting: a session coming up asks for neither.
    tickets.sessionUp();
    expect(sent).toEqual([]);
  });
});
