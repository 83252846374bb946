import { describe, expect, it } from 'vitest';
import { countCrossings, LAYER_GAP, layoutStarmap, ROW_GAP } from './starmap-layout.ts';

const node = (id: string) => ({ id, label: id });

describe('layoutStarmap', () => {
  it('places each job one layer right of its deepest dependency', () => {
    const layout = layoutStarmap({
      nodes: ['a', 'b', 'c', 'd'].map(node),
      edges: [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
        { from: 'a', to: 'c' },
        { from: 'a', to: 'd' },
      ],
    });
    expect(layout.layers).toEqual([['a'], ['b', 'd'], ['c']]);
    expect(layout.nodes.get('c')).toMatchObject({ layer: 2, x: 2 * LAYER_GAP });
    expect(layout.cyclic).toEqual([]);
  });

  it('keeps independent jobs in the first layer in their given order', () => {
    const layout = layoutStarmap({ nodes: ['x', 'y', 'z'].map(node), edges: [] });
    expect(layout.layers).toEqual([['x', 'y', 'z']]);
    expect(layout.nodes.get('z')).toMatchObject({ x: 0, y: 2 * ROW_GAP });
  });

  it('reorders a layer to remove crossings', () => {
    // a→y and b→x cross when the second layer keeps its given order [x, y].
    const graph = {
      nodes: ['a', 'b', 'x', 'y'].map(node),
      edges: [
        { from: 'a', to: 'y' },
        { from: 'b', to: 'x' },
      ],
    };
    expect(
      countCrossings(
        [
          ['a', 'b'],
          ['x', 'y'],
        ],
        graph.edges,
      ),
    ).toBe(1);
    const layout = layoutStarmap(graph);
    expect(countCrossings(layout.layers, graph.edges)).toBe(0);
    expect(layout.layers[1]).toEqual(['y', 'x']);
  });

  it('never makes crossings worse than the input order on a wider graph', () => {
    const ids = ['r1', 'r2', 'r3', 'm1', 'm2', 'm3', 'l1', 'l2'];
    const edges = [
      { from: 'r1', to: 'm3' },
      { from: 'r2', to: 'm1' },
      { from: 'r3', to: 'm2' },
      { from: 'r1', to: 'm2' },
      { from: 'm1', to: 'l2' },
      { from: 'm3', to: 'l1' },
    ];
    const given = [
      ['r1', 'r2', 'r3'],
      ['m1', 'm2', 'm3'],
      ['l1', 'l2'],
    ];
    const layout = layoutStarmap({ nodes: ids.map(node), edges });
    expect(countCrossings(layout.layers, edges)).toBeLessThan(countCrossings(given, edges));
  });

  it('terminates on a cycle and reports the jobs on it', () => {
    const layout = layoutStarmap({
      nodes: ['a', 'b', 'c'].map(node),
      edges: [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
        { from: 'c', to: 'b' },
      ],
    });
    expect(layout.cyclic).toEqual(['b', 'c']);
    expect(layout.layers).toEqual([['a'], ['b', 'c']]);
  });

  it('ignores edges to unknown jobs, self-loops and duplicates', () => {
    const layout = layoutStarmap({
      nodes: ['a', 'b'].map(node),
      edges: [
        { from: 'a', to: 'b' },
        { from: 'a', to: 'b' },
        { from: 'a', to: 'a' },
        { from: 'ghost', to: 'b' },
      ],
    });
    expect(layout.layers).toEqual([['a'], ['b']]);
  });

  it('centres short layers against the tallest one', () => {
    const layout = layoutStarmap({
      nodes: ['a', 'b', 'c'].map(node),
      edges: [
        { from: 'a', to: 'c' },
        { from: 'b', to: 'c' },
      ],
    });
    expect(layout.nodes.get('c')?.y).toBe(ROW_GAP / 2);
  });
});
