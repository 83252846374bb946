import { formatCompression, parseCompression } from '@orbit/engine/compression/compression-setting';
import { isOrbitError } from '@orbit/engine/errors';
import { CHECKSUM_ALGORITHMS } from '@orbit/engine/hashing/checksum-algorithm';
import { cronProblem } from '@orbit/engine/manifest/cron-schedule';
import { JOB_MODES, JOB_NAME_PATTERN } from '@orbit/engine/manifest/manifest-schema';
import { z } from 'zod';
import { idSchema } from '../dto.ts';

/** The wizard's fields, shared by job.create and job.update (where every field is optional). */
const compressionField = z
  .string()
  .default('none')
  .transform((text, ctx) => {
    try {
      return formatCompression(parseCompression(text));
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message: isOrbitError(error) && error.hint ? `${error.message}: ${error.hint}` : String(error),
      });
      return z.NEVER;
    }
  });

const absolutePath = z.string().trim().min(1).startsWith('/', 'use an absolute path, e.g. /data/projects');

const glob = z.string().trim().min(1).max(500);

export const jobOptionsSchema = z
  .object({
    delete: z.boolean().optional(),
    resume: z.boolean().optional(),
    packSize: z.number().int().positive().optional(),
    chunking: z
      .object({
        min: z.number().int().positive(),
        avg: z.number().int().positive(),
        max: z.number().int().positive(),
      })
      .partial()
      .optional(),
  })
  .strict();

export const jobFields = z.object({
  name: z
    .string()
    .trim()
    .regex(
      JOB_NAME_PATTERN,
      'use lowercase letters, digits, dots, dashes and underscores, e.g. "nightly-photos"',
    ),
  sourceStarId: idSchema.nullable().default(null),
  sourcePath: absolutePath,
  destinationStarId: idSchema.nullable().default(null),
  destinationPath: absolutePath,
  mode: z.enum(JOB_MODES).default('copy'),
  include: z.array(glob).max(100).default([]),
  exclude: z.array(glob).max(100).default([]),
  compression: compressionField,
  checksum: z.enum(CHECKSUM_ALGORITHMS).default('blake3'),
  concurrency: z.number().int().min(1).max(64).default(4),
  options: jobOptionsSchema.default({}),
  schedule: z
    .string()
    .trim()
    .nullable()
    .default(null)
    .superRefine((text, ctx) => {
      const problem = text ? cronProblem(text) : undefined;
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  dependsOn: z.array(idSchema).max(100).default([]),
});
export type JobFields = z.output<typeof jobFields>;
