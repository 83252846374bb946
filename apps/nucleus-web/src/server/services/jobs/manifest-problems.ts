import { isOrbitError } from '@orbit/engine/errors';
import { z } from 'zod';
import type { FieldProblem } from '../../errors.ts';

export const manifestProblemDto = z.object({
  message: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  keyPath: z.string().optional(),
  hint: z.string().optional(),
});
export type ManifestProblemDto = z.infer<typeof manifestProblemDto>;

/** The engine's issues as plain data for the editor; anything else is rethrown. */
export function manifestProblems(error: unknown): ManifestProblemDto[] {
  if (!isOrbitError(error)) throw error;
  return error.issues.map((issue) => ({
    message: issue.message,
    ...(issue.line !== undefined ? { line: issue.line } : {}),
    ...(issue.column !== undefined ? { column: issue.column } : {}),
    ...(issue.keyPath !== undefined ? { keyPath: issue.keyPath } : {}),
    ...(issue.hint !== undefined ? { hint: issue.hint } : {}),
  }));
}

/** `12:5 job[1].source` — where a problem is, as an error field path. */
export function problemField(problem: ManifestProblemDto): FieldProblem {
  const at = problem.line !== undefined ? `${problem.line}:${problem.column ?? 1}` : '';
  return {
    path: [at, problem.keyPath].filter(Boolean).join(' ') || 'toml',
    message: problem.hint ? `${problem.message} (${problem.hint})` : problem.message,
  };
}

/** The manifest as the Nucleus reads it: a virtual file, and none of the server's environment. */
export const NUCLEUS_MANIFEST_FILE = '/orbit.manifest.toml';
export const manifestInput = z.object({ toml: z.string().min(1, 'paste a manifest').max(1_000_000) });
export type ManifestInput = z.infer<typeof manifestInput>;
