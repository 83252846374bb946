import { OrbitError } from '@orbit/engine/errors';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorBody, Forbidden, toDomainError } from './errors.ts';

describe('toDomainError', () => {
  it('keeps domain errors, even ones built by another bundle’s copy of the class', () => {
    const local = new Forbidden('no');
    expect(toDomainError(local)).toBe(local);
    const foreign = Object.assign(new Error('path denied'), {
      [Symbol.for('orbit.nucleus.DomainError')]: true,
      code: 'FORBIDDEN' as const,
      fields: [],
    });
    expect(toDomainError(foreign)).toBe(foreign);
  });

  it('names each invalid field of a zod error', () => {
    const result = z.object({ name: z.string(), size: z.number() }).safeParse({ size: 'big' });
    const error = toDomainError(result.error);
    expect(error.code).toBe('INVALID');
    expect(error.fields.map((field) => field.path)).toEqual(['name', 'size']);
  });

  it('places engine errors and maps unique violations to conflicts', () => {
    const engine = toDomainError(
      new OrbitError('MANIFEST_INVALID', 'bad mode', { line: 3, column: 8, keyPath: 'job[0].mode' }),
    );
    expect(engine).toMatchObject({ code: 'INVALID', fields: [{ path: 'job[0].mode' }] });
    expect(toDomainError({ code: 'P2002', meta: { target: ['teamId', 'name'] } })).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('teamId, name'),
    });
  });

  it('hides unknown failures behind INTERNAL', () => {
    const error = toDomainError(new Error('connection string with a password'));
    expect(errorBody(error)).toEqual({
      error: { code: 'INTERNAL', message: 'Internal error: the server logged the details' },
    });
  });
});
