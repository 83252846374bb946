import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OrbitError } from '../errors.ts';
import { computeAuditMac, hasValidAuditMac, linkAuditRecord, resolveAuditKey } from './audit-chain.ts';
import type { FileEvent } from './audit-events.ts';
import { canonicalJson } from './canonical-json.ts';

const key = 'test-key-0123456789abcdef';
const event: FileEvent = {
  type: 'file',
  run_id: 'run-1',
  timestamp: '2026-01-02T03:04:05.000Z',
  job: 'photos',
  path: 'a/b.jpg',
  size: 10,
  hash: 'ab'.repeat(32),
  action: 'copied',
  chunks_written: 1,
  chunks_reused: 0,
};

describe('canonicalJson', () => {
  it('sorts keys at every depth, drops undefined members and adds no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: true, y: null }], c: 'x' }, e: undefined })).toBe(
      '{"a":{"c":"x","d":[1,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('gives the same text whatever the insertion order', () => {
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  it('refuses values JSON cannot hold, naming where', () => {
    expect(() => canonicalJson({ a: [1, Number.NaN] })).toThrow(/NaN/);
    const keyPathOf = (value: unknown): string | undefined => {
      try {
        canonicalJson(value);
      } catch (error) {
        expect(error).toBeInstanceOf(OrbitError);
        return (error as OrbitError).location.keyPath;
      }
      return undefined;
    };
    expect(keyPathOf({ a: { b: Number.POSITIVE_INFINITY } })).toBe('$.a.b');
    expect(keyPathOf({ z: 1, list: [0, { deep: () => 1 }] })).toBe('$.list[1].deep');
  });

  it('writes an undefined array item as null, as JSON.stringify does', () => {
    expect(canonicalJson({ list: [1, undefined, 'x'] })).toBe(JSON.stringify({ list: [1, undefined, 'x'] }));
  });
});

describe('audit chain', () => {
  it('links records by seq and prev and signs each one', () => {
    const first = linkAuditRecord(null, event, key);
    const second = linkAuditRecord(first, { ...event, path: 'c' }, key);
    expect(first).toMatchObject({ seq: 1, prev: null });
    expect(second).toMatchObject({ seq: 2, prev: first.mac });
    expect(hasValidAuditMac(key, first)).toBe(true);
    expect(hasValidAuditMac(key, second)).toBe(true);
  });

  it('changes the mac when any field, the key or the link changes', () => {
    const record = linkAuditRecord(null, event, key);
    expect(hasValidAuditMac(key, { ...record, size: 11 })).toBe(false);
    expect(hasValidAuditMac('another-key', record)).toBe(false);
    expect(hasValidAuditMac(key, { ...record, prev: 'cd'.repeat(32) })).toBe(false);
  });

  it('computes the mac over the record without its mac, independent of key order', () => {
    const record = linkAuditRecord(null, event, key);
    const reordered = Object.fromEntries(Object.entries(record).reverse());
    expect(computeAuditMac(key, reordered)).toBe(record.mac);
  });

  it('accepts byte keys and string keys alike', () => {
    const bytes = new TextEncoder().encode(key);
    expect(linkAuditRecord(null, event, bytes).mac).toBe(linkAuditRecord(null, event, key).mac);
  });

  it('is HMAC-SHA256 for keys shorter, as long as and longer than a SHA-256 block, in any order', () => {
    const keys = ['k', 'x'.repeat(64), 'y'.repeat(200), new Uint8Array([0, 255, 7]), 'k'];
    for (const candidate of keys) {
      const expected = createHmac('sha256', candidate).update(canonicalJson(event)).digest('hex');
      expect(computeAuditMac(candidate, event)).toBe(expected);
    }
  });

  it('signs with the key as it is now, even if the same array was changed in between', () => {
    const bytes = new TextEncoder().encode('first-key');
    const before = computeAuditMac(bytes, event);
    bytes[0] = 0x46;
    expect(computeAuditMac(bytes, event)).not.toBe(before);
    expect(computeAuditMac(bytes, event)).toBe(computeAuditMac('First-key', event));
  });

  it('refuses a missing key with a hint naming ORBIT_AUDIT_KEY', () => {
    for (const missing of [undefined, null, '', new Uint8Array()]) {
      try {
        resolveAuditKey(missing);
        expect.unreachable('a missing key must be refused');
      } catch (error) {
        expect(error).toBeInstanceOf(OrbitError);
        expect((error as OrbitError).hint).toMatch(/ORBIT_AUDIT_KEY/);
      }
    }
  });

  it('refuses an event that already carries chain fields', () => {
    expect(() => linkAuditRecord(null, { ...event, seq: 5 }, key)).toThrow(/seq/);
  });
});
