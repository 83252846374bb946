import { createHash } from 'node:crypto';
import type { Manifest } from './manifest-types.ts';

/**
 * sha256 (hex) of a canonical JSON of the resolved jobs and their locations: the same jobs give the
 * same fingerprint however the file is formatted, commented or ordered in its keys. Resume journals
 * use it to tell whether they belong to this manifest.
 */
export function manifestFingerprint(manifest: Pick<Manifest, 'jobs' | 'locations'>): string {
  const jobs = manifest.jobs.map((job) => ({ ...job, locations: manifest.locations[job.name] ?? null }));
  return createHash('sha256').update(canonicalJson(jobs)).digest('hex');
}

/** JSON with object keys sorted at every level, so equal values always serialise the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
