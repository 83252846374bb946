import { OrbitError } from '../errors.ts';
import { findDependencyCycles } from '../manifest/dependency-checks.ts';
import { type JobLocations, machineOf } from '../manifest/manifest-types.ts';
import { isPathInside } from '../manifest/posix-path.ts';

/** What ordering needs from a job: its name, what it waits for and where it reads and writes. */
export interface OrderNode {
  readonly name: string;
  readonly dependsOn: readonly string[];
  readonly locations: JobLocations;
}

/** Checks the graph is one the planner can order: unique names, known targets, no cycles. */
export function assertPlannable(nodes: readonly OrderNode[]): void {
  const names = new Set<string>();
  for (const node of nodes) {
    if (names.has(node.name)) {
      throw new OrbitError('INVALID_ARGUMENT', `job name "${node.name}" appears twice`, {
        hint: 'give every job a unique name',
      });
    }
    names.add(node.name);
  }
  for (const node of nodes) {
    for (const target of node.dependsOn) {
      if (!names.has(target) || target === node.name) {
        throw new OrbitError(
          'INVALID_ARGUMENT',
          `job "${node.name}" depends on "${target}", which cannot run before it`,
          {
            hint: 'depends_on must name another job of the same plan',
          },
        );
      }
    }
  }
  const [cycle] = findDependencyCycles(nodes);
  if (cycle) {
    throw new OrbitError('PLAN_CYCLE', `dependency cycle: ${cycle.join(' → ')}`, {
      hint: 'each arrow reads "depends on"; remove one of these dependencies to break the cycle',
    });
  }
}

/** Kahn's algorithm; among jobs that are ready at the same time, the earlier one in the manifest goes first. */
export function topologicalOrder<T extends OrderNode>(nodes: readonly T[]): T[] {
  const placed = new Set<string>();
  const order: T[] = [];
  while (order.length < nodes.length) {
    const next = nodes.find(
      (node) => !placed.has(node.name) && node.dependsOn.every((dep) => placed.has(dep)),
    );
    if (!next) break;
    placed.add(next.name);
    order.push(next);
  }
  return order;
}

/**
 * Parallel groups: each group holds ready jobs (all dependencies in earlier groups) that do not
 * overlap one another, at most `concurrency` of them, picked in manifest order. A ready job that
 * overlaps one already picked waits for a later group.
 */
export function parallelGroups(nodes: readonly OrderNode[], concurrency: number): string[][] {
  const done = new Set<string>();
  const groups: string[][] = [];
  while (done.size < nodes.length) {
    const group: OrderNode[] = [];
    for (const node of nodes) {
      if (group.length >= concurrency) break;
      if (done.has(node.name) || !node.dependsOn.every((dep) => done.has(dep))) continue;
      if (group.some((other) => jobsOverlap(node.locations, other.locations))) continue;
      group.push(node);
    }
    // assertPlannable ruled out cycles, so some job is always ready here.
    if (group.length === 0) break;
    for (const node of group) done.add(node.name);
    groups.push(group.map((node) => node.name));
  }
  return groups;
}

/**
 * Two jobs overlap when one's source or destination is equal to or inside the other's destination
 * (which covers two destinations sharing a tree): running them together could read half-written files
 * or write the same files twice.
 */
export function jobsOverlap(a: JobLocations, b: JobLocations): boolean {
  const within = (inner: JobLocations['source'], outer: JobLocations['destination']) =>
    machineOf(inner) === machineOf(outer) && isPathInside(inner.path, outer.path);
  return (
    within(a.source, b.destination) ||
    within(a.destination, b.destination) ||
    within(b.source, a.destination) ||
    within(b.destination, a.destination)
  );
}
