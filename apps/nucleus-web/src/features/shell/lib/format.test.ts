import { describe, expect, it } from 'vitest';
import { countOf, formatBytes, formatDuration, formatRelative, percent } from './format.ts';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.50 KiB'],
    [10 * 1024 * 1024, '10.0 MiB'],
    [BigInt(5) * BigInt(1024 ** 4), '5.00 TiB'],
    ['2048', '2.00 KiB'],
    [-1, '—'],
  ])('formats %s as %s', (value, text) => {
    expect(formatBytes(value)).toBe(text);
  });
});

describe('percent', () => {
  it('clamps and guards against an unknown total', () => {
    expect(percent(50, 200)).toBe(25);
    expect(percent(5, 0)).toBe(0);
    expect(percent(300, 200)).toBe(100);
  });
});

describe('formatRelative', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  it('speaks in the largest whole unit', () => {
    expect(formatRelative(new Date('2026-01-01T11:59:30Z'), now)).toBe('30 seconds ago');
    expect(formatRelative(new Date('2026-01-01T09:00:00Z'), now)).toBe('3 hours ago');
    expect(formatRelative('2026-01-03T12:00:00Z', now)).toBe('in 2 days');
    expect(formatRelative(null, now)).toBe('never');
  });
});

describe('formatDuration', () => {
  it('uses seconds, minutes and hours', () => {
    expect(formatDuration(4_400)).toBe('4s');
    expect(formatDuration(125_000)).toBe('2m 5s');
    expect(formatDuration(3_780_000)).toBe('1h 3m');
  });
});

describe('countOf', () => {
  it('names one thing in the singular, and any other count in the plural, with thousands separated', () => {
    expect(countOf(1, 'file')).toBe('1 file');
    expect(countOf(0, 'file')).toBe('0 files');
    expect(countOf(12_345, 'entry', 'entries')).toBe('12,345 entries');
  });
});
