import { basename, resolve } from 'node:path';
import { writeFlightPlan } from '@orbit/engine/cargo/index';
import { DEFAULT_CHUNKING, validateChunking } from '@orbit/engine/chunking/index';
import { DEFAULT_COMPRESSION } from '@orbit/engine/compression/index';
import { DEFAULT_CHECKSUM, isChecksumAlgorithm } from '@orbit/engine/hashing/index';
import {
  DEFAULT_PACK_SIZE,
  loadManifest,
  PLAN_VISUALISATIONS,
  type PlanVisualisation,
} from '@orbit/engine/manifest/index';
import {
  formatBytes,
  planStarmap,
  renderPlanDot,
  renderPlanJson,
  renderPlanText,
} from '@orbit/engine/planner/index';
import type { ResolvedJob } from '@orbit/engine/runner/index';
import { type ParsedFlags, parseByteCount, requireFlag, usageError } from '../args/parse-args.ts';
import type { CliContext } from '../cli-context.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { defineCommand } from './command.ts';
import { scanJobSizes } from './plan-sizes.ts';

const RENDERERS: Record<PlanVisualisation, typeof renderPlanText> = {
  text: renderPlanText,
  json: renderPlanJson,
  dot: renderPlanDot,
};

const flags = {
  manifest: { kind: 'string', valueName: 'FILE', description: 'the manifest to plan (orbit.manifest.toml)' },
  format: {
    kind: 'string',
    valueName: 'FORMAT',
    choices: PLAN_VISUALISATIONS,
    description: 'text, json or dot (default: plan_visualisation from the manifest)',
  },
  source: { kind: 'string', valueName: 'DIR', description: 'flight plan: the folder to describe' },
  dest: { kind: 'string', valueName: 'DIR', description: 'flight plan: where it is meant to go' },
  output: { kind: 'string', valueName: 'DIR', description: 'flight plan: where to write the manifests' },
  include: { kind: 'list', valueName: 'GLOB', description: 'flight plan: only files matching' },
  exclude: { kind: 'list', valueName: 'GLOB', description: 'flight plan: skip files matching' },
  checksum: {
    kind: 'string',
    valueName: 'ALGO',
    description: `flight plan: blake3, sha256 or none (default ${DEFAULT_CHECKSUM})`,
  },
  'chunk-min': { kind: 'string', valueName: 'BYTES', description: 'flight plan: FastCDC minimum chunk' },
  'chunk-avg': { kind: 'string', valueName: 'BYTES', description: 'flight plan: FastCDC average chunk' },
  'chunk-max': { kind: 'string', valueName: 'BYTES', description: 'flight plan: FastCDC maximum chunk' },
} as const;

type PlanFlags = ParsedFlags<typeof flags>;

async function printStarmap(
  manifestPath: string,
  options: PlanFlags,
  context: CliContext,
): Promise<ExitCode> {
  const manifest = await loadManifest(resolve(context.cwd, manifestPath), {
    env: context.env,
    checkPaths: true,
  });
  const sizes = await scanJobSizes(manifest, {
    signal: context.signal,
    onUnreadable: (path, message) => {
      context.stderr.write(`orbit: warning: ${path}: ${message} (left out of the estimate)\n`);
    },
    onNotYetMade: (job, producer) => {
      context.stderr.write(
        `orbit: note: job "${job}" reads what job "${producer}" makes, which does not exist yet (left out of the estimate)\n`,
      );
    },
  });
  const plan = planStarmap(manifest, { sizes });
  const format = (options.format as PlanVisualisation | undefined) ?? manifest.defaults.planVisualisation;
  const text = RENDERERS[format](plan);
  context.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return EXIT.ok;
}

function flightPlanJob(options: PlanFlags, context: CliContext): { job: ResolvedJob; output: string } {
  const command = 'manifest plan';
  const source = resolve(context.cwd, requireFlag(options.source, 'source', 'DIR', command));
  const destination = resolve(context.cwd, requireFlag(options.dest, 'dest', 'DIR', command));
  const output = resolve(context.cwd, requireFlag(options.output, 'output', 'DIR', command));
  const checksum = options.checksum ?? DEFAULT_CHECKSUM;
  if (!isChecksumAlgorithm(checksum)) {
    throw usageError(`unknown checksum "${checksum}"`, 'use blake3, sha256 or none');
  }
  const chunking = validateChunking({
    minSize:
      options['chunk-min'] === undefined
        ? DEFAULT_CHUNKING.minSize
        : parseByteCount(options['chunk-min'], 'chunk-min'),
    avgSize:
      options['chunk-avg'] === undefined
        ? DEFAULT_CHUNKING.avgSize
        : parseByteCount(options['chunk-avg'], 'chunk-avg'),
    maxSize:
      options['chunk-max'] === undefined
        ? DEFAULT_CHUNKING.maxSize
        : parseByteCount(options['chunk-max'], 'chunk-max'),
  });
  const job: ResolvedJob = {
    name: basename(source) || 'root',
    source,
    destination,
    include: options.include,
    exclude: options.exclude,
    mode: 'copy',
    delete: false,
    compression: DEFAULT_COMPRESSION,
    checksum,
    resume: true,
    chunking,
    dependsOn: [],
    packSize: DEFAULT_PACK_SIZE,
  };
  return { job, output };
}

async function writeCargo(options: PlanFlags, context: CliContext): Promise<ExitCode> {
  const { job, output } = flightPlanJob(options, context);
  const plan = await writeFlightPlan(job, output, { signal: context.signal });
  context.stdout.write(
    `✔ wrote ${output}/job.flightplan.json and ${plan.totals.files} cargo manifests ` +
      `(${formatBytes(plan.totals.bytes)}, ${plan.totals.chunks} chunks, ${plan.algorithm})\n`,
  );
  return EXIT.ok;
}

export const manifestPlanCommand = defineCommand({
  path: ['manifest', 'plan'],
  summary: 'show the Starmap of a manifest, or write a flight plan and cargo manifests for a folder',
  usage: [
    '--manifest FILE [--format text|json|dot]',
    '--source DIR --dest DIR --output DIR [--include GLOB]… [--exclude GLOB]… [--checksum ALGO] [--chunk-min/--chunk-avg/--chunk-max BYTES]',
  ],
  flags,
  details:
    'With --manifest: prints jobs, dependencies, parallel groups and an estimate from a scan; moves no data.\n' +
    'With --source: writes job.flightplan.json and one cargo/<path>.cargo.json per file into --output,\n' +
    'for "orbit manifest verify" and "orbit manifest diff" later.',
  async run({ flags: options, context }) {
    const flightPlanFlags = [options.source, options.dest, options.output].some(
      (value) => value !== undefined,
    );
    if (options.manifest !== undefined && flightPlanFlags) {
      throw usageError(
        '--manifest cannot be combined with --source/--dest/--output',
        'plan a manifest, or write a flight plan for one folder — one at a time',
      );
    }
    if (options.manifest !== undefined) return printStarmap(options.manifest, options, context);
    if (flightPlanFlags) return writeCargo(options, context);
    throw usageError(
      '"orbit manifest plan" needs --manifest FILE, or --source, --dest and --output',
      'see "orbit manifest plan --help"',
    );
  },
});
