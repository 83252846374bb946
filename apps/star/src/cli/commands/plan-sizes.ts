import { lstat } from 'node:fs/promises';
import { type Manifest, producerOf } from '@orbit/engine/manifest/index';
import type { JobSize } from '@orbit/engine/planner/index';
import { scanTree } from '@orbit/engine/scan/index';

/**
 * Scans each local job's source (with its include/exclude) so the plan can show an estimate.
 * Jobs on a Star are left out: the plan says they are unsized rather than guessing.
 */
export async function scanJobSizes(
  manifest: Manifest,
  signal: AbortSignal,
  onUnreadable: (path: string, message: string) => void,
  onNotYetMade: (job: string, producer: string) => void,
): Promise<Map<string, JobSize>> {
  const sizes = new Map<string, JobSize>();
  for (const job of manifest.jobs) {
    if (manifest.locations[job.name]?.source.kind !== 'local') continue;
    const producer = producerOf(manifest, job.name);
    if (producer !== undefined && !(await exists(job.source))) {
      onNotYetMade(job.name, producer);
      continue;
    }
    let files = 0;
    let bytes = 0;
    const entries = scanTree(job.source, {
      include: job.include,
      exclude: job.exclude,
      signal,
      onError: (failure) => onUnreadable(failure.path, failure.error.message),
    });
    for await (const entry of entries) {
      if (entry.kind !== 'file') continue;
      files++;
      bytes += entry.size;
    }
    sizes.set(job.name, { files, bytes });
  }
  return sizes;
}

function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}
