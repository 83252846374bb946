import { type Manifest, producerOfMissingSource } from '@orbit/engine/manifest/index';
import type { JobSize } from '@orbit/engine/planner/index';
import { scanTree } from '@orbit/engine/scan/index';

export interface ScanJobSizesOptions {
  readonly signal: AbortSignal;
  /** Only these jobs (default: every job). */
  readonly jobs?: ReadonlySet<string>;
  /** A path in a source that could not be read: left out of the sizes. */
  readonly onUnreadable?: (path: string, message: string) => void;
  /** A job whose source does not exist yet because `producer`, which it waits for, makes it: not sized. */
  readonly onNotYetMade?: (job: string, producer: string) => void;
}

/**
 * Scans each local job's source (with its include/exclude) so the plan can show an estimate.
 * Jobs on a Star are left out: the plan says they are unsized rather than guessing.
 */
export async function scanJobSizes(
  manifest: Manifest,
  options: ScanJobSizesOptions,
): Promise<Map<string, JobSize>> {
  const sizes = new Map<string, JobSize>();
  for (const job of manifest.jobs) {
    if (options.jobs !== undefined && !options.jobs.has(job.name)) continue;
    if (manifest.locations[job.name]?.source.kind !== 'local') continue;
    const producer = await producerOfMissingSource(manifest, job.name);
    if (producer !== undefined) {
      options.onNotYetMade?.(job.name, producer);
      continue;
    }
    let files = 0;
    let bytes = 0;
    const entries = scanTree(job.source, {
      include: job.include,
      exclude: job.exclude,
      signal: options.signal,
      onError: (failure) => options.onUnreadable?.(failure.path, failure.error.message),
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
