import { z } from 'zod';
import { isoTime } from '../dto.ts';

const starRef = z.object({ id: z.string(), name: z.string() });

export const jobDto = z.object({
  id: z.string(),
  name: z.string(),
  /** Null: no Star assigned yet; runs wait until one is. */
  sourceStar: starRef.nullable(),
  sourcePath: z.string(),
  destinationStar: starRef.nullable(),
  destinationPath: z.string(),
  mode: z.enum(['copy', 'mirror', 'archive']),
  include: z.array(z.string()),
  exclude: z.array(z.string()),
  compression: z.string(),
  checksum: z.string(),
  concurrency: z.number().int(),
  options: z.record(z.string(), z.unknown()),
  schedule: z.string().nullable(),
  dependsOn: z.array(starRef),
  lastRun: z
    .object({ id: z.string(), state: z.string(), queuedAt: isoTime, finishedAt: isoTime.nullable() })
    .nullable(),
  createdBy: z.string().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type JobDto = z.infer<typeof jobDto>;

export const jobSelect = {
  id: true,
  name: true,
  sourceStar: { select: { id: true, name: true } },
  sourcePath: true,
  destinationStar: { select: { id: true, name: true } },
  destinationPath: true,
  mode: true,
  include: true,
  exclude: true,
  compression: true,
  checksum: true,
  concurrency: true,
  options: true,
  schedule: true,
  dependsOn: { select: { dependsOn: { select: { id: true, name: true } } } },
  runs: {
    select: { id: true, state: true, queuedAt: true, finishedAt: true },
    orderBy: { queuedAt: 'desc' },
    take: 1,
  },
  createdBy: { select: { email: true } },
  createdAt: true,
  updatedAt: true,
} as const;

interface JobRow {
  id: string;
  name: string;
  sourceStar: { id: string; name: string } | null;
  sourcePath: string;
  destinationStar: { id: string; name: string } | null;
  destinationPath: string;
  mode: JobDto['mode'];
  include: string[];
  exclude: string[];
  compression: string;
  checksum: string;
  concurrency: number;
  options: unknown;
  schedule: string | null;
  dependsOn: { dependsOn: { id: string; name: string } }[];
  runs: { id: string; state: string; queuedAt: Date; finishedAt: Date | null }[];
  createdBy: { email: string } | null;
  createdAt: Date;
  updatedAt: Date;
}

export function toJobDto(row: JobRow): JobDto {
  const options = z.record(z.string(), z.unknown()).safeParse(row.options);
  const lastRun = row.runs[0];
  return {
    id: row.id,
    name: row.name,
    sourceStar: row.sourceStar,
    sourcePath: row.sourcePath,
    destinationStar: row.destinationStar,
    destinationPath: row.destinationPath,
    mode: row.mode,
    include: row.include,
    exclude: row.exclude,
    compression: row.compression,
    checksum: row.checksum,
    concurrency: row.concurrency,
    options: options.success ? options.data : {},
    schedule: row.schedule,
    dependsOn: row.dependsOn.map((edge) => edge.dependsOn),
    lastRun: lastRun
      ? {
          id: lastRun.id,
          state: lastRun.state,
          queuedAt: lastRun.queuedAt.toISOString(),
          finishedAt: lastRun.finishedAt?.toISOString() ?? null,
        }
      : null,
    createdBy: row.createdBy?.email ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
