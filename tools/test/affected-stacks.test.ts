import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { graphWarnings, main, planOutputs, planStacks, stackDepths } from '../src/ci/affected-stacks';
import { spawnRunner } from '../src/ci/exec';
import { formatOutputs } from '../src/ci/github-output';
import { parseProjectGraph, readAffectedProjects, type ProjectGraph } from '../src/ci/graph';
import {
  affectedFromFiles,
  fixtureGraph,
  graphWithSourceImports,
  realGraph,
  workspaceImports,
} from './helpers/graph';
import { repoRoot } from './helpers/workflows';

const node = (name: string, tags: string[] = []) => ({ name, data: { root: `apps/${name}`, tags } });

describe('planStacks (pure)', () => {
  it('layers every stack in dependency order: tgw, inspection, then the spokes together', () => {
    const graph = fixtureGraph();
    const all = Object.keys(graph.nodes);
    expect(planStacks(graph, all).layers).toEqual([['tgw'], ['inspection'], ['spoke-a', 'spoke-b']]);
    expect(planStacks(graph, all).order).toEqual(['tgw', 'inspection', 'spoke-a', 'spoke-b']);
    expect(planStacks(graph, all).roots).toEqual({
      tgw: 'apps/tgw',
      inspection: 'apps/inspection',
      'spoke-a': 'apps/spokes/spoke-a',
      'spoke-b': 'apps/spokes/spoke-b',
    });
  });

  it('keeps only stack projects, and orders a partial set by the full graph', () => {
    const graph = fixtureGraph();
    expect(planStacks(graph, ['network', 'harness', 'tools']).layers).toEqual([]);
    expect(planStacks(graph, ['spoke-b', 'tgw', 'netmodel']).layers).toEqual([['tgw'], ['spoke-b']]);
  });

  it('follows dependencies through libraries', () => {
    const graph: ProjectGraph = {
      nodes: { hub: node('hub', ['stack']), edge: node('edge', ['stack']), refs: node('refs') },
      dependencies: {
        edge: [{ source: 'edge', target: 'refs' }],
        refs: [{ source: 'refs', target: 'hub' }],
        hub: [],
      },
    };
    expect(planStacks(graph, ['edge', 'hub']).layers).toEqual([['hub'], ['edge']]);
  });

  it('names a dependency cycle', () => {
    const graph: ProjectGraph = {
      nodes: { a: node('a', ['stack']), b: node('b', ['stack']) },
      dependencies: { a: [{ source: 'a', target: 'b' }], b: [{ source: 'b', target: 'a' }] },
    };
    expect(() => stackDepths(graph)).toThrow(/cycle: (a -> b -> a|b -> a -> b)/);
  });

  it('rejects affected names missing from the graph', () => {
    expect(() => planStacks(fixtureGraph(), ['spoke-z'])).toThrow(
      'affected projects not in the project graph: spoke-z',
    );
  });

  it('computes affected stacks from changed files on the fixture graph', () => {
    const graph = fixtureGraph();
    expect(planStacks(graph, affectedFromFiles(graph, ['apps/spokes/spoke-a/index.ts'])).layers).toEqual([
      ['spoke-a'],
    ]);
    expect(planStacks(graph, affectedFromFiles(graph, ['apps/inspection/index.ts'])).layers).toEqual([
      ['inspection'],
      ['spoke-a', 'spoke-b'],
    ]);
    expect(planStacks(graph, affectedFromFiles(graph, ['packages/network/src/index.ts'])).order).toEqual([
      'tgw',
      'inspection',
      'spoke-a',
      'spoke-b',
    ]);
    expect(planStacks(graph, affectedFromFiles(graph, ['packages/harness/src/index.ts'])).order).toEqual([]);
    expect(planStacks(graph, affectedFromFiles(graph, ['README.md'])).order).toEqual([]);
  });
});

describe('graphWarnings', () => {
  it('warns when no stack has an import edge (Nx source analysis off)', () => {
    const graph = fixtureGraph();
    expect(graphWarnings(graph)).toEqual([]);
    const withoutImports: ProjectGraph = {
      ...graph,
      dependencies: Object.fromEntries(
        Object.entries(graph.dependencies).map(([k, deps]) => [k, deps.filter((d) => d.type === 'implicit')]),
      ),
    };
    expect(graphWarnings(withoutImports)).toEqual([
      expect.stringMatching(/no import dependencies for any stack/),
    ]);
  });
});

describe('planOutputs', () => {
  it('emits the matrix of every layer job, [] for unused ones', () => {
    const outputs = planOutputs(planStacks(fixtureGraph(), ['spoke-a']), 3);
    expect(outputs).toEqual({
      layers: '[["spoke-a"]]',
      order: '["spoke-a"]',
      any: 'true',
      shards: '[{"label":"spoke-a","stacks":"spoke-a"}]',
      layer_0: '["spoke-a"]',
      layer_1: '[]',
      layer_2: '[]',
      shards_0: '[{"label":"spoke-a","stacks":"spoke-a"}]',
      shards_1: '[]',
      shards_2: '[]',
    });
    expect(planOutputs({ layers: [], order: [], roots: {} }, 3).any).toBe('false');
  });

  it('shards a layer of 1,000 spokes into at most --max-jobs matrix entries', () => {
    const spokes = Array.from({ length: 1000 }, (_, i) => `spoke-${String(i).padStart(4, '0')}`);
    const plan = {
      layers: [['tgw'], ['inspection'], spokes],
      order: ['tgw', 'inspection', ...spokes],
      roots: {},
    };
    const outputs = planOutputs(plan, 3, 20);
    const shards = JSON.parse(outputs.shards_2) as { label: string; stacks: string }[];
    expect(shards).toHaveLength(20);
    expect(shards.flatMap((s) => s.stacks.split(','))).toEqual(spokes);
    expect(shards[0].label).toBe('spoke-0000 … spoke-0049 (50 stacks)');
    expect(JSON.parse(outputs.shards_0)).toEqual([{ label: 'tgw', stacks: 'tgw' }]);
    // The names-only output stays whole: jobs test it for emptiness.
    expect(JSON.parse(outputs.layer_2)).toHaveLength(1000);
  });

  it('fails loudly when the graph is deeper than the workflow', () => {
    const plan = { layers: [['a'], ['b'], ['c'], ['d']], order: ['a', 'b', 'c', 'd'], roots: {} };
    expect(() => planOutputs(plan, 3)).toThrow(
      /4 sequential layers .* 3 layer jobs: add a layer job to .github\/workflows\/deploy.yml/,
    );
  });

  it('formats GITHUB_OUTPUT entries in heredoc form', () => {
    expect(formatOutputs({ layers: '[["tgw"]]', any: 'true' }, 'DELIM')).toBe(
      'layers<<DELIM\n[["tgw"]]\nDELIM\nany<<DELIM\ntrue\nDELIM\n',
    );
    expect(() => formatOutputs({ x: 'a DELIM b' }, 'DELIM')).toThrow(/delimiter/);
  });
});

