/**
 * `verify --env <e>` without a snapshot: run the env's real stack programs under the mock cloud
 * and take the snapshot of what they created.
 */
import * as mockCloud from '@hubspoke/mock-cloud';
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import { checkEnvironment } from './repo';

/** Shape of the mock-cloud runner (packages/mock-cloud): loadEnvironment + runStacks. */
interface MockCloudApi {
  loadEnvironment(repoRoot: string, env: string): unknown[];
  runStacks(specs: unknown[], options: { onProgress?: (event: unknown) => void }): Promise<{ snapshot: NetworkSnapshot }>;
}

export interface EnvProgress {
  index: number;
  total: number;
  name: string;
  seconds: number;
}

export async function snapshotFromMockCloud(root: string, env: string, onProgress: (p: EnvProgress) => void): Promise<NetworkSnapshot> {
  checkEnvironment(root, env);
  const api = mockCloud as unknown as Partial<MockCloudApi>;
  if (!api.loadEnvironment || !api.runStacks) throw new Error('@hubspoke/mock-cloud does not export loadEnvironment/runStacks yet');
  const specs = api.loadEnvironment(root, env);
  const started = new Map<string, number>();
  let done = 0;
  const { snapshot } = await api.runStacks(specs, {
    onProgress: (event) => {
      const p = normalizeProgress(event);
      if (!p) return;
      if (p.phase === 'start') {
        started.set(p.name, performance.now());
        return;
      }
      const t0 = started.get(p.name);
      done++;
      onProgress({ index: done, total: specs.length, name: p.name, seconds: p.seconds ?? (t0 !== undefined ? (performance.now() - t0) / 1000 : 0) });
    },
  });
  return snapshot;
}

/** Accepts the runner's progress event in the forms it may take ({ stack|project|name, phase, durationMs }). */
function normalizeProgress(event: unknown): { name: string; phase: 'start' | 'done'; seconds?: number } | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const e = event as Record<string, unknown>;
  const name = [e.project, e.stack, e.name].find((x) => typeof x === 'string') as string | undefined;
  if (!name) return undefined;
  const phaseText = String(e.phase ?? e.status ?? e.type ?? 'done');
  const phase = /start|begin|running/.test(phaseText) ? 'start' : 'done';
  const ms = typeof e.durationMs === 'number' ? e.durationMs : typeof e.elapsedMs === 'number' ? e.elapsedMs : undefined;
  return { name, phase, ...(ms !== undefined ? { seconds: ms / 1000 } : {}) };
}
