/**
 * `nx run <stack>:preview` and `:up` (deploying by hand) give pulumi the policy pack, so a
 * mandatory violation blocks a real deploy. Real Nx runs the targets of every stack project with a
 * fake `pulumi` on PATH that records its working directory and arguments; the pack path must
 * resolve, from each project directory, to packages/policy. The workflows pass it to deploy-stacks
 * (deploy.yml) and preview-stacks (pr-preview.yml), which hand it to every `pulumi preview` / `up`.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import YAML from 'yaml';

const ROOT = resolve(__dirname, '../..');
const PACK = join(ROOT, 'packages/policy');

function stackProjectDirs(): string[] {
  const spokes = readdirSync(join(ROOT, 'apps/spokes')).map((d) => join(ROOT, 'apps/spokes', d));
  return [join(ROOT, 'apps/tgw'), join(ROOT, 'apps/inspection'), ...spokes].filter((d) =>
    existsSync(join(d, 'Pulumi.yaml')),
  );
}

describe('Nx preview and up targets', () => {
  it('run pulumi with --policy-pack resolving to packages/policy from every stack project', () => {
    const bin = mkdtempSync(join(tmpdir(), 'fake-pulumi-'));
    const log = join(bin, 'calls.jsonl');
    writeFileSync(
      join(bin, 'record.js'),
      "require('fs').appendFileSync(process.env.FAKE_PULUMI_CALLS, JSON.stringify({ cwd: process.cwd(), args: process.argv.slice(2) }) + '\\n');\n",
    );
    writeFileSync(
      join(bin, 'pulumi'),
      `#!/bin/sh\nexec "${process.execPath}" "${join(bin, 'record.js')}" "$@"\n`,
    );
    chmodSync(join(bin, 'pulumi'), 0o755);

    const nx = spawnSync(
      process.execPath,
      [
        require.resolve('nx/bin/nx.js'),
        'run-many',
        '-t',
        'preview',
        'up',
        '--projects',
        'tag:stack',
        '--outputStyle=static',
        '--skip-nx-cache',
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: {
          ...process.env,
          PATH: `${bin}:${process.env.PATH}`,
          NX_DAEMON: 'false',
          NX_TUI: 'false',
          HUBSPOKE_ENV: 'policy-test',
          FAKE_PULUMI_CALLS: log,
        },
      },
    );
    expect(`${nx.status}\n${nx.stderr}`).toMatch(/^0\n/);

    const calls = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { cwd: string; args: string[] });
    for (const dir of stackProjectDirs()) {
      for (const command of ['preview', 'up']) {
        const call = calls.find((c) => c.cwd === dir && c.args[0] === command);
        expect(call).toBeDefined();
        const i = call!.args.indexOf('--policy-pack');
        expect(i).toBeGreaterThan(0);
        expect(resolve(dir, call!.args[i + 1]!)).toBe(PACK);
      }
    }
    expect(existsSync(join(PACK, 'PulumiPolicy.yaml'))).toBe(true);
  }, 180_000);

  it('the workflows preview and deploy with the pack: deploy-stacks and preview-stacks get it', () => {
    const workflow = (name: string) =>
      YAML.parse(readFileSync(join(ROOT, '.github/workflows', name), 'utf8')) as {
        jobs: Record<string, { steps?: { run?: string }[] }>;
      };
    const runs = (name: string) =>
      Object.values(workflow(name).jobs).flatMap((j) => (j.steps ?? []).map((s) => s.run ?? ''));
    // No pulumi preview / up outside the scripts, which pass the pack to the CLI (tested with them).
    for (const name of ['deploy.yml', 'pr-preview.yml'])
      expect(runs(name).filter((r) => /\bpulumi (up|preview)\b/.test(r))).toEqual([]);
    const deploys = runs('deploy.yml').filter((r) => r.includes('tools/src/ci/deploy-stacks.ts'));
    expect(deploys.length).toBeGreaterThan(0);
    for (const r of deploys) expect(r).toContain('--policy-pack packages/policy');
    expect(runs('pr-preview.yml').find((r) => r.includes('tools/src/ci/preview-stacks.ts'))).toContain(
      '--policy-pack packages/policy',
    );
  });
});
