import { describe, expect, it } from 'vitest';
import { DEFAULT_CHUNKING } from '../chunking/chunking-options.ts';
import { isOrbitError } from '../errors.ts';
import { parseManifest } from '../manifest/parse-manifest.ts';
import type { ResolvedJob } from '../runner/job-executor.ts';
import { planStarmap } from './starmap-plan.ts';

const manifestOf = (text: string) => parseManifest(text, { file: '/srv/orbit/orbit.manifest.toml', env: {} });

/** A job block; paths default to a private pair per name so jobs do not overlap unless a test says so. */
function job(name: string, extra = '', source = `/src/${name}`, destination = `/dst/${name}`): string {
  return `[[job]]\nname = "${name}"\nsource = "${source}"\ndestination = "${destination}"\n${extra}\n`;
}

function resolved(
  name: string,
  dependsOn: string[] = [],
  source = `/src/${name}`,
  destination = `/dst/${name}`,
): ResolvedJob {
  return {
    name,
    source,
    destination,
    include: [],
    exclude: [],
    mode: 'copy',
    delete: false,
    compression: { codec: 'none' },
    checksum: 'blake3',
    resume: true,
    chunking: DEFAULT_CHUNKING,
    dependsOn,
    packSize: 64 * 1024 * 1024,
  };
}

describe('planStarmap: order and groups', () => {
  it('orders topologically, keeping manifest order among ready jobs', () => {
    const plan = planStarmap(
      manifestOf(
        job('report', 'depends_on = ["merge"]') +
          job('fetch-b') +
          job('merge', 'depends_on = ["fetch-a", "fetch-b"]') +
          job('fetch-a'),
      ),
    );
    expect(plan.order).toEqual(['fetch-b', 'fetch-a', 'merge', 'report']);
    expect(plan.jobs.map((planned) => [planned.position, planned.name, planned.group])).toEqual([
      [1, 'fetch-b', 1],
      [2, 'fetch-a', 1],
      [3, 'merge', 2],
      [4, 'report', 3],
    ]);
    expect(plan.ready).toEqual(['fetch-b', 'fetch-a']);
    expect(plan.groups).toEqual([['fetch-b', 'fetch-a'], ['merge'], ['report']]);
    expect(plan.edges).toEqual([
      { from: 'fetch-a', to: 'merge' },
      { from: 'fetch-b', to: 'merge' },
      { from: 'merge', to: 'report' },
    ]);
  });

  it('caps each group at the concurrency', () => {
    const plan = planStarmap(
      manifestOf(`[defaults]\nconcurrency = 2\n${job('a')}${job('b')}${job('c')}${job('d')}${job('e')}`),
    );
    expect(plan.concurrency).toBe(2);
    expect(plan.groups).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('lets a capped-out job join a later group beside jobs that became ready', () => {
    const plan = planStarmap({
      jobs: [resolved('a'), resolved('b'), resolved('c', ['a'])],
      concurrency: 1,
    });
    expect(plan.groups).toEqual([['a'], ['b'], ['c']]);
    const wide = planStarmap({ jobs: [resolved('a'), resolved('b'), resolved('c', ['a'])], concurrency: 2 });
    expect(wide.groups).toEqual([['a', 'b'], ['c']]);
  });

  it('puts overlapping ready jobs in later groups', () => {
    const plan = planStarmap({
      jobs: [
        resolved('to-backup', [], '/data/photos', '/backup'),
        resolved('into-backup', [], '/data/docs', '/backup/docs'),
        resolved('from-backup', [], '/backup/old', '/cold/old'),
        resolved('same-tree', [], '/x', '/backup'),
        resolved('independent', [], '/music', '/cold/music'),
      ],
      concurrency: 8,
    });
    expect(plan.groups).toEqual([
      ['to-backup', 'independent'],
      ['into-backup', 'from-backup'],
      ['same-tree'],
    ]);
  });

  it('does not serialise jobs whose paths are on different machines', () => {
    const manifest = manifestOf(
      job('local', '', '/data', '/srv/data') +
        job('remote', '', '/other', '/unused').replace(
          '"/unused"',
          '{ star = "nas-01", path = "/srv/data" }',
        ),
    );
    expect(planStarmap(manifest).groups).toEqual([['local', 'remote']]);
  });

  it('is deterministic', () => {
    const manifest = manifestOf(job('a') + job('b', 'depends_on = ["a"]') + job('c'));
    expect(planStarmap(manifest)).toEqual(planStarmap(manifest));
  });
});

describe('planStarmap: invalid input reached directly', () => {
  const failure = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      if (isOrbitError(error)) return error;
      throw error;
    }
    throw new Error('expected an error');
  };

  it('throws PLAN_CYCLE with the cycle printed', () => {
    const error = failure(() =>
      planStarmap({
        jobs: [resolved('a', ['c']), resolved('b', ['a']), resolved('c', ['b'])],
        concurrency: 1,
      }),
    );
    expect(error.code).toBe('PLAN_CYCLE');
    expect(error.message).toBe('dependency cycle: a → c → b → a');
  });

  it('rejects unknown dependencies, duplicate names, bad concurrency and bad throughput', () => {
    expect(failure(() => planStarmap({ jobs: [resolved('a', ['x'])], concurrency: 1 })).code).toBe(
      'INVALID_ARGUMENT',
    );
    expect(failure(() => planStarmap({ jobs: [resolved('a'), resolved('a')], concurrency: 1 })).message).toBe(
      'job name "a" appears twice',
    );
    expect(failure(() => planStarmap({ jobs: [resolved('a')], concurrency: 0 })).code).toBe(
      'INVALID_ARGUMENT',
    );
    expect(
      failure(() => planStarmap({ jobs: [resolved('a')], concurrency: 1 }, { throughputBytesPerSec: 0 }))
        .code,
    ).toBe('INVALID_ARGUMENT');
  });

  it('plans an empty job list as an empty plan', () => {
    expect(planStarmap({ jobs: [], concurrency: 1 })).toMatchObject({
      order: [],
      groups: [],
      edges: [],
      ready: [],
    });
  });
});

