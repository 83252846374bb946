import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { GEAR_SEED, GEAR_TABLE, splitMix64 } from './gear-table.ts';

// Chunk boundaries are a persistent format: if one of these changes, every archive and dedup index
// written before no longer lines up. Never update these numbers; fix the table instead.
it('generates SplitMix64 as published (seed 0 starts with 0xe220a8397b1dcdaf)', () => {
  const random = splitMix64(0n);
  expect(random.next().value).toBe(0xe220a8397b1dcdafn);
});

it('seeds the gear table with "orbit"', () => {
  expect(GEAR_SEED).toBe(BigInt(`0x${Buffer.from('orbit').toString('hex')}`));
});

it('pins the gear table: first entries and a digest of all 256', () => {
  expect(GEAR_TABLE).toHaveLength(256);
  expect([...GEAR_TABLE.slice(0, 4)]).toEqual([0x789863ad, 0xc7ce9c97, 0x2d183537, 0x9887bb92]);
  const bytes = new Uint8Array(GEAR_TABLE.length * 4);
  const view = new DataView(bytes.buffer);
  for (const [index, entry] of GEAR_TABLE.entries()) view.setUint32(index * 4, entry, true);
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(
    'f33490d322d89bd49abe93d6708b506accd58915f04b23e9899cf4b5e2270c09',
  );
});
