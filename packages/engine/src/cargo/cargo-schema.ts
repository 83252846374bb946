import { z } from 'zod';
import { CHECKSUM_ALGORITHMS } from '../hashing/checksum-algorithm.ts';

/**
 * On-disk shapes of a flight plan (`job.flightplan.json`) and of one cargo manifest per path
 * (`cargo/<relpath>.cargo.json`). Version 1; a reader refuses any other version.
 */
export const CARGO_FORMAT_VERSION = 1;
export const FLIGHT_PLAN_FILE = 'job.flightplan.json';
export const CARGO_FOLDER = 'cargo';
export const CARGO_SUFFIX = '.cargo.json';

const byteCount = z.number().int().nonnegative();

export const chunkRecordSchema = z.object({
  offset: byteCount,
  length: byteCount,
  hash: z.string(),
});

export const cargoRecordSchema = z.object({
  version: z.literal(CARGO_FORMAT_VERSION),
  /** Relative to the job's root, `/` separators. */
  path: z.string().min(1),
  kind: z.enum(['file', 'dir', 'symlink']),
  size: byteCount,
  mtimeMs: z.number(),
  mode: z.number().int().nonnegative(),
  /** Whole-file hash (empty for dirs, symlinks and algorithm `none`). */
  hash: z.string(),
  algorithm: z.enum(CHECKSUM_ALGORITHMS),
  linkTarget: z.string().optional(),
  chunks: z.array(chunkRecordSchema),
});

export const chunkingParametersSchema = z.object({
  minSize: z.number().int().positive(),
  avgSize: z.number().int().positive(),
  maxSize: z.number().int().positive(),
});

export const flightPlanSchema = z.object({
  version: z.literal(CARGO_FORMAT_VERSION),
  job: z.string().min(1),
  source: z.string(),
  destination: z.string(),
  mode: z.enum(['copy', 'mirror', 'archive']),
  options: z.object({
    include: z.array(z.string()),
    exclude: z.array(z.string()),
    delete: z.boolean(),
    compression: z.string(),
  }),
  created: z.iso.datetime(),
  engineVersion: z.string(),
  algorithm: z.enum(CHECKSUM_ALGORITHMS),
  chunking: chunkingParametersSchema,
  totals: z.object({ files: byteCount, bytes: byteCount, chunks: byteCount }),
});

export type ChunkRecord = z.infer<typeof chunkRecordSchema>;
export type CargoRecord = z.infer<typeof cargoRecordSchema>;
export type FlightPlan = z.infer<typeof flightPlanSchema>;
