import { describe, expect, it } from 'vitest';
import { diffAudit } from './audit-diff.ts';

describe('diffAudit', () => {
  it('flattens nested objects and classifies each key', () => {
    expect(
      diffAudit(
        { role: 'viewer', settings: { compression: 'none', concurrency: 4 }, gone: true },
        { role: 'admin', settings: { compression: 'none', concurrency: 8 }, added: ['a'] },
      ),
    ).toEqual([
      { key: 'added', before: undefined, after: '["a"]', kind: 'added' },
      { key: 'gone', before: 'true', after: undefined, kind: 'removed' },
      { key: 'role', before: '"viewer"', after: '"admin"', kind: 'changed' },
      { key: 'settings.compression', before: '"none"', after: '"none"', kind: 'same' },
      { key: 'settings.concurrency', before: '4', after: '8', kind: 'changed' },
    ]);
  });

  it('treats a missing side as all added or all removed', () => {
    expect(diffAudit(null, { name: 'x' })).toEqual([
      { key: 'name', before: undefined, after: '"x"', kind: 'added' },
    ]);
    expect(diffAudit({ name: 'x' }, undefined)).toEqual([
      { key: 'name', before: '"x"', after: undefined, kind: 'removed' },
    ]);
  });

  it('keeps scalar values under a placeholder key', () => {
    expect(diffAudit('a', 'b')).toEqual([{ key: '(value)', before: '"a"', after: '"b"', kind: 'changed' }]);
  });
});
