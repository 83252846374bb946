/**
 * Returns the dependency path that would close a cycle if `jobId` depended on `dependsOn`, e.g.
 * [a, b, a], or null when the graph stays acyclic. `edges` maps a job id to the ids it depends on.
 */
export function findDependencyCycle(
  edges: ReadonlyMap<string, readonly string[]>,
  jobId: string,
  dependsOn: readonly string[],
): string[] | null {
  const visited = new Set<string>();
  const walk = (node: string, trail: string[]): string[] | null => {
    if (node === jobId) return [...trail, node];
    if (visited.has(node)) return null;
    visited.add(node);
    for (const next of edges.get(node) ?? []) {
      const found = walk(next, [...trail, node]);
      if (found) return found;
    }
    return null;
  };
  for (const first of dependsOn) {
    const found = walk(first, [jobId]);
    if (found) return found;
  }
  return null;
}
