'use client';

import { Background, Controls, Handle, type NodeProps, Position, ReactFlow } from '@xyflow/react';
import { useRouter } from 'next/navigation';
import { useMemo } from 'react';
import { cn } from '../../components/ui/cn.ts';
import { type StarmapFlowNode, type StarmapJobGraph, starmapToFlow } from './lib/starmap-flow.ts';

const STATUS_RING: Record<string, string> = {
  succeeded: 'border-success',
  failed: 'border-destructive',
  running: 'border-info',
  planning: 'border-info',
  queued: 'border-muted-foreground',
  cancelled: 'border-border',
};

function JobNode({ data }: NodeProps<StarmapFlowNode>) {
  return (
    <div
      data-testid="starmap-node"
      data-current={data.current || undefined}
      className={cn(
        'w-52 rounded-lg border-2 bg-card px-3 py-2 text-card-foreground shadow-sm',
        data.status ? STATUS_RING[data.status] : 'border-border',
        data.current && 'ring-4 ring-ring/40',
        data.draft && 'border-dashed',
        data.cyclic && 'border-destructive',
      )}
    >
      <Handle type="target" position={Position.Left} className="!bg-muted-foreground" />
      <div className="truncate text-sm font-medium">{data.label}</div>
      <div className="flex items-center justify-between text-xs text-muted-foreground">
        <span>{data.mode ?? '—'}</span>
        <span>{data.draft ? 'new' : (data.status ?? 'never run')}</span>
      </div>
      <Handle type="source" position={Position.Right} className="!bg-muted-foreground" />
    </div>
  );
}

const nodeTypes = { job: JobNode };

/** Renders a Starmap: jobs as nodes, dependency → dependent as edges. Layout comes from lib/. */
export function Starmap({
  graph,
  teamSlug,
  currentId,
  draftId,
  className,
  interactive = true,
}: {
  graph: StarmapJobGraph;
  teamSlug: string;
  currentId?: string;
  draftId?: string;
  className?: string;
  /** False for previews whose nodes are not saved jobs yet, so clicking them goes nowhere. */
  interactive?: boolean;
}) {
  const router = useRouter();
  const flow = useMemo(() => starmapToFlow(graph, { currentId, draftId }), [graph, currentId, draftId]);
  return (
    <div className={cn('h-80 w-full rounded-lg border bg-muted/30', className)} data-testid="starmap">
      <ReactFlow
        nodes={flow.nodes}
        edges={flow.edges}
        nodeTypes={nodeTypes}
        nodesDraggable={false}
        nodesConnectable={false}
        fitView
        fitViewOptions={{ padding: 0.2, maxZoom: 1.2 }}
        proOptions={{ hideAttribution: true }}
        onNodeClick={(_, node) => {
          if (interactive && node.id !== draftId && node.id !== currentId)
            router.push(`/t/${teamSlug}/jobs/${node.id}`);
        }}
      >
        <Background gap={16} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
