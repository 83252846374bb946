import { describe, expect, it } from 'vitest';
import { formatLoad } from './star-load.ts';

describe('formatLoad', () => {
  it('reads CPU as a share of all cores, memory in units, and transfers', () => {
    expect(
      formatLoad({
        cpuPercent: 193.2,
        cpuCores: 2,
        memoryUsedBytes: 3_293_290_496,
        memoryTotalBytes: 25_276_510_208,
        activeTransfers: 1,
      }),
    ).toBe('CPU 97% of 2 cores · memory 3.07 GiB / 23.5 GiB · 1 transfer');
  });

  it('shows a dash when nothing was reported', () => {
    expect(formatLoad(null)).toBe('—');
    expect(formatLoad({})).toBe('—');
  });
});
