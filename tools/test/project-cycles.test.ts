import type { ProjectGraph } from '../src/ci/graph';
import { describeCycles, findDependencyCycles } from '../src/ci/graph-cycles';
import { realGraph } from './helpers/graph';

/** A graph of libraries from `source -> [targets]`. */
function graphOf(edges: Record<string, string[]>): ProjectGraph {
  const names = new Set([...Object.keys(edges), ...Object.values(edges).flat()]);
  return {
    nodes: Object.fromEntries([...names].map((name) => [name, { name, data: { root: `packages/${name}` } }])),
    dependencies: Object.fromEntries(
      [...names].map((source) => [source, (edges[source] ?? []).map((target) => ({ source, target }))]),
    ),
  };
}

describe('findDependencyCycles', () => {
  it('finds none in a layered graph, diamonds included', () => {
    const graph = graphOf({
      app: ['harness', 'cloud'],
      harness: ['model', 'stacks'],
      cloud: ['stacks'],
      stacks: ['model'],
    });
    expect(findDependencyCycles(graph)).toEqual([]);
  });

  it('names a two-project cycle as a closed path', () => {
    const graph = graphOf({ model: ['stacks'], stacks: ['model'], cloud: ['stacks'] });
    expect(findDependencyCycles(graph)).toEqual([
      { projects: ['model', 'stacks'], path: ['model', 'stacks', 'model'] },
    ]);
    expect(describeCycles(findDependencyCycles(graph))).toBe(
      'model -> stacks -> model (projects in the cycle: model, stacks)',
    );
  });

  it('names a longer cycle through its real edges, and one cycle per tangle', () => {
    const graph = graphOf({
      cloud: ['model'],
      model: ['stacks'],
      stacks: ['cloud'],
      a: ['b'],
      b: ['a'],
      app: ['cloud', 'a'],
    });
    expect(findDependencyCycles(graph)).toEqual([
      { projects: ['a', 'b'], path: ['a', 'b', 'a'] },
      { projects: ['cloud', 'model', 'stacks'], path: ['cloud', 'model', 'stacks', 'cloud'] },
    ]);
  });

  it('lists every project of a tangle that holds several cycles', () => {
    const graph = graphOf({ model: ['stacks', 'cloud'], stacks: ['model'], cloud: ['model'] });
    expect(findDependencyCycles(graph)).toEqual([
      { projects: ['cloud', 'model', 'stacks'], path: ['cloud', 'model', 'cloud'] },
    ]);
  });

  it('counts a project depending on itself', () => {
    expect(findDependencyCycles(graphOf({ a: ['a'], b: ['a'] }))).toEqual([
      { projects: ['a'], path: ['a', 'a'] },
    ]);
  });

  it('ignores edges to projects outside the graph', () => {
    expect(findDependencyCycles(graphOf({ a: ['b'] }))).toEqual([]);
    const graph = graphOf({ a: [] });
    graph.dependencies.a.push({ source: 'a', target: 'npm:left-pad' });
    expect(findDependencyCycles(graph)).toEqual([]);
  });
});

describe("this repository's Nx project graph", () => {
  it('has no dependency cycle (static, dynamic and implicit edges, test files included)', async () => {
    const cycles = findDependencyCycles(await realGraph());
    // The message names each cycle; fix it by moving code to the package whose job it is.
    expect(describeCycles(cycles)).toBe('');
  });
});
