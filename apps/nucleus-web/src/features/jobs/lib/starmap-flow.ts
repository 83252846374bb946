import { type Edge, MarkerType, type Node } from '@xyflow/react';
import { layoutStarmap, type StarmapGraphEdge } from './starmap-layout.ts';

/** One job on the map; `status` is its latest run state (or undefined when it never ran). */
export interface StarmapJobNode {
  readonly id: string;
  readonly label: string;
  readonly mode?: string | undefined;
  readonly status?: string | undefined;
}

export interface StarmapJobGraph {
  readonly nodes: readonly StarmapJobNode[];
  readonly edges: readonly StarmapGraphEdge[];
}

export type StarmapNodeData = {
  label: string;
  mode: string | undefined;
  status: string | undefined;
  current: boolean;
  draft: boolean;
  cyclic: boolean;
};

export type StarmapFlowNode = Node<StarmapNodeData, 'job'>;

export interface StarmapFlow {
  readonly nodes: StarmapFlowNode[];
  readonly edges: Edge[];
}

export interface StarmapFlowOptions {
  /** The job the page is about; it is highlighted and its edges animated. */
  readonly currentId?: string | undefined;
  /** A job being drafted in the wizard, drawn dashed. */
  readonly draftId?: string | undefined;
}

export function starmapToFlow(graph: StarmapJobGraph, options: StarmapFlowOptions = {}): StarmapFlow {
  const layout = layoutStarmap(graph);
  const cyclic = new Set(layout.cyclic);
  const nodes = graph.nodes.map((job): StarmapFlowNode => {
    const place = layout.nodes.get(job.id);
    return {
      id: job.id,
      type: 'job',
      position: { x: place?.x ?? 0, y: place?.y ?? 0 },
      data: {
        label: job.label,
        mode: job.mode,
        status: job.status,
        current: job.id === options.currentId,
        draft: job.id === options.draftId,
        cyclic: cyclic.has(job.id),
      },
    };
  });
  const ids = new Set(graph.nodes.map((job) => job.id));
  const edges = graph.edges
    .filter((edge) => ids.has(edge.from) && ids.has(edge.to) && edge.from !== edge.to)
    .map(
      (edge): Edge => ({
        id: `${edge.from}->${edge.to}`,
        source: edge.from,
        target: edge.to,
        markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
        animated:
          options.currentId !== undefined &&
          (edge.from === options.currentId || edge.to === options.currentId),
      }),
    );
  return { nodes, edges };
}

/** Adds the wizard's unsaved job to the team's map so the review step shows the plan it will join. */
export function withDraftJob(
  graph: StarmapJobGraph,
  draft: { id: string; label: string; mode: string; dependsOn: readonly string[] },
): StarmapJobGraph {
  return {
    nodes: [...graph.nodes, { id: draft.id, label: draft.label, mode: draft.mode, status: undefined }],
    edges: [...graph.edges, ...draft.dependsOn.map((from) => ({ from, to: draft.id }))],
  };
}
