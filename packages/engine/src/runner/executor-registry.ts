import { archiveJob } from '../pack/archive-job.ts';
import { copyJob, mirrorJob } from '../transfer/transfer-executor.ts';
import type { ExecutorRegistry } from './job-executor.ts';

/** The modes this engine runs locally; callers add or replace entries through `RunOptions.executors`. */
export const DEFAULT_EXECUTORS: ExecutorRegistry = {
  copy: copyJob,
  mirror: mirrorJob,
  archive: archiveJob,
};
