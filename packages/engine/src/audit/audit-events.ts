import { z } from 'zod';

/**
 * The events Orbit records in its audit log, one zod schema per type. Field names are snake_case
 * because they are the on-disk JSON Lines format that auditors read and other tools parse.
 */
const timestamp = z.iso.datetime({ offset: true });
const count = z.number().int().nonnegative();

export const runStartEventSchema = z.strictObject({
  type: z.literal('run-start'),
  run_id: z.string().min(1),
  timestamp,
  jobs: z.array(z.string()),
  manifest: z.string().optional(),
});

export const runEndEventSchema = z.strictObject({
  type: z.literal('run-end'),
  run_id: z.string().min(1),
  timestamp,
  status: z.enum(['succeeded', 'failed', 'cancelled']),
  duration_ms: count,
  jobs_succeeded: count,
  jobs_failed: count,
  jobs_skipped: count,
});

export const jobEventSchema = z.strictObject({
  type: z.literal('job'),
  run_id: z.string().min(1),
  timestamp,
  job: z.string().min(1),
  mode: z.enum(['copy', 'mirror', 'archive']),
  source: z.string(),
  destination: z.string(),
  /** Bytes read from the source. */
  bytes: count,
  /** New bytes written to the destination. */
  bytes_written: count,
  duration_ms: count,
  compression: z.string(),
  checksum: z.string(),
  /** Null when the job did not verify (checksum `none`, or it failed before verifying). */
  checksum_match: z.boolean().nullable(),
  status: z.enum(['succeeded', 'failed', 'skipped', 'resumed-complete']),
  retries: count,
  starmap_node: z.string().nullable(),
  chunks_reused: count,
  /**
   * Paths by outcome. Unchanged files get no `file` event of their own (a re-sync of a large tree
   * would otherwise write a line per file it only looked at); they are counted here.
   */
  files: z
    .strictObject({
      scanned: count,
      copied: count,
      updated: count,
      unchanged: count,
      deleted: count,
      skipped: count,
    })
    .optional(),
});

export const fileEventSchema = z.strictObject({
  type: z.literal('file'),
  run_id: z.string().min(1),
  timestamp,
  job: z.string().min(1),
  path: z.string(),
  size: count,
  /** Whole-file hash; null for directories, symlinks and deletions. */
  hash: z.string().nullable(),
  action: z.enum(['copied', 'updated', 'unchanged', 'deleted', 'archived', 'linked', 'skipped']),
  chunks_written: count,
  chunks_reused: count,
});

export const chunkEventSchema = z.strictObject({
  type: z.literal('chunk'),
  run_id: z.string().min(1),
  timestamp,
  job: z.string().min(1),
  file: z.string(),
  offset: count,
  length: count,
  hash: z.string(),
  /** written: new bytes; reused: already stored by an earlier run; deduplicated: seen earlier in this run. */
  action: z.enum(['written', 'reused', 'deduplicated']),
});

export const auditEventSchema = z.discriminatedUnion('type', [
  runStartEventSchema,
  runEndEventSchema,
  jobEventSchema,
  fileEventSchema,
  chunkEventSchema,
]);

export type RunStartEvent = z.infer<typeof runStartEventSchema>;
export type RunEndEvent = z.infer<typeof runEndEventSchema>;
export type JobEvent = z.infer<typeof jobEventSchema>;
export type FileEvent = z.infer<typeof fileEventSchema>;
export type ChunkEvent = z.infer<typeof chunkEventSchema>;
export type AuditEvent = z.infer<typeof auditEventSchema>;
export type AuditEventType = AuditEvent['type'];

/** Where an event sits in the chain; `prev` is null only on the first line. */
export const chainFieldsSchema = z.object({
  seq: z.number().int().positive(),
  prev: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  mac: z.string().regex(/^[0-9a-f]{64}$/),
});

export type ChainFields = z.infer<typeof chainFieldsSchema>;

/** One line of the audit log. */
export type AuditRecord<E extends object = AuditEvent> = E & ChainFields;

/** Where executors send events; the runner backs it with an `AuditLogWriter`. */
export type AuditSink = (event: AuditEvent) => Promise<void>;
