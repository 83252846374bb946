import { resolve } from 'node:path';
import { AUDIT_KEY_ENV, repairAuditLog, verifyAuditLog } from '@orbit/engine/audit/index';
import { usageError } from '../args/parse-args.ts';
import { EXIT } from '../exit-codes.ts';
import { readAuditKey } from './audit-key.ts';
import { defineCommand } from './command.ts';

export const auditVerifyCommand = defineCommand({
  path: ['audit', 'verify'],
  summary: 'check an audit log: every line, its HMAC, its order and the head anchor',
  usage: ['<FILE> [--key-env NAME] [--repair] [--json]'],
  positionals: [{ name: 'FILE', description: 'the audit log (JSON Lines), e.g. orbit-audit.log' }],
  flags: {
    'key-env': {
      kind: 'string',
      valueName: 'NAME',
      description: `environment variable holding the HMAC key (default ${AUDIT_KEY_ENV})`,
    },
    repair: {
      kind: 'boolean',
      description: 'move a torn last line (from a crash) aside; any other problem is refused',
    },
    json: { kind: 'boolean', description: 'print the report as JSON on stdout' },
  },
  details:
    'A changed, inserted, removed or reordered line makes the check fail (exit 1) and names the line.\n' +
    'Lines cut from the end are caught by the .head anchor the writer keeps beside the log.',
  async run({ flags, positionals, context }) {
    const file = positionals[0];
    if (file === undefined) {
      throw usageError(
        '"orbit audit verify" needs the audit log file',
        'run "orbit audit verify orbit-audit.log"',
      );
    }
    const path = resolve(context.cwd, file);
    const key = readAuditKey(
      context.env,
      flags['key-env'] ?? AUDIT_KEY_ENV,
      'name the variable that holds the key with --key-env',
    );
    if (flags.repair) {
      const repaired = await repairAuditLog(path, key);
      if (repaired.tornSavedTo !== null) {
        context.stderr.write(`orbit: moved the torn last line of ${path} to ${repaired.tornSavedTo}\n`);
      }
    }
    const report = await verifyAuditLog(path, key);
    if (flags.json) {
      context.stdout.write(`${JSON.stringify({ file: path, ...report }, null, 2)}\n`);
      return report.ok ? EXIT.ok : EXIT.problems;
    }
    if (report.ok) {
      const anchor = report.anchor === 'verified' ? 'head anchor verified' : 'no head anchor to compare';
      context.stdout.write(`✔ ${path}: ${report.lines} lines verify (${anchor})\n`);
      return EXIT.ok;
    }
    for (const problem of report.problems) {
      context.stdout.write(`${path}:${problem.line}: ${problem.kind}: ${problem.message}\n`);
    }
    context.stdout.write(
      `✖ ${path}: ${report.problems.length} problem(s) in ${report.lines} lines — the log was changed or damaged\n`,
    );
    return EXIT.problems;
  },
});
