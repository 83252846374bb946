import { describe, expect, it } from 'vitest';
import { starmapToFlow, withDraftJob } from './starmap-flow.ts';

const graph = {
  nodes: [
    { id: 'j1', label: 'ingest', mode: 'copy', status: 'succeeded' },
    { id: 'j2', label: 'archive', mode: 'archive', status: undefined },
  ],
  edges: [{ from: 'j1', to: 'j2' }],
};

describe('starmapToFlow', () => {
  it('turns jobs into positioned nodes and dependencies into edges', () => {
    const flow = starmapToFlow(graph);
    expect(flow.nodes.map((n) => [n.id, n.position.x > 0, n.data.status])).toEqual([
      ['j1', false, 'succeeded'],
      ['j2', true, undefined],
    ]);
    expect(flow.edges).toEqual([
      {
        id: 'j1->j2',
        source: 'j1',
        target: 'j2',
        markerEnd: { type: 'arrowclosed', width: 18, height: 18 },
        animated: false,
      },
    ]);
  });

  it('highlights the current job and animates its edges only', () => {
    const flow = starmapToFlow(
      {
        nodes: [...graph.nodes, { id: 'j3', label: 'other' }],
        edges: [...graph.edges, { from: 'j3', to: 'j2' }],
      },
      { currentId: 'j1' },
    );
    expect(flow.nodes.find((n) => n.id === 'j1')?.data.current).toBe(true);
    expect(flow.nodes.find((n) => n.id === 'j2')?.data.current).toBe(false);
    expect(flow.edges.map((e) => [e.id, e.animated])).toEqual([
      ['j1->j2', true],
      ['j3->j2', false],
    ]);
  });

  it('drops edges whose ends are not on the map', () => {
    const flow = starmapToFlow({ nodes: graph.nodes, edges: [{ from: 'gone', to: 'j2' }] });
    expect(flow.edges).toEqual([]);
  });
});

describe('withDraftJob', () => {
  it('adds the unsaved job after its dependencies and marks it as the draft', () => {
    const draft = withDraftJob(graph, { id: 'draft', label: 'new-job', mode: 'mirror', dependsOn: ['j2'] });
    const flow = starmapToFlow(draft, { draftId: 'draft' });
    const placed = flow.nodes.find((n) => n.id === 'draft');
    expect(placed?.data).toMatchObject({ draft: true, label: 'new-job', mode: 'mirror' });
    expect(placed?.position.x).toBeGreaterThan(flow.nodes.find((n) => n.id === 'j2')?.position.x ?? 0);
    expect(flow.edges.map((e) => e.id)).toContain('j2->draft');
  });
});
