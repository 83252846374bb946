import { describe, expect, it } from 'vitest';
import { atLeast, can, PERMISSIONS, ROLES } from './permissions.ts';

describe('permission matrix', () => {
  it('orders roles viewer < operator < admin < owner', () => {
    expect(ROLES).toEqual(['viewer', 'operator', 'admin', 'owner']);
    expect(atLeast('admin', 'operator')).toBe(true);
    expect(atLeast('operator', 'admin')).toBe(false);
  });

  it('lets the owner do everything and a viewer only read', () => {
    for (const action of Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[]) {
      expect(can('owner', action)).toBe(true);
      expect(can('viewer', action)).toBe(PERMISSIONS[action] === 'viewer');
    }
  });

  it('matches the roles described for the product', () => {
    expect(can('operator', 'job.create')).toBe(true);
    expect(can('operator', 'job.run')).toBe(true);
    expect(can('operator', 'run.cancel')).toBe(true);
    expect(can('operator', 'job.delete')).toBe(false);
    expect(can('admin', 'joinToken.issue')).toBe(true);
    expect(can('admin', 'apiToken.create')).toBe(true);
    expect(can('admin', 'member.invite')).toBe(false);
    expect(can('viewer', 'job.create')).toBe(false);
  });
});