describe('planStarmap: options and estimates', () => {
  it('lists only the options that differ from [defaults]', () => {
    const plan = planStarmap(
      manifestOf(`[defaults]
compression = "zstd"

${job('plain')}${job('custom', 'compression = "none"\nchecksum = "sha256"\nresume = false\nchunking = { avg = 2097152, max = 8388608 }\ninclude = ["*.jpg"]\nexclude = ["tmp/**"]\nschedule = "0 3 * * *"')}${job('mirror', 'mode = "mirror"\ndelete = true')}${job('pack', 'mode = "archive"\npack_size = 1048576')}`),
    );
    expect(Object.fromEntries(plan.jobs.map((planned) => [planned.name, planned.changed]))).toEqual({
      plain: [],
      custom: [
        { key: 'compression', value: 'none' },
        { key: 'checksum', value: 'sha256' },
        { key: 'resume', value: 'off' },
        { key: 'chunking', value: '256.0 KiB/2.0 MiB/8.0 MiB' },
        { key: 'include', value: '*.jpg' },
        { key: 'exclude', value: 'tmp/**' },
        { key: 'schedule', value: '"0 3 * * *"' },
      ],
      mirror: [{ key: 'delete', value: 'on' }],
      pack: [{ key: 'pack_size', value: '1.0 MiB' }],
    });
  });

  it('estimates only from the sizes given, and a duration only with a measured throughput', () => {
    const jobs = [resolved('a'), resolved('b'), resolved('c')];
    const sizes = new Map([
      ['a', { files: 10, bytes: 3000 }],
      ['b', { files: 5, bytes: 1000 }],
    ]);
    expect(planStarmap({ jobs, concurrency: 2 }).estimate).toBeUndefined();
    expect(planStarmap({ jobs, concurrency: 2 }, { sizes }).estimate).toEqual({
      files: 15,
      bytes: 4000,
      unsizedJobs: ['c'],
      throughputBytesPerSec: undefined,
      seconds: undefined,
    });
    expect(
      planStarmap({ jobs, concurrency: 2 }, { sizes, throughputBytesPerSec: 400 }).estimate?.seconds,
    ).toBe(10);
  });
});
