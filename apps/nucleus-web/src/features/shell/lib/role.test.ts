import { describe, expect, it } from 'vitest';
import { parseRole } from './role.ts';

describe('parseRole', () => {
  it('accepts each role and refuses anything else', () => {
    expect(parseRole('operator')).toBe('operator');
    expect(() => parseRole('root')).toThrow(
      '"root" is not a role; expected one of viewer, operator, admin, owner',
    );
  });
});
