/** The project graph for tests: the real one (via Nx) and the committed fixture of it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnRunner } from '../../src/ci/exec';
import { parseProjectGraph, readProjectGraph, type ProjectGraph } from '../../src/ci/graph';
import { repoRoot } from './workflows';

export const fixtureGraph = (): ProjectGraph =>
  parseProjectGraph(JSON.parse(readFileSync(join(__dirname, '../fixtures/project-graph.json'), 'utf8')));

let real: Promise<ProjectGraph> | undefined;
/** `nx graph` of this repository, computed once per test file (it spawns Nx). */
export const realGraph = (): Promise<ProjectGraph> => (real ??= readProjectGraph(spawnRunner, repoRoot));

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
