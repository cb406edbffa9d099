import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Backend, describeBackend, isDiyBackend, resolveBackend } from '../../src/live/backend';
import { PreflightError } from '../../src/live/errors';
import { type PreflightDeps, pulumiVersionFromPath, runPreflight } from '../../src/live/preflight';

const file = (url: string): Backend => ({ url, source: 'default' });

const ok: PreflightDeps = {
  credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE' }),
  region: async () => 'eu-west-1',
  pulumiVersion: async () => 'v3.200.0\n',
  vars: { PULUMI_CONFIG_PASSPHRASE: '' },
};

describe('runPreflight', () => {
  it('passes with credentials, region, CLI and passphrase', async () => {
    await expect(runPreflight(ok, file('file:///repo'))).resolves.toEqual({
      region: 'eu-west-1',
      pulumiVersion: 'v3.200.0',
      backendUrl: 'file:///repo',
      backend: file('file:///repo'),
    });
  });

  it('names every missing prerequisite at once', async () => {
    const err = (await runPreflight(
      {
        credentials: async () => {
          throw Object.assign(new Error('Could not load credentials from any providers'), {
            name: 'CredentialsProviderError',
          });
        },
        region: async () => {
          throw new Error('Region is missing');
        },
        pulumiVersion: async () => {
          throw new Error('pulumi: command not found on PATH');
        },
        vars: {},
      },
      { url: 's3://bucket/state', source: 'PULUMI_BACKEND_URL' },
    ).catch((e: unknown) => e)) as PreflightError;
    expect(err).toBeInstanceOf(PreflightError);
    expect(err.problems).toHaveLength(4);
    expect(err.message).toMatch(/AWS credentials: none found .*Could not load credentials/);
    expect(err.message).toContain('AWS region: pass --region or set AWS_REGION');
    expect(err.message).toContain('Pulumi CLI: `pulumi version` failed (pulumi: command not found on PATH)');
    expect(err.message).toContain('backend s3://bucket/state is self-managed; set PULUMI_CONFIG_PASSPHRASE');
  });

  it('Pulumi Cloud needs no passphrase', async () => {
    await expect(
      runPreflight({ ...ok, vars: {} }, { url: 'https://api.pulumi.com', source: 'PULUMI_ACCESS_TOKEN' }),
    ).resolves.toBeDefined();
    expect(isDiyBackend('https://api.pulumi.com')).toBe(false);
    expect(isDiyBackend('file://~')).toBe(true);
  });
});

describe('backend', () => {
  const LOCAL = 'file:///repo';

  it('--backend wins, then PULUMI_BACKEND_URL, then Pulumi Cloud when a token is set, then the local default', () => {
    expect(resolveBackend({}, LOCAL)).toEqual({ url: LOCAL, source: 'default' });
    expect(resolveBackend({ PULUMI_BACKEND_URL: 's3://b' }, LOCAL)).toEqual({
      url: 's3://b',
      source: 'PULUMI_BACKEND_URL',
    });
    expect(resolveBackend({ PULUMI_ACCESS_TOKEN: 'pul-x' }, LOCAL)).toEqual({
      url: 'https://api.pulumi.com',
      source: 'PULUMI_ACCESS_TOKEN',
    });
    expect(
      resolveBackend(
        { PULUMI_BACKEND_URL: 's3://b', PULUMI_ACCESS_TOKEN: 'pul-x' },
        LOCAL,
        'https://pulumi.example',
      ),
    ).toEqual({ url: 'https://pulumi.example', source: 'option' });
  });

  it('an unset secret arrives empty: with a token and an empty backend URL, the state goes to Pulumi Cloud, not the checkout', () => {
    const b = resolveBackend({ PULUMI_BACKEND_URL: '', PULUMI_ACCESS_TOKEN: 'pul-x', CI: 'true' }, LOCAL);
    expect(b).toEqual({ url: 'https://api.pulumi.com', source: 'PULUMI_ACCESS_TOKEN' });
    expect(describeBackend(b)).toBe(
      'https://api.pulumi.com (Pulumi Cloud: PULUMI_ACCESS_TOKEN is set and no backend URL)',
    );
    expect(resolveBackend({ PULUMI_BACKEND_URL: '  ', PULUMI_ACCESS_TOKEN: '' }, LOCAL).source).toBe(
      'default',
    );
  });

  it('in CI a file:// backend is refused unless asked for with --backend; nothing is created', async () => {
    const refused = resolveBackend({ CI: 'true', PULUMI_BACKEND_URL: '', PULUMI_ACCESS_TOKEN: '' }, LOCAL);
    expect(refused.problem).toMatch(/file:\/\/\/repo .* keeps the state on this CI runner/);
    const err = (await runPreflight(ok, refused).catch((e: unknown) => e)) as PreflightError;
    expect(err).toBeInstanceOf(PreflightError);
    expect(err.problems).toEqual([refused.problem]);
    expect(resolveBackend({ CI: 'true', PULUMI_BACKEND_URL: 'file:///tmp/s' }, LOCAL).problem).toBeDefined();
    expect(resolveBackend({ CI: 'true' }, LOCAL, 'file:///tmp/s').problem).toBeUndefined();
    expect(resolveBackend({}, LOCAL).problem).toBeUndefined();
  });

  it('in CI Pulumi Cloud without a token is refused (the CLI could not log in)', () => {
    expect(
      resolveBackend({ CI: 'true', PULUMI_BACKEND_URL: 'https://api.pulumi.com' }, LOCAL).problem,
    ).toMatch(/needs PULUMI_ACCESS_TOKEN/);
  });
});

describe('pulumiVersionFromPath', () => {
  it('says the CLI is not on PATH when it is not', async () => {
    await expect(
      pulumiVersionFromPath({ PATH: mkdtempSync(join(tmpdir(), 'empty-path-')) })(),
    ).rejects.toThrow('pulumi: command not found on PATH');
  });

  it('returns the version printed by the CLI on PATH', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-pulumi-'));
    writeFileSync(join(dir, 'pulumi'), '#!/bin/sh\necho v3.999.0\n');
    chmodSync(join(dir, 'pulumi'), 0o755);
    await expect(pulumiVersionFromPath({ PATH: dir })()).resolves.toBe('v3.999.0\n');
  });
});
