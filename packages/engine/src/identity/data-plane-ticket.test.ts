import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_TICKET_TTL_MS,
  signTicket,
  type TicketExpectation,
  verifyTicket,
} from './data-plane-ticket.ts';
import { createGridCa, type GridCa } from './grid-ca.ts';
import { TicketError, type TicketRejection } from './identity-errors.ts';

let ca: GridCa;
let otherCa: GridCa;
const issuedAt = new Date('2026-03-01T12:00:00Z');
const soon = new Date(issuedAt.getTime() + 60_000);
const base = {
  jobId: 'job-42',
  path: '/srv/data/project',
  direction: 'send',
  sourceStarId: 'star-a',
  destinationStarId: 'star-b',
  issuedAt,
} as const;
const receiverExpects: TicketExpectation = {
  direction: 'send',
  starId: 'star-b',
  jobId: 'job-42',
  path: '/srv/data/project/a.bin',
};

beforeAll(async () => {
  ca = await createGridCa({ commonName: 'Ticket CA', validityDays: 30 });
  otherCa = await createGridCa({ commonName: 'Ticket CA', validityDays: 30 });
});

async function reason(
  ticket: string,
  expect: TicketExpectation,
  now = soon,
  caPem = ca.certificatePem,
): Promise<TicketRejection | 'accepted'> {
  try {
    await verifyTicket(ticket, caPem, { now, expect });
    return 'accepted';
  } catch (error) {
    if (error instanceof TicketError) return error.reason;
    throw error;
  }
}

describe('data-plane tickets', () => {
  it('round-trips the claims and defaults to a 10-minute life', async () => {
    const ticket = await signTicket(base, ca.privateKey);
    expect(ticket).toMatch(/^ot1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const claims = await verifyTicket(ticket, ca.certificatePem, { now: soon, expect: receiverExpects });
    expect(claims).toEqual({ ...base, expiresAt: new Date(issuedAt.getTime() + DEFAULT_TICKET_TTL_MS) });
    expect(DEFAULT_TICKET_TTL_MS).toBe(10 * 60 * 1000);
  });

  it('accepts the ticket path itself and anything under it, nothing beside it', async () => {
    const ticket = await signTicket(base, ca.privateKey);
    const at = (path: string) => reason(ticket, { ...receiverExpects, path });
    expect(await at('/srv/data/project')).toBe('accepted');
    expect(await at('/srv/data/project/deep/er/file')).toBe('accepted');
    for (const path of [
      '/srv/data/project-evil/x',
      '/srv/data',
      '/srv/data/project/../other',
      '/srv/data/project/./a',
      '/srv/data/project//a',
      'srv/data/project/a',
      '/srv/data/project/a\0b',
    ]) {
      expect(await at(path), path).toBe('wrong-path');
    }
  });

  it('says exactly why it refuses', async () => {
    const ticket = await signTicket(base, ca.privateKey);
    expect(await reason(ticket, receiverExpects, new Date(issuedAt.getTime() + DEFAULT_TICKET_TTL_MS))).toBe(
      'expired',
    );
    expect(await reason(ticket, receiverExpects, new Date(issuedAt.getTime() - 5 * 60_000))).toBe(
      'not-yet-valid',
    );
    expect(await reason(ticket, { ...receiverExpects, jobId: 'job-43' })).toBe('wrong-job');
    expect(await reason(ticket, { ...receiverExpects, direction: 'receive' })).toBe('wrong-direction');
    // The sender itself is not the one who checks a send ticket.
    expect(await reason(ticket, { ...receiverExpects, starId: 'star-a' })).toBe('wrong-star');
    expect(await reason(ticket, receiverExpects, soon, otherCa.certificatePem)).toBe('bad-signature');
  });

  it('checks the source Star for receive tickets', async () => {
    const ticket = await signTicket({ ...base, direction: 'receive' }, ca.privateKey);
    expect(await reason(ticket, { direction: 'receive', starId: 'star-a' })).toBe('accepted');
    expect(await reason(ticket, { direction: 'receive', starId: 'star-b' })).toBe('wrong-star');
  });

  it('detects tampering with the claims or the signature', async () => {
    const ticket = await signTicket(base, ca.privateKey);
    const [prefix, payload = '', signature = ''] = ticket.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, job: 'job-99' })).toString('base64url');
    expect(await reason(`${prefix}.${forged}.${signature}`, { ...receiverExpects, jobId: 'job-99' })).toBe(
      'bad-signature',
    );
    const longer = Buffer.from(JSON.stringify({ ...claims, exp: Number(claims.exp) + 3_600_000 })).toString(
      'base64url',
    );
    expect(await reason(`${prefix}.${longer}.${signature}`, receiverExpects)).toBe('bad-signature');
    const flipped = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    expect(await reason(`${prefix}.${payload}.${flipped}`, receiverExpects)).toBe('bad-signature');
  });

  it('calls garbage malformed', async () => {
    const ticket = await signTicket(base, ca.privateKey);
    for (const bad of [
      '',
      'ot1',
      'ot1..',
      'ot2.a.b',
      `${ticket}.extra`,
      'ot1.!!!.sig',
      ticket.replace('ot1.', 'OT1.'),
    ]) {
      expect(await reason(bad, receiverExpects), JSON.stringify(bad)).toBe('malformed');
    }
  });

  it('refuses to sign tickets that are too long-lived or name bad paths', async () => {
    await expect(
      signTicket({ ...base, expiresAt: new Date(issuedAt.getTime() + 25 * 3_600_000) }, ca.privateKey),
    ).rejects.toThrow(/lifetime/);
    await expect(signTicket({ ...base, expiresAt: issuedAt }, ca.privateKey)).rejects.toThrow(/lifetime/);
    for (const path of ['relative/x', '/a/../b', '/a/', '/a//b']) {
      await expect(signTicket({ ...base, path }, ca.privateKey), path).rejects.toThrow(/canonical/);
    }
  });
});
