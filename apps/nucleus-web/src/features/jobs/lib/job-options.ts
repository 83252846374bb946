import { MAX_ZSTD_LEVEL, MIN_ZSTD_LEVEL } from '@orbit/engine/compression/compression-setting';
import { CHECKSUM_ALGORITHMS } from '@orbit/engine/hashing/checksum-algorithm';

/** The choices the wizard and the filters offer, taken from the engine so the UI cannot drift from it. */
export const JOB_MODES = ['copy', 'mirror', 'archive'] as const;
export const RUN_STATES = ['queued', 'planning', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export const CHECKSUMS = CHECKSUM_ALGORITHMS;

export const MODE_DESCRIPTIONS: Record<(typeof JOB_MODES)[number], string> = {
  copy: 'Copy new and changed files; never delete at the destination.',
  mirror: 'Make the destination match the source, optionally deleting files the source no longer has.',
  archive: 'Pack files into deduplicated .orbitpak containers at the destination.',
};

export const COMPRESSION_CHOICES: readonly { value: string; label: string }[] = [
  { value: 'none', label: 'None' },
  { value: 'auto', label: 'Auto (zstd, skipped for incompressible data)' },
  ...[1, 3, 9, MAX_ZSTD_LEVEL]
    .filter((level) => level >= MIN_ZSTD_LEVEL)
    .map((level) => ({ value: `zstd:${level}`, label: `zstd level ${level}` })),
];

/** The jobs list filters on the latest run's state, or on jobs that never ran. */
export const LAST_RUN_FILTERS = ['never', ...RUN_STATES] as const;
