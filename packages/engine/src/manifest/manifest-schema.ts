import { z } from 'zod';
import { BYTE_SIZE_HINT, parseByteSize } from '../byte-size.ts';
import { parseCompression } from '../compression/compression-setting.ts';
import { isOrbitError } from '../errors.ts';
import { CHECKSUM_ALGORITHMS } from '../hashing/checksum-algorithm.ts';
import { cronProblem } from './cron-schedule.ts';

/**
 * The shape of `orbit.manifest.toml` as written (snake_case keys, nothing resolved yet). Every
 * table is strict so a typo is reported rather than ignored.
 */

export const JOB_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
export const JOB_MODES = ['copy', 'mirror', 'archive'] as const;
export const PLAN_VISUALISATIONS = ['text', 'json', 'dot'] as const;
export type PlanVisualisation = (typeof PLAN_VISUALISATIONS)[number];

/** A positive whole number of bytes, or a size string such as "64MiB". */
const byteCount = z.union([
  z.number().int().positive(),
  z.string().transform((text, ctx) => {
    const parsed = parseByteSize(text);
    if ('bytes' in parsed) return parsed.bytes;
    ctx.addIssue({ code: 'custom', message: parsed.problem, params: { hint: BYTE_SIZE_HINT } });
    return z.NEVER;
  }),
]);

const compressionText = z.string().transform((text, ctx) => {
  try {
    return parseCompression(text);
  } catch (error) {
    if (!isOrbitError(error)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message, params: { hint: error.hint } });
    return z.NEVER;
  }
});

const cronText = z.string().superRefine((text, ctx) => {
  const problem = cronProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const chunkingInputSchema = z.strictObject({
  min: byteCount.optional(),
  avg: byteCount.optional(),
  max: byteCount.optional(),
});

export const starLocationInputSchema = z.strictObject({
  star: z.string().regex(JOB_NAME_PATTERN),
  path: z.string().min(1),
});

export const locationInputSchema = z.union([z.string().min(1), starLocationInputSchema]);

export const defaultsInputSchema = z.strictObject({
  checksum: z.enum(CHECKSUM_ALGORITHMS).default('blake3'),
  compression: compressionText.optional(),
  resume: z.boolean().default(true),
  concurrency: z.number().int().min(1).default(4),
  audit_log: z.union([z.string().min(1), z.literal(false)]).optional(),
  audit_key_env: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .default('ORBIT_AUDIT_KEY'),
  plan_visualisation: z.enum(PLAN_VISUALISATIONS).default('text'),
  chunking: chunkingInputSchema.optional(),
  pack_size: byteCount.optional(),
});

export const jobInputSchema = z.strictObject({
  name: z.string().regex(JOB_NAME_PATTERN),
  source: locationInputSchema,
  destination: locationInputSchema,
  include: z.array(z.string().min(1)).default([]),
  exclude: z.array(z.string().min(1)).default([]),
  mode: z.enum(JOB_MODES).default('copy'),
  delete: z.boolean().optional(),
  compression: compressionText.optional(),
  checksum: z.enum(CHECKSUM_ALGORITHMS).optional(),
  depends_on: z.array(z.string()).default([]),
  resume: z.boolean().optional(),
  chunking: chunkingInputSchema.optional(),
  pack_size: byteCount.optional(),
  schedule: cronText.optional(),
});

export const manifestInputSchema = z.strictObject({
  // prefault (not default) so the inner defaults still apply when [defaults] is absent.
  defaults: defaultsInputSchema.prefault({}),
  job: z.array(jobInputSchema).min(1),
});

export type ManifestInput = z.output<typeof manifestInputSchema>;
export type JobInput = z.output<typeof jobInputSchema>;
export type DefaultsInput = z.output<typeof defaultsInputSchema>;
export type LocationInput = z.output<typeof locationInputSchema>;
export type ChunkingInput = z.output<typeof chunkingInputSchema>;
