/**
 * The shell steps of the composite actions, run with bash: they turn missing configuration into
 * an error that names the fix, instead of a confusing failure later in the job.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAction } from './helpers/workflows';

function runStep(action: string, stepName: string, env: Record<string, string>) {
  const step = loadAction(action).runs.steps.find((s) => s.name === stepName);
  if (!step?.run) throw new Error(`${action}: no run step named ${stepName}`);
  const result = spawnSync('bash', ['--noprofile', '--norc', '-e', '-c', step.run], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

describe('aws action: input check', () => {
  it('names the missing role secret', () => {
    const r = runStep('aws', 'Check inputs', { ROLE: '', REGION: 'us-east-1' });
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      '::error::No IAM role to assume: set the AWS_ROLE_ARN secret of this GitHub environment',
    );
  });

  it('names the missing region', () => {
    const r = runStep('aws', 'Check inputs', { ROLE: 'arn:aws:iam::111122223333:role/x', REGION: '' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('::error::No AWS region');
  });

  it('passes with both', () => {
    expect(
      runStep('aws', 'Check inputs', { ROLE: 'arn:aws:iam::111122223333:role/x', REGION: 'us-east-1' }).code,
    ).toBe(0);
  });
});

describe('pulumi action: backend check', () => {
  // A directory holding a `pulumi` that is the executable fake.
  const bin = mkdtempSync(join(tmpdir(), 'bin-'));
  copyFileSync(join(__dirname, 'fixtures/fake-pulumi.js'), join(bin, 'pulumi'));
  const path = `${bin}:${process.env.PATH ?? ''}`;

  it('fails with the fix when no backend is configured', () => {
    const r = runStep('pulumi', 'Check the state backend', { PATH: path });
    expect(r.code).toBe(1);
    expect(r.out).toContain('PULUMI_BACKEND_URL');
    expect(r.out).toContain('PULUMI_ACCESS_TOKEN');
  });

  it.each<Record<string, string>>([
    { PULUMI_BACKEND_URL: 's3://state-bucket' },
    { PULUMI_ACCESS_TOKEN: 'pul-123' },
  ])('passes with %o', (env) => {
    const r = runStep('pulumi', 'Check the state backend', { PATH: path, ...env });
    expect(r).toEqual({ code: 0, out: 'v0.0.0-fake\n' });
  });
});
