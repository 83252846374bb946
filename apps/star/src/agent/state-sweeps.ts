import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { StateSweepOptions } from '../data-plane/state-sweep.ts';

const DAY_MS = 24 * 60 * 60_000;

export interface StateSweeps {
  stop(): void;
}

/**
 * Sweeps the state folder at once, then once a day while the Star serves (`sweepStaleState`);
 * failures are logged, never thrown. The sweep's modules (zod schemas of the journals and the
 * chunk-list cache, some 4 MiB of an idle Star's memory) load only when a state file is old enough
 * to be swept: a plain look at the folder first.
 */
export async function startStateSweeps(options: StateSweepOptions): Promise<StateSweeps> {
  const sweep = async (): Promise<void> => {
    try {
      if (!(await anyOlderThan(options.stateDir, options.maxAgeMs, options.now?.() ?? Date.now()))) return;
      const { sweepStaleState } = await import('../data-plane/state-sweep.ts');
      await sweepStaleState(options);
    } catch (error) {
      options.log(`sweep of ${options.stateDir} for abandoned receives failed: ${(error as Error).message}`);
    }
  };
  await sweep();
  const timer = setInterval(sweep, DAY_MS);
  // The Star's lifetime is its session loop's; this timer alone must not keep it running.
  (timer as { unref?: () => void }).unref?.();
  return { stop: () => clearInterval(timer) };
}

/**
 * Whether a journal of the data plane is older than `maxAgeMs`. (Not the chunk-list cache: its
 * entries of files at rest are old by nature, and would load the sweep every day.)
 */
async function anyOlderThan(stateDir: string, maxAgeMs: number, now: number): Promise<boolean> {
  const dir = join(stateDir, 'data-plane');
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.endsWith('.jsonl')) continue;
    const stats = await stat(join(dir, name)).catch(() => undefined);
    if (stats?.isFile() && now - stats.mtimeMs >= maxAgeMs) return true;
  }
  return false;
}
