import type { AuditEvent } from '../audit/audit-events.ts';
import { formatCompression } from '../compression/compression-setting.ts';
import type { JobResult, ProvenanceEvent, ResolvedJob } from './job-executor.ts';

/** Where the runner's audit lines go; a no-op sink when auditing is off or for dry runs. */
export type AuditAppend = (event: AuditEvent) => Promise<void>;

export function provenanceToAudit(runId: string, event: ProvenanceEvent): AuditEvent {
  const timestamp = new Date().toISOString();
  if (event.type === 'file') {
    return {
      type: 'file',
      run_id: runId,
      timestamp,
      job: event.job,
      path: event.path,
      size: event.size,
      hash: event.hash === '' ? null : event.hash,
      action: event.action,
      chunks_written: event.chunksWritten,
      chunks_reused: event.chunksReused,
    };
  }
  return {
    type: 'chunk',
    run_id: runId,
    timestamp,
    job: event.job,
    file: event.file,
    offset: event.offset,
    length: event.length,
    hash: event.hash,
    action: event.action,
  };
}

export function jobAuditEvent(runId: string, job: ResolvedJob, result: JobResult): AuditEvent {
  const verified = job.checksum !== 'none' && result.status === 'succeeded';
  return {
    type: 'job',
    run_id: runId,
    timestamp: new Date().toISOString(),
    job: job.name,
    mode: job.mode,
    source: job.source,
    destination: job.destination,
    bytes: result.counters.bytesRead,
    bytes_written: result.counters.bytesWritten,
    duration_ms: Math.round(result.durationMs),
    compression: formatCompression(job.compression),
    checksum: job.checksum,
    checksum_match: verified ? (result.checksumMatch ?? true) : null,
    status: result.status,
    retries: result.retries,
    starmap_node: job.name,
    chunks_reused: result.counters.chunksReused,
    files: {
      scanned: result.counters.filesScanned,
      copied: result.counters.filesCopied,
      updated: result.counters.filesUpdated,
      unchanged: result.counters.filesUnchanged,
      deleted: result.counters.filesDeleted,
      skipped: result.counters.filesSkipped,
    },
  };
}