describe('against the real Nx workspace', () => {
  jest.setTimeout(60_000);

  const spokes = (g: ProjectGraph) =>
    Object.values(g.nodes)
      .filter((n) => n.data.tags?.includes('spoke'))
      .map((n) => n.name)
      .sort();

  it('every stack program imports @hubspoke/network, and Nx reports no import the sources and suites lack', async () => {
    const real = await realGraph();
    const imports = workspaceImports(real);
    const stacks = Object.keys(real.nodes).filter((n) => real.nodes[n].data.tags?.includes('stack'));
    expect(stacks.length).toBeGreaterThanOrEqual(4);
    for (const stack of stacks)
      expect({ stack, imports: imports[stack] }).toEqual({ stack, imports: ['network'] });
    for (const stack of stacks) {
      const reported = (real.dependencies[stack] ?? [])
        .filter((d) => d.type !== 'implicit')
        .map((d) => d.target);
      // Besides its program's imports, a stack's index.test.ts runs the behaviour suites of
      // @hubspoke/stack-testing (workspaceImports reads program sources, not tests).
      expect([...imports[stack], 'stack-testing']).toEqual(expect.arrayContaining(reported));
    }
  });

  it('the real graph orders the stacks tgw -> inspection -> every spoke', async () => {
    const real = await realGraph();
    expect(spokes(real)).toEqual(expect.arrayContaining(['spoke-a', 'spoke-b']));
    expect(planStacks(real, Object.keys(real.nodes)).layers).toEqual([['tgw'], ['inspection'], spokes(real)]);
  });

  it('with source imports, a change to packages/network affects every stack', async () => {
    const graph = await graphWithSourceImports();
    const plan = planStacks(graph, affectedFromFiles(graph, ['packages/network/src/index.ts']));
    expect(plan.order).toEqual(['tgw', 'inspection', ...spokes(graph)]);
  });

  it('nx affected for a file of one spoke is that spoke only', async () => {
    const affected = await readAffectedProjects(
      spawnRunner,
      { files: ['apps/spokes/spoke-b/jest.config.js'] },
      repoRoot,
    );
    expect(planStacks(await realGraph(), affected).layers).toEqual([['spoke-b']]);
  });

  it('main writes the plan and the step outputs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'affected-'));
    const outputFile = join(dir, 'github-output');
    const cwd = process.cwd();
    process.chdir(repoRoot);
    const quiet = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await main(
        ['node', 'affected-stacks', '--files', 'apps/tgw/jest.config.js', '--out', join(dir, 'plan.json')],
        {
          GITHUB_OUTPUT: outputFile,
        },
      );
    } finally {
      quiet.mockRestore();
      process.chdir(cwd);
    }
    const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8'));
    expect(plan.layers).toEqual([['tgw'], ['inspection'], ['spoke-a', 'spoke-b']]);
    const written = readFileSync(outputFile, 'utf8');
    expect(written).toMatch(/^layer_2<<(\S+)\n\["spoke-a","spoke-b"\]\n\1$/m);
    expect(written).toMatch(/^any<<(\S+)\ntrue\n\1$/m);
  });

  it('main --all plans every stack (first deploy of an account)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'affected-'));
    const cwd = process.cwd();
    process.chdir(repoRoot);
    const quiet = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await main(['node', 'affected-stacks', '--all', '--out', join(dir, 'plan.json')], {
        GITHUB_OUTPUT: join(dir, 'out'),
      });
    } finally {
      quiet.mockRestore();
      process.chdir(cwd);
    }
    expect(JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')).order).toEqual([
      'tgw',
      'inspection',
      'spoke-a',
      'spoke-b',
    ]);
    await expect(main(['node', 'affected-stacks'], {})).rejects.toThrow(/--base\/--head .* or --files/);
    await expect(main(['node', 'affected-stacks', '--all', '--max-layers', 'x'], {})).rejects.toThrow(
      '--max-layers must be a positive integer, got "x"',
    );
    await expect(main(['node', 'affected-stacks', '--all', '--max-jobs', '257'], {})).rejects.toThrow(
      '--max-jobs must be an integer from 1 to 256',
    );
  });

  it('parseProjectGraph rejects something that is not a graph', () => {
    expect(() => parseProjectGraph({ nodes: {} })).toThrow(/nodes.*dependencies/);
    expect(() => parseProjectGraph({ graph: { nodes: { a: { data: {} } }, dependencies: {} } })).toThrow(
      'node a has no data.root',
    );
  });
});
