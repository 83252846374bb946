import type { RunFileStatus } from '../../generated/prisma/enums.ts';

/**
 * What the dispatcher records of each file of a run (`RunFile.status`), in the order a file passes
 * through them. Pure, so the run page names its filters from the same list the API validates with.
 */
export const RUN_FILE_STATUSES = [
  'pending',
  'running',
  'done',
  'failed',
  'skipped',
] as const satisfies readonly RunFileStatus[];
export type RunFileStatusName = (typeof RUN_FILE_STATUSES)[number];
