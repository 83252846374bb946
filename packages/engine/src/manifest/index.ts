export { cronProblem } from './cron-schedule.ts';
export { findDependencyCycles } from './dependency-checks.ts';
export { didYouMean, levenshtein } from './did-you-mean.ts';
export type { Env } from './env-interpolation.ts';
export { type LoadManifestOptions, loadManifest, producerOfMissingSource } from './load-manifest.ts';
export { manifestFingerprint } from './manifest-fingerprint.ts';
export {
  JOB_MODES,
  JOB_NAME_PATTERN,
  PLAN_VISUALISATIONS,
  type PlanVisualisation,
} from './manifest-schema.ts';
export {
  formatLocation,
  type JobLocations,
  type Location,
  type Manifest,
  type ManifestDefaults,
  machineOf,
} from './manifest-types.ts';
export {
  DEFAULT_AUDIT_LOG,
  DEFAULT_PACK_SIZE,
  type ParseManifestOptions,
  parseManifest,
} from './parse-manifest.ts';
export { isPathInside } from './posix-path.ts';
export { formatKeyPath, positionOf, type SourceMap, type SourcePosition } from './source-locator.ts';
