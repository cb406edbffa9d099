/** Project graphs for tests: the real one (via Nx), the same plus source imports, a fixture. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnRunner } from '../../src/ci/exec';
import { parseProjectGraph, readProjectGraph, type ProjectGraph } from '../../src/ci/graph';
import { repoRoot } from './workflows';

export const fixtureGraph = (): ProjectGraph =>
  parseProjectGraph(JSON.parse(readFileSync(join(__dirname, '../fixtures/project-graph.json'), 'utf8')));

let real: Promise<ProjectGraph> | undefined;
/** `nx graph` of this repository, computed once per test file (it spawns Nx). */
export const realGraph = (): Promise<ProjectGraph> => (real ??= readProjectGraph(spawnRunner, repoRoot));

const SKIP_DIRS = new Set(['node_modules', 'dist', '.nx', 'reports', 'coverage']);

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIP_DIRS.has(entry.name) ? [] : sourceFiles(path);
    return /\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** `@hubspoke/*` packages each project's (non-test) sources import. */
export function workspaceImports(graph: ProjectGraph): Record<string, string[]> {
  const byPackage = new Map<string, string>();
  for (const node of Object.values(graph.nodes)) {
    const pkg = join(repoRoot, node.data.root, 'package.json');
    if (existsSync(pkg))
      byPackage.set((JSON.parse(readFileSync(pkg, 'utf8')) as { name: string }).name, node.name);
  }
  const imports: Record<string, string[]> = {};
  for (const node of Object.values(graph.nodes)) {
    // Projects nested in another's root (apps/spokes/* in apps/) are scanned as themselves only.
    const nested = Object.values(graph.nodes)
      .filter((n) => n !== node && n.data.root.startsWith(`${node.data.root}/`))
      .map((n) => join(repoRoot, n.data.root));
    const targets = new Set<string>();
    for (const file of sourceFiles(join(repoRoot, node.data.root))) {
      if (nested.some((root) => file.startsWith(`${root}/`))) continue;
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|require\()\s*'(@hubspoke\/[\w-]+)'/g)) {
        const target = byPackage.get(m[1]);
        if (target && target !== node.name) targets.add(target);
      }
    }
    imports[node.name] = [...targets].sort();
  }
  return imports;
}

/**
 * The real graph plus the import edges found in the sources: what Nx reports once its TypeScript
 * source analysis is on (docs/gitops.md, "Affected stacks"). Projects, roots, tags and implicit
 * dependencies are the real ones, so added or renamed stacks are picked up.
 */
export async function graphWithSourceImports(): Promise<ProjectGraph> {
  const graph = await realGraph();
  const imports = workspaceImports(graph);
  const dependencies = Object.fromEntries(
    Object.keys(graph.nodes).map((name) => {
      const existing = graph.dependencies[name] ?? [];
      const added = imports[name]
        .filter((target) => !existing.some((d) => d.target === target))
        .map((target) => ({ source: name, target, type: 'static' }));
      return [name, [...existing, ...added]];
    }),
  );
  return { nodes: graph.nodes, dependencies };
}

/**
 * What `nx show projects --affected --files` answers, for a fixture graph: the projects owning the
 * files (longest root prefix) plus everything that depends on them, transitively.
 */
export function affectedFromFiles(graph: ProjectGraph, files: string[]): string[] {
  const owners = new Set<string>();
  for (const file of files) {
    const owner = Object.values(graph.nodes)
      .filter((n) => file.startsWith(`${n.data.root}/`))
      .sort((a, b) => b.data.root.length - a.data.root.length)[0];
    if (owner) owners.add(owner.name);
  }
  const dependents = new Map<string, string[]>();
  for (const deps of Object.values(graph.dependencies)) {
    for (const d of deps) dependents.set(d.target, [...(dependents.get(d.target) ?? []), d.source]);
  }
  const affected = new Set(owners);
  const queue = [...owners];
  while (queue.length > 0) {
    for (const parent of dependents.get(queue.shift() as string) ?? []) {
      if (!affected.has(parent)) {
        affected.add(parent);
        queue.push(parent);
      }
    }
  }
  return [...affected].sort();
}
