import type { OrbitErrorIssue } from '../errors.ts';
import { positionOf, type SourceMap } from './source-locator.ts';

/** A problem found while checking a manifest, before it is given a file, line and column. */
export interface ManifestIssue {
  /** e.g. `job[2].depends_on[0]`; `''` for the whole document. */
  readonly keyPath: string;
  readonly message: string;
  readonly hint?: string;
  /** The filesystem path the problem is about, when there is one. */
  readonly path?: string;
}

export function placeIssue(issue: ManifestIssue, file: string, sourceMap: SourceMap): OrbitErrorIssue {
  const { line, column } = positionOf(sourceMap, issue.keyPath);
  return {
    file,
    line,
    column,
    ...(issue.keyPath ? { keyPath: issue.keyPath } : {}),
    ...(issue.path ? { path: issue.path } : {}),
    message: issue.message,
    ...(issue.hint ? { hint: issue.hint } : {}),
  };
}
