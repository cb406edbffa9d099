/**
 * Dependency cycles of the Nx project graph. A cycle between libraries means neither can be built,
 * tested or reasoned about without the other, and Nx's affected set grows to both whenever one
 * changes; the repository keeps its project graph acyclic (docs/development.md).
 */
import type { ProjectGraph } from './graph';

/** Projects that depend on each other, through one or more cycles. */
export interface DependencyCycle {
  /** Every project of the tangle (a strongly connected component), sorted. */
  projects: string[];
  /** One closed path through real edges, `a -> b -> ... -> a`, from the first project. */
  path: string[];
}

/**
 * The cycles of `graph`, one per strongly connected component of more than one project (or a
 * project depending on itself). Empty when the graph is acyclic.
 */
export function findDependencyCycles(graph: ProjectGraph): DependencyCycle[] {
  const targetsOf = (name: string): string[] =>
    [...new Set((graph.dependencies[name] ?? []).map((d) => d.target))]
      .filter((t) => t in graph.nodes)
      .sort();
  return stronglyConnectedComponents(Object.keys(graph.nodes).sort(), targetsOf)
    .filter((component) => component.length > 1 || targetsOf(component[0]).includes(component[0]))
    .map((projects) => ({ projects, path: closedPath(projects, targetsOf) }))
    .sort((a, b) => a.projects[0].localeCompare(b.projects[0]));
}

/** One line per cycle for an error message: `a -> b -> a (projects in the cycle: a, b)`. */
export function describeCycles(cycles: DependencyCycle[]): string {
  return cycles
    .map(({ projects, path }) => `${path.join(' -> ')} (projects in the cycle: ${projects.join(', ')})`)
    .join('\n');
}

/** Tarjan's algorithm (iterative depth-first search, so a deep graph cannot overflow the stack). */
function stronglyConnectedComponents(names: string[], targetsOf: (name: string) => string[]): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  for (const root of names) {
    if (index.has(root)) continue;
    const work: { name: string; next: number }[] = [{ name: root, next: 0 }];
    index.set(root, index.size);
    lowLink.set(root, index.get(root) as number);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const targets = targetsOf(frame.name);
      if (frame.next < targets.length) {
        const target = targets[frame.next++];
        if (!index.has(target)) {
          index.set(target, index.size);
          lowLink.set(target, index.get(target) as number);
          stack.push(target);
          onStack.add(target);
          work.push({ name: target, next: 0 });
        } else if (onStack.has(target)) {
          lowLink.set(frame.name, Math.min(lowLink.get(frame.name) as number, index.get(target) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent)
        lowLink.set(
          parent.name,
          Math.min(lowLink.get(parent.name) as number, lowLink.get(frame.name) as number),
        );
      if (lowLink.get(frame.name) === index.get(frame.name)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.name);
        components.push(component.sort());
      }
    }
  }
  return components;
}

/**
 * A shortest closed path through the component from its first project back to it (breadth-first
 * inside the component), so the message names real edges; a larger component may hold more cycles
 * than this one path shows, hence the member list beside it.
 */
function closedPath(component: string[], targetsOf: (name: string) => string[]): string[] {
  const start = component[0];
  const members = new Set(component);
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    for (const target of targetsOf(name).filter((t) => members.has(t))) {
      if (target === start) {
        const path = [name];
        while (path[0] !== start) path.unshift(previous.get(path[0]) as string);
        return [...path, start];
      }
      if (!previous.has(target)) {
        previous.set(target, name);
        queue.push(target);
      }
    }
  }
  return [start, start]; // unreachable for a strongly connected component
}
