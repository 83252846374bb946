import { resolve } from 'node:path';
import { loadManifest } from '@orbit/engine/manifest/index';
import { type ProgressEvent, runManifest } from '@orbit/engine/runner/index';
import { parseByteCount, requireFlag } from '../args/parse-args.ts';
import { EXIT } from '../exit-codes.ts';
import { RunReporter } from '../output/run-reporter.ts';
import { renderRunSummary, runSummaryJson } from '../output/run-summary.ts';
import { readAuditKey } from './audit-key.ts';
import { defineCommand } from './command.ts';
import { scanJobSizes } from './plan-sizes.ts';

export const runCommand = defineCommand({
  path: ['run'],
  summary: 'run every job of a manifest: plan, copy, verify, audit; resumes an interrupted run',
  usage: [
    '--manifest FILE [--dry-run] [--json] [--verbose] [--state-dir DIR] [--checkpoint-bytes BYTES] [--audit-key-env NAME]',
  ],
  flags: {
    manifest: { kind: 'string', valueName: 'FILE', description: 'the manifest (orbit.manifest.toml)' },
    'dry-run': { kind: 'boolean', description: 'scan and report what would change; write nothing' },
    json: { kind: 'boolean', description: 'print one JSON summary on stdout (progress stays on stderr)' },
    verbose: { kind: 'boolean', description: 'one line per file, not just per job' },
    'state-dir': {
      kind: 'string',
      valueName: 'DIR',
      description: 'resume journal and cargo manifests (default: .orbit beside the manifest)',
    },
    'checkpoint-bytes': {
      kind: 'string',
      valueName: 'BYTES',
      description: 'how often a large file in flight is made resumable (default 64MiB)',
    },
    'audit-key-env': {
      kind: 'string',
      valueName: 'NAME',
      description: 'environment variable with the audit HMAC key (default: audit_key_env, ORBIT_AUDIT_KEY)',
    },
  },
  details:
    'Ctrl-C (SIGINT) stops at a safe point and exits 130; the journal is kept and the same command resumes:\n' +
    'finished jobs are not redone and a large file continues from its last verified chunk.',
  async run({ flags, context }) {
    const manifestPath = resolve(context.cwd, requireFlag(flags.manifest, 'manifest', 'FILE', 'run'));
    const checkpointBytes =
      flags['checkpoint-bytes'] === undefined
        ? undefined
        : parseByteCount(flags['checkpoint-bytes'], 'checkpoint-bytes');
    const manifest = await loadManifest(manifestPath, { env: context.env, checkPaths: true });
    const dryRun = flags['dry-run'];
    const auditLogPath = manifest.defaults.auditLog ?? false;
    const auditKey =
      auditLogPath !== false && !dryRun
        ? readAuditKey(
            context.env,
            flags['audit-key-env'] ?? manifest.defaults.auditKeyEnv,
            'name another variable with --audit-key-env or audit_key_env in [defaults], or turn the log off with audit_log = false',
          )
        : undefined;
    const reporter = new RunReporter({
      lines: flags.json ? (context.stderr.isTTY ? undefined : context.stderr) : context.stdout,
      live: context.stderr.isTTY ? context.stderr : undefined,
      verbose: flags.verbose,
      now: () => performance.now(),
      dryRun,
    });
    const sizing = new AbortController();
    const stopSizing = () => sizing.abort();
    context.signal.addEventListener('abort', stopSizing);
    // Totals for the live line's "done/total" and ETA; best effort, so a failed scan only hides them.
    // A job whose source an earlier job makes is sized when it starts.
    const sizeLater = new Set<string>();
    const size = (jobs?: ReadonlySet<string>): void => {
      scanJobSizes(manifest, {
        signal: sizing.signal,
        ...(jobs ? { jobs } : {}),
        onNotYetMade: (job) => sizeLater.add(job),
      }).then(
        (sizes) => reporter.setPlannedTotals(sizes),
        () => undefined,
      );
    };
    if (context.stderr.isTTY) size();
    const onProgress = (event: ProgressEvent): void => {
      reporter.onProgress(event);
      if (event.type === 'job-start' && sizeLater.delete(event.job)) size(new Set([event.job]));
    };
    let summary: Awaited<ReturnType<typeof runManifest>>;
    try {
      summary = await runManifest(manifest, {
        ...(flags['state-dir'] === undefined ? {} : { stateDir: resolve(context.cwd, flags['state-dir']) }),
        dryRun,
        ...(checkpointBytes === undefined ? {} : { checkpointBytes }),
        signal: context.signal,
        onProgress,
        auditLogPath,
        ...(auditKey === undefined ? {} : { auditKey }),
      });
    } finally {
      stopSizing();
      context.signal.removeEventListener('abort', stopSizing);
      reporter.finish();
    }
    if (flags.json) context.stdout.write(`${JSON.stringify(runSummaryJson(summary, dryRun), null, 2)}\n`);
    else context.stdout.write(renderRunSummary(summary, dryRun));
    if (summary.status === 'cancelled' || context.signal.aborted) return EXIT.interrupted;
    return summary.status === 'succeeded' ? EXIT.ok : EXIT.problems;
  },
});
