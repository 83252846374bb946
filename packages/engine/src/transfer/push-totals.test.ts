import { expect, it } from 'vitest';
import { addPushTotals, emptyPushTotals, type PushTotals } from './push-totals.ts';

it('sums every counter of a batch into the totals and leaves the batch as it was', () => {
  const totals = emptyPushTotals();
  const batch: PushTotals = {
    bytesRead: 10,
    cutBytes: 7,
    guidedBytes: 8,
    wireBytes: 11,
    newBytes: 12,
    chunksSent: 3,
    chunksReused: 4,
    filesSent: 1,
    filesUnchanged: 2,
    filesFailed: 5,
    connections: 6,
  };
  addPushTotals(totals, batch);
  addPushTotals(totals, batch);
  expect(totals).toEqual({
    bytesRead: 20,
    cutBytes: 14,
    guidedBytes: 16,
    wireBytes: 22,
    newBytes: 24,
    chunksSent: 6,
    chunksReused: 8,
    filesSent: 2,
    filesUnchanged: 4,
    filesFailed: 10,
    connections: 12,
  });
  expect(batch.bytesRead).toBe(10);
});
