import { didYouMean } from './did-you-mean.ts';
import type { ManifestIssue } from './manifest-issue.ts';

/** What the dependency checks need to know about a job; `index` is its 0-based place in the file. */
export interface DependencyNode {
  readonly index: number;
  readonly name: string;
  readonly dependsOn: readonly string[];
}

/** Duplicate names, self-dependencies, unknown targets and cycles — all of them, in file order. */
export function dependencyIssues(nodes: readonly DependencyNode[]): ManifestIssue[] {
  const issues: ManifestIssue[] = [];
  const firstIndex = new Map<string, number>();
  for (const node of nodes) {
    const first = firstIndex.get(node.name);
    if (first === undefined) firstIndex.set(node.name, node.index);
    else {
      issues.push({
        keyPath: `job[${node.index}].name`,
        message: `job name "${node.name}" is already used by job[${first}]`,
        hint: 'give every job a unique name',
      });
    }
  }
  const names = [...firstIndex.keys()];
  for (const node of nodes) {
    node.dependsOn.forEach((target, position) => {
      const keyPath = `job[${node.index}].depends_on[${position}]`;
      if (node.dependsOn.indexOf(target) < position) {
        issues.push({
          keyPath,
          message: `"${target}" is listed twice in depends_on`,
          hint: 'remove the repeat',
        });
      } else if (target === node.name) {
        issues.push({
          keyPath,
          message: `job "${node.name}" depends on itself`,
          hint: 'remove it from depends_on',
        });
      } else if (!firstIndex.has(target)) {
        const guess = didYouMean(
          target,
          names.filter((name) => name !== node.name),
        );
        issues.push({
          keyPath,
          message: `depends_on names "${target}", which is not a job in this manifest`,
          hint: guess ? `did you mean "${guess}"?` : `known jobs: ${names.join(', ')}`,
        });
      }
    });
  }
  for (const cycle of findDependencyCycles(nodes)) {
    const start = nodes.find((node) => node.name === cycle[0]);
    issues.push({
      keyPath: start ? `job[${start.index}].depends_on` : '',
      message: `dependency cycle: ${cycle.join(' → ')}`,
      hint: 'each arrow reads "depends on"; remove one of these depends_on entries to break the cycle',
    });
  }
  return issues;
}

/**
 * Every distinct cycle (ignoring self-dependencies and unknown targets), each as a closed path
 * `[a, b, c, a]` where each job depends on the next, starting from the earliest job in file order.
 */
export function findDependencyCycles(
  nodes: readonly Pick<DependencyNode, 'name' | 'dependsOn'>[],
): string[][] {
  const edges = new Map<string, readonly string[]>();
  for (const node of nodes) if (!edges.has(node.name)) edges.set(node.name, node.dependsOn);
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const seen = new Set<string>();

  const visit = (name: string) => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const target of edges.get(name) ?? []) {
      if (target === name || !edges.has(target)) continue;
      const targetState = state.get(target);
      if (targetState === 'visiting') {
        const cycle = stack.slice(stack.indexOf(target));
        const key = [...cycle].sort().join('\u0000');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...cycle, target]);
        }
      } else if (targetState === undefined) visit(target);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of edges.keys()) if (!state.has(name)) visit(name);
  return cycles;
}
