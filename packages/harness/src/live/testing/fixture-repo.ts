/**
 * A throwaway repo layout (apps/tgw, apps/inspection, apps/spokes/*) with Pulumi.yaml and a
 * template Pulumi.dev.yaml per project, for tests of project discovery and the e2e run.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FixtureRepoOptions {
  spokes?: string[];
  /** Extra Pulumi.dev.yaml text per project (appended under `config:`). */
  extraConfig?: Record<string, string>;
}

export function makeFixtureRepo(options: FixtureRepoOptions = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'hubspoke-repo-'));
  const project = (dir: string, name: string): void => {
    const workDir = join(root, dir);
    mkdirSync(workDir, { recursive: true });
    writeFileSync(join(workDir, 'Pulumi.yaml'), `name: ${name}\nruntime: nodejs\nmain: index.ts\n`);
    writeFileSync(
      join(workDir, 'Pulumi.dev.yaml'),
      `config:\n  aws:region: us-east-1\n  ${name}:note: template\n${options.extraConfig?.[name] ?? ''}`,
    );
  };
  project('apps/tgw', 'tgw');
  project('apps/inspection', 'inspection');
  for (const s of options.spokes ?? ['spoke-a', 'spoke-b']) project(`apps/spokes/${s}`, s);
  // The policy pack e2e passes to every preview and up (`--policy-pack`).
  mkdirSync(join(root, 'packages/policy'), { recursive: true });
  writeFileSync(join(root, 'packages/policy/PulumiPolicy.yaml'), 'runtime: nodejs\n');
  return root;
}
