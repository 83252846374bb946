import type { AuditEvent } from './audit-events.ts';

/** A valid file event for the n-th test line; tests only need distinct, schema-valid content. */
export function fileEventFixture(n: number): AuditEvent {
  return {
    type: 'file',
    run_id: 'run-test',
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, n)).toISOString(),
    job: 'job-a',
    path: `dir/file-${n}.bin`,
    size: n,
    hash: n.toString(16).padStart(64, '0'),
    action: 'copied',
    chunks_written: 1,
    chunks_reused: 0,
  };
}
