import { formatBytes } from '../../shell/lib/format.ts';

/**
 * The load a Star reports with each heartbeat (see the grid's star-presence): CPU busy share summed
 * over cores (200 = two busy cores), memory in bytes, transfers in flight. Shown as people read it.
 */
export function formatLoad(load: Readonly<Record<string, number>> | null): string {
  if (!load || Object.keys(load).length === 0) return '—';
  const { cpuPercent, cpuCores, memoryUsedBytes, memoryTotalBytes, activeTransfers } = load;
  const parts: string[] = [];
  if (cpuPercent !== undefined) {
    const cores = cpuCores !== undefined && cpuCores > 0 ? cpuCores : 1;
    parts.push(`CPU ${Math.round(cpuPercent / cores)}% of ${cores} core${cores === 1 ? '' : 's'}`);
  }
  if (memoryUsedBytes !== undefined && memoryTotalBytes !== undefined) {
    parts.push(`memory ${formatBytes(memoryUsedBytes)} / ${formatBytes(memoryTotalBytes)}`);
  }
  if (activeTransfers !== undefined) {
    parts.push(`${activeTransfers} transfer${activeTransfers === 1 ? '' : 's'}`);
  }
  return parts.length > 0 ? parts.join(' · ') : '—';
}
