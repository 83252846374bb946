import { resolve } from 'node:path';
import { type CargoCheck, verifyAgainstManifests } from '@orbit/engine/cargo/index';
import { requireFlag } from '../args/parse-args.ts';
import { EXIT } from '../exit-codes.ts';
import { defineCommand } from './command.ts';

/** One line per problem, saying what was expected and what was found. */
export function describeCheck(check: CargoCheck): string {
  switch (check.status) {
    case 'ok':
      return `${check.path}: ok`;
    case 'missing':
      return `${check.path}: missing`;
    case 'chunk-mismatch': {
      const { chunk } = check;
      const found = chunk.actual === '' ? 'the file ends before it' : `got ${chunk.actual}`;
      return `${check.path}: chunk ${chunk.index} (offset ${chunk.offset}, ${chunk.length} bytes) differs: expected ${chunk.expected}, ${found}`;
    }
    default:
      return `${check.path}: ${check.status}: expected ${check.expected}, got ${check.actual}`;
  }
}

export const manifestVerifyCommand = defineCommand({
  path: ['manifest', 'verify'],
  summary: 'check a tree against cargo manifests (sizes, links, every chunk hash)',
  usage: ['--manifest-dir DIR [--target DIR] [--json]'],
  flags: {
    'manifest-dir': {
      kind: 'string',
      valueName: 'DIR',
      description: 'folder with job.flightplan.json and cargo/ (a run writes .orbit/manifests/<job>)',
    },
    target: {
      kind: 'string',
      valueName: 'DIR',
      description: 'the tree to check (default: the destination in the flight plan)',
    },
    json: { kind: 'boolean', description: 'print the full report as JSON on stdout' },
  },
  async run({ flags, context }) {
    const manifestDir = resolve(
      context.cwd,
      requireFlag(flags['manifest-dir'], 'manifest-dir', 'DIR', 'manifest verify'),
    );
    const report = await verifyAgainstManifests(manifestDir, {
      ...(flags.target === undefined ? {} : { target: resolve(context.cwd, flags.target) }),
      signal: context.signal,
    });
    const problems = report.checks.filter((check) => check.status !== 'ok');
    if (flags.json) {
      context.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return report.ok ? EXIT.ok : EXIT.problems;
    }
    for (const problem of problems) context.stdout.write(`✖ ${describeCheck(problem)}\n`);
    context.stdout.write(
      report.ok
        ? `✔ ${report.checks.length} paths in ${report.target} match ${manifestDir}\n`
        : `✖ ${problems.length} of ${report.checks.length} paths in ${report.target} do not match ${manifestDir}\n`,
    );
    return report.ok ? EXIT.ok : EXIT.problems;
  },
});
