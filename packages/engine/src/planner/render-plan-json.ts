import { formatCompression } from '../compression/compression-setting.ts';
import type { Location } from '../manifest/manifest-types.ts';
import type { StarmapPlan } from './starmap-plan.ts';

/**
 * The stable JSON form of a plan (`orbit plan --format json`, version 1):
 * `{ version, concurrency, order, ready, groups, edges: [{from, to}], jobs: [{ name, position, group, mode,
 * source, destination, dependsOn, schedule, options: {...every resolved option}, changed: [keys], size }],
 * estimate: { files, bytes, unsizedJobs, throughputBytesPerSec, seconds } | null }`.
 * Locations are `{ kind: "local", path }` or `{ kind: "star", star, path }`; absent values are null.
 */
export function renderPlanJson(plan: StarmapPlan): string {
  return `${JSON.stringify(planToJson(plan), null, 2)}\n`;
}

export function planToJson(plan: StarmapPlan) {
  return {
    version: 1,
    concurrency: plan.concurrency,
    order: plan.order,
    ready: plan.ready,
    groups: plan.groups,
    edges: plan.edges.map(({ from, to }) => ({ from, to })),
    jobs: plan.jobs.map((planned) => {
      const { job } = planned;
      return {
        name: planned.name,
        position: planned.position,
        group: planned.group,
        mode: planned.mode,
        source: locationJson(planned.source),
        destination: locationJson(planned.destination),
        dependsOn: planned.dependsOn,
        schedule: planned.schedule ?? null,
        options: {
          compression: formatCompression(job.compression),
          checksum: job.checksum,
          resume: job.resume,
          delete: job.delete,
          include: job.include,
          exclude: job.exclude,
          chunking: { ...job.chunking },
          packSize: job.packSize,
        },
        changed: planned.changed.map((option) => option.key),
        size: planned.size ? { files: planned.size.files, bytes: planned.size.bytes } : null,
      };
    }),
    estimate: plan.estimate
      ? {
          files: plan.estimate.files,
          bytes: plan.estimate.bytes,
          unsizedJobs: plan.estimate.unsizedJobs,
          throughputBytesPerSec: plan.estimate.throughputBytesPerSec ?? null,
          seconds: plan.estimate.seconds ?? null,
        }
      : null,
  };
}

function locationJson(location: Location) {
  return location.kind === 'local'
    ? { kind: location.kind, path: location.path }
    : { kind: location.kind, star: location.star, path: location.path };
}
