/** A problem the server found in a pasted manifest; line and column are 1-based when known. */
export interface ManifestProblem {
  readonly message: string;
  readonly line?: number | undefined;
  readonly column?: number | undefined;
  readonly keyPath?: string | undefined;
  readonly hint?: string | undefined;
}

/** Problems indexed by line for the editor's highlight, plus those with no line, listed first. */
export function problemsByLine(problems: readonly ManifestProblem[], lineCount: number) {
  const byLine = new Map<number, ManifestProblem[]>();
  const unplaced: ManifestProblem[] = [];
  for (const problem of problems) {
    const line = problem.line;
    if (line === undefined || line < 1 || line > Math.max(lineCount, 1)) {
      unplaced.push(problem);
      continue;
    }
    byLine.set(line, [...(byLine.get(line) ?? []), problem]);
  }
  const sorted = [...problems].sort(
    (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
  return { byLine, unplaced, sorted };
}

/** `12:5 job[1].depends_on: unknown job "x" (did you mean "y"?)` — one line per problem in the list. */
export function formatProblem(problem: ManifestProblem): string {
  const where =
    problem.line === undefined ? '' : `${problem.line}${problem.column ? `:${problem.column}` : ''} `;
  const key = problem.keyPath ? `${problem.keyPath}: ` : '';
  const hint = problem.hint ? ` (${problem.hint})` : '';
  return `${where}${key}${problem.message}${hint}`;
}
