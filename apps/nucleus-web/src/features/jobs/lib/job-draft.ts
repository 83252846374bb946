import type { ChecksumAlgorithm } from '@orbit/engine/hashing/checksum-algorithm';
import { describeCron } from './cron-description.ts';

/**
 * The wizard's working copy of a job. Pure: the steps edit it, `draftProblems` says what blocks each
 * step, and `draftToInput` turns it into the fields `job.create` / `job.update` take.
 */
export interface JobDraft {
  name: string;
  sourceStarId: string;
  sourcePath: string;
  destinationStarId: string;
  destinationPath: string;
  include: string;
  exclude: string;
  mode: 'copy' | 'mirror' | 'archive';
  deleteExtraneous: boolean;
  compression: string;
  checksum: ChecksumAlgorithm;
  concurrency: number;
  dependsOn: string[];
  schedule: string;
}

export const EMPTY_DRAFT: JobDraft = {
  name: '',
  sourceStarId: '',
  sourcePath: '',
  destinationStarId: '',
  destinationPath: '',
  include: '',
  exclude: '',
  mode: 'copy',
  deleteExtraneous: false,
  compression: 'none',
  checksum: 'blake3',
  concurrency: 4,
  dependsOn: [],
  schedule: '',
};

export const WIZARD_STEPS = [
  'Source',
  'Destination',
  'Filters',
  'Options',
  'Dependencies',
  'Schedule',
  'Review',
] as const;

const NAME = /^[a-z0-9][a-z0-9._-]*$/;

/** One glob per line; blank lines and surrounding spaces are ignored. */
export function globLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

export function draftProblems(draft: JobDraft, step: number): string[] {
  const problems: string[] = [];
  if (step === 0) {
    if (!NAME.test(draft.name)) {
      problems.push('Name: use lowercase letters, digits, ".", "_" or "-", starting with a letter or digit.');
    }
    if (!draft.sourcePath.startsWith('/')) problems.push('Source path must be absolute (start with "/").');
  }
  if (step === 1) {
    if (!draft.destinationPath.startsWith('/'))
      problems.push('Destination path must be absolute (start with "/").');
    if (
      draft.sourceStarId === draft.destinationStarId &&
      draft.destinationPath !== '' &&
      (draft.destinationPath === draft.sourcePath ||
        draft.destinationPath.startsWith(`${draft.sourcePath.replace(/\/$/, '')}/`))
    ) {
      problems.push('Destination is inside the source on the same Star: the job would copy its own output.');
    }
  }
  if (step === 3) {
    if (!Number.isInteger(draft.concurrency) || draft.concurrency < 1 || draft.concurrency > 64) {
      problems.push('Concurrency must be a whole number from 1 to 64.');
    }
  }
  if (step === 5 && draft.schedule.trim() !== '') {
    const cron = describeCron(draft.schedule);
    if (!cron.ok) problems.push(`Schedule: ${cron.error}.`);
  }
  return problems;
}

export function draftToInput(draft: JobDraft) {
  return {
    name: draft.name,
    sourceStarId: draft.sourceStarId === '' ? null : draft.sourceStarId,
    sourcePath: draft.sourcePath,
    destinationStarId: draft.destinationStarId === '' ? null : draft.destinationStarId,
    destinationPath: draft.destinationPath,
    mode: draft.mode,
    include: globLines(draft.include),
    exclude: globLines(draft.exclude),
    compression: draft.compression,
    checksum: draft.checksum,
    concurrency: draft.concurrency,
    dependsOn: draft.dependsOn,
    schedule: draft.schedule.trim() === '' ? null : draft.schedule.trim(),
    options: draft.mode === 'mirror' ? { delete: draft.deleteExtraneous } : {},
  };
}
