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

  // The step's env maps the action's inputs (the environment's secrets) to these names.
  it('fails with the fix, naming the secrets, when no backend is configured', () => {
    const r = runStep('pulumi', 'Check the state backend', { PATH: path, BACKEND_URL: '', ACCESS_TOKEN: '' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('Set the secret PULUMI_BACKEND_URL');
    expect(r.out).toContain('or the secret PULUMI_ACCESS_TOKEN');
    expect(r.out).not.toMatch(/variable/);
  });

  it('takes the backend from the inputs, not from whatever the job env holds', () => {
    expect(loadAction('pulumi').runs.steps.find((s) => s.name === 'Check the state backend')?.env).toEqual({
      BACKEND_URL: '${{ inputs.backend-url }}',
      ACCESS_TOKEN: '${{ inputs.access-token }}',
    });
  });

  it.each<Record<string, string>>([{ BACKEND_URL: 's3://state-bucket' }, { ACCESS_TOKEN: 'pul-123' }])(
    'passes with %o',
    (env) => {
      const r = runStep('pulumi', 'Check the state backend', { PATH: path, ...env });
      expect(r).toEqual({ code: 0, out: 'v0.0.0-fake\n' });
    },
  );
});
