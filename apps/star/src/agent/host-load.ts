import { statfs } from 'node:fs/promises';
import os from 'node:os';
import type { Heartbeat, RootSpace } from '@orbit/proto';
import type { AllowedRoot } from '../security/path-jail.ts';

interface CpuSample {
  readonly busy: number;
  readonly total: number;
}

function sampleCpu(): CpuSample {
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const { user, nice, sys, idle, irq } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + irq + idle;
  }
  return { busy, total };
}

/**
 * Measures what a heartbeat reports. CPU use is the busy share of all cores since the previous
 * sample (so 200 means two busy cores); disk space comes from statfs on each allowed root.
 */
export function createHostLoad(roots: readonly AllowedRoot[]) {
  let previous = sampleCpu();
  return async function measure(activeTransfers: number, version: string): Promise<Heartbeat> {
    const current = sampleCpu();
    const cores = Math.max(os.cpus().length, 1);
    const elapsed = current.total - previous.total;
    const cpuPercent = elapsed > 0 ? ((current.busy - previous.busy) / elapsed) * 100 * cores : 0;
    previous = current;
    const totalMemory = os.totalmem();
    return {
      cpuPercent: Math.round(cpuPercent * 10) / 10,
      cpuCores: cores,
      memoryUsedBytes: totalMemory - os.freemem(),
      memoryTotalBytes: totalMemory,
      roots: await Promise.all(roots.map(rootSpace)),
      activeTransfers,
      version,
      sentAtUnixMs: Date.now(),
    };
  };
}

async function rootSpace(root: AllowedRoot): Promise<RootSpace> {
  const base = { path: root.path, writable: root.access === 'rw' };
  try {
    const stats = await statfs(root.path);
    return { ...base, freeBytes: stats.bavail * stats.bsize, totalBytes: stats.blocks * stats.bsize };
  } catch {
    // A missing or unreadable root reports no space; the jail refuses work under it anyway.
    return { ...base, freeBytes: 0, totalBytes: 0 };
  }
}
