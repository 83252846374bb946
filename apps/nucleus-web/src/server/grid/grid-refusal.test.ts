import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { Prisma } from '../../generated/prisma/client.ts';
import { describeGridFailure, GridRefusal, toGridStatus } from './grid-refusal.ts';

const prismaError = (code: string, message: string) =>
  new Prisma.PrismaClientKnownRequestError(message, { code, clientVersion: Prisma.prismaVersion.client });

describe('toGridStatus', () => {
  it('sends a refusal as its own code and message', () => {
    const refusal = new GridRefusal(status.PERMISSION_DENIED, 'path /etc is outside the allow-list');
    expect(toGridStatus(refusal)).toEqual({
      code: status.PERMISSION_DENIED,
      details: 'path /etc is outside the allow-list',
      message: 'path /etc is outside the allow-list',
    });
  });

  it('turns a database with no free transaction slot or connection into UNAVAILABLE, logged in one line', () => {
    for (const code of ['P2028', 'P2024', 'P1001']) {
      const error = prismaError(
        code,
        'Transaction API error: Unable to start a transaction in the given time.',
      );
      const sent = toGridStatus(error);
      expect(sent.code).toBe(status.UNAVAILABLE);
      expect(sent.details).toMatch(/busy.*retry/);
      expect(describeGridFailure(error)).toBe(`database busy (${code}), the caller retries`);
    }
  });

  it('keeps other failures vague on the wire (INTERNAL) and logs their stack', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'starId')");
    expect(toGridStatus(bug).code).toBe(status.INTERNAL);
    expect(toGridStatus(bug).details).not.toContain('starId');
    expect(describeGridFailure(bug)).toContain('TypeError');
    // A unique-constraint violation is a bug or a conflict, not a busy database.
    expect(toGridStatus(prismaError('P2002', 'Unique constraint failed')).code).toBe(status.INTERNAL);
  });
});
