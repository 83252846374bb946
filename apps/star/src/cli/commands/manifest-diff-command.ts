import { resolve } from 'node:path';
import { diffAgainstManifests } from '@orbit/engine/cargo/index';
import { requireFlag } from '../args/parse-args.ts';
import { EXIT } from '../exit-codes.ts';
import { defineCommand } from './command.ts';

export const manifestDiffCommand = defineCommand({
  path: ['manifest', 'diff'],
  summary: 'list what a tree added, removed or changed since its cargo manifests were written',
  usage: ['--manifest-dir DIR --target DIR [--json]'],
  flags: {
    'manifest-dir': {
      kind: 'string',
      valueName: 'DIR',
      description: 'folder with job.flightplan.json and cargo/',
    },
    target: { kind: 'string', valueName: 'DIR', description: 'the tree to compare' },
    json: { kind: 'boolean', description: 'print { added, removed, changed } as JSON on stdout' },
  },
  details: 'Lines start with + (added), - (removed) or ~ (changed). Exit 1 when there is any difference.',
  async run({ flags, context }) {
    const command = 'manifest diff';
    const manifestDir = resolve(
      context.cwd,
      requireFlag(flags['manifest-dir'], 'manifest-dir', 'DIR', command),
    );
    const target = resolve(context.cwd, requireFlag(flags.target, 'target', 'DIR', command));
    const diff = await diffAgainstManifests(manifestDir, target, { signal: context.signal });
    const differences = diff.added.length + diff.removed.length + diff.changed.length;
    if (flags.json) {
      context.stdout.write(`${JSON.stringify(diff, null, 2)}\n`);
      return differences === 0 ? EXIT.ok : EXIT.problems;
    }
    for (const path of diff.added) context.stdout.write(`+ ${path}\n`);
    for (const path of diff.removed) context.stdout.write(`- ${path}\n`);
    for (const path of diff.changed) context.stdout.write(`~ ${path}\n`);
    context.stdout.write(
      differences === 0
        ? `✔ ${target} matches ${manifestDir}\n`
        : `${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed\n`,
    );
    return differences === 0 ? EXIT.ok : EXIT.problems;
  },
});
