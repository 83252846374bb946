import type { ResolvedJob } from '../runner/job-executor.ts';
import { planStarmap, type StarmapPlan } from './starmap-plan.ts';

export interface StarmapNode {
  readonly id: string;
  readonly label: string;
  readonly mode: ResolvedJob['mode'];
  /** 1-based parallel group, which the UI lays out as a column. */
  readonly group: number;
}

export interface StarmapGraph {
  readonly nodes: readonly StarmapNode[];
  /** Dependency → dependent. */
  readonly edges: readonly { readonly from: string; readonly to: string }[];
}

/** Nodes and edges for the web UI's React Flow view; layout stays in the UI's pure layout function. */
export function starmapGraph(
  jobs: readonly ResolvedJob[],
  concurrency = Math.max(1, jobs.length),
): StarmapGraph {
  return graphOfPlan(planStarmap({ jobs, concurrency }));
}

export function graphOfPlan(plan: StarmapPlan): StarmapGraph {
  return {
    nodes: plan.jobs.map((job) => ({ id: job.name, label: job.name, mode: job.mode, group: job.group })),
    edges: plan.edges.map(({ from, to }) => ({ from, to })),
  };
}
