/**
 * Auto-layout for the Starmap: jobs are layered by dependency depth (a job sits one layer right of its
 * deepest dependency) and each layer is ordered by the barycentre of its neighbours, sweeping both ways,
 * which removes most edge crossings in small DAGs without a layout library.
 */

export interface StarmapGraphNode {
  readonly id: string;
  readonly label: string;
}

export interface StarmapGraphEdge {
  /** The dependency. */
  readonly from: string;
  /** The job that waits for it. */
  readonly to: string;
}

export interface StarmapGraphInput<N extends StarmapGraphNode = StarmapGraphNode> {
  readonly nodes: readonly N[];
  readonly edges: readonly StarmapGraphEdge[];
}

export interface LaidOutNode {
  readonly id: string;
  readonly layer: number;
  readonly order: number;
  readonly x: number;
  readonly y: number;
}

export interface StarmapLayout {
  readonly nodes: ReadonlyMap<string, LaidOutNode>;
  readonly layers: readonly (readonly string[])[];
  /** Ids of jobs that sit on a dependency cycle; the server rejects cycles, but the layout must not hang. */
  readonly cyclic: readonly string[];
}

export const LAYER_GAP = 280;
export const ROW_GAP = 96;
const SWEEPS = 4;

/** Keeps only edges whose ends both exist and drops self-loops and duplicates. */
function cleanEdges(graph: StarmapGraphInput): StarmapGraphEdge[] {
  const ids = new Set(graph.nodes.map((node) => node.id));
  const seen = new Set<string>();
  const edges: StarmapGraphEdge[] = [];
  for (const edge of graph.edges) {
    const key = `${edge.from}\u0000${edge.to}`;
    if (edge.from === edge.to || !ids.has(edge.from) || !ids.has(edge.to) || seen.has(key)) continue;
    seen.add(key);
    edges.push(edge);
  }
  return edges;
}

/** Longest-path depth via Kahn's algorithm; nodes never released belong to a cycle. */
function assignDepths(
  graph: StarmapGraphInput,
  edges: readonly StarmapGraphEdge[],
): {
  depth: Map<string, number>;
  cyclic: string[];
} {
  const indegree = new Map(graph.nodes.map((node) => [node.id, 0]));
  const outgoing = new Map<string, string[]>(graph.nodes.map((node) => [node.id, []]));
  for (const edge of edges) {
    indegree.set(edge.to, (indegree.get(edge.to) ?? 0) + 1);
    outgoing.get(edge.from)?.push(edge.to);
  }
  const depth = new Map<string, number>();
  const queue = graph.nodes.filter((node) => indegree.get(node.id) === 0).map((node) => node.id);
  for (const id of queue) depth.set(id, 0);
  for (let index = 0; index < queue.length; index++) {
    const id = queue[index] as string;
    const next = (depth.get(id) ?? 0) + 1;
    for (const target of outgoing.get(id) ?? []) {
      depth.set(target, Math.max(depth.get(target) ?? 0, next));
      const remaining = (indegree.get(target) ?? 0) - 1;
      indegree.set(target, remaining);
      if (remaining === 0) queue.push(target);
    }
  }
  const released = new Set(queue);
  const cyclic = graph.nodes.filter((node) => !released.has(node.id)).map((node) => node.id);
  for (const id of cyclic) depth.delete(id);
  const lastLayer = Math.max(-1, ...depth.values()) + 1;
  for (const id of cyclic) depth.set(id, lastLayer);
  return { depth, cyclic };
}

function barycentre(id: string, neighbours: Map<string, string[]>, position: Map<string, number>): number {
  const around = (neighbours.get(id) ?? [])
    .map((other) => position.get(other))
    .filter((p) => p !== undefined);
  if (around.length === 0) return position.get(id) ?? 0;
  return around.reduce((sum, value) => sum + value, 0) / around.length;
}

function reorder(
  layers: string[][],
  neighbours: Map<string, string[]>,
  position: Map<string, number>,
  layerIndexes: readonly number[],
): void {
  for (const index of layerIndexes) {
    const layer = layers[index];
    if (!layer) continue;
    const scored = layer.map((id) => ({ id, score: barycentre(id, neighbours, position) }));
    // Stable sort keeps manifest order among equals, so the layout does not jump between renders.
    scored.sort((a, b) => a.score - b.score);
    layers[index] = scored.map((entry) => entry.id);
    layers[index].forEach((id, order) => {
      position.set(id, order);
    });
  }
}

/** Counts pairs of edges between adjacent layers that cross; exported so tests can measure the ordering. */
export function countCrossings(
  layers: readonly (readonly string[])[],
  edges: readonly StarmapGraphEdge[],
): number {
  const where = new Map<string, { layer: number; order: number }>();
  layers.forEach((layer, layerIndex) => {
    layer.forEach((id, order) => {
      where.set(id, { layer: layerIndex, order });
    });
  });
  const spans = edges
    .map((edge) => ({ from: where.get(edge.from), to: where.get(edge.to) }))
    .filter(
      (span): span is { from: { layer: number; order: number }; to: { layer: number; order: number } } =>
        span.from !== undefined && span.to !== undefined && span.to.layer === span.from.layer + 1,
    );
  let crossings = 0;
  for (let i = 0; i < spans.length; i++) {
    for (let j = i + 1; j < spans.length; j++) {
      const a = spans[i];
      const b = spans[j];
      if (!a || !b || a.from.layer !== b.from.layer) continue;
      if ((a.from.order - b.from.order) * (a.to.order - b.to.order) < 0) crossings++;
    }
  }
  return crossings;
}

export function layoutStarmap(graph: StarmapGraphInput): StarmapLayout {
  const edges = cleanEdges(graph);
  const { depth, cyclic } = assignDepths(graph, edges);
  const layerCount = Math.max(-1, ...depth.values()) + 1;
  const layers: string[][] = Array.from({ length: layerCount }, () => []);
  for (const node of graph.nodes) layers[depth.get(node.id) ?? 0]?.push(node.id);

  const predecessors = new Map<string, string[]>(graph.nodes.map((node) => [node.id, []]));
  const successors = new Map<string, string[]>(graph.nodes.map((node) => [node.id, []]));
  for (const edge of edges) {
    predecessors.get(edge.to)?.push(edge.from);
    successors.get(edge.from)?.push(edge.to);
  }
  const position = new Map<string, number>();
  for (const layer of layers) {
    layer.forEach((id, order) => {
      position.set(id, order);
    });
  }
  const forward = layers.map((_, index) => index).slice(1);
  const backward = layers
    .map((_, index) => index)
    .reverse()
    .slice(1);
  let best = layers.map((layer) => [...layer]);
  let bestCrossings = countCrossings(best, edges);
  for (let sweep = 0; sweep < SWEEPS && bestCrossings > 0; sweep++) {
    reorder(layers, predecessors, position, forward);
    reorder(layers, successors, position, backward);
    const crossings = countCrossings(layers, edges);
    if (crossings < bestCrossings) {
      best = layers.map((layer) => [...layer]);
      bestCrossings = crossings;
    }
  }

  const tallest = Math.max(0, ...best.map((layer) => layer.length));
  const nodes = new Map<string, LaidOutNode>();
  best.forEach((layer, layerIndex) => {
    // Centre each column against the tallest one so short layers do not hug the top edge.
    const offset = ((tallest - layer.length) * ROW_GAP) / 2;
    layer.forEach((id, order) => {
      nodes.set(id, { id, layer: layerIndex, order, x: layerIndex * LAYER_GAP, y: offset + order * ROW_GAP });
    });
  });
  return { nodes, layers: best, cyclic };
}
