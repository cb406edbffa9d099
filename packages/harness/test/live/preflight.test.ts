import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PreflightError } from '../../src/live/errors';
import {
  type PreflightDeps,
  isDiyBackend,
  pulumiVersionFromPath,
  resolveBackendUrl,
  runPreflight,
} from '../../src/live/preflight';

const ok: PreflightDeps = {
  credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE' }),
  region: async () => 'eu-west-1',
  pulumiVersion: async () => 'v3.200.0\n',
  vars: { PULUMI_CONFIG_PASSPHRASE: '' },
};

describe('runPreflight', () => {
  it('passes with credentials, region, CLI and passphrase', async () => {
    await expect(runPreflight(ok, 'file:///repo')).resolves.toEqual({
      region: 'eu-west-1',
      pulumiVersion: 'v3.200.0',
      backendUrl: 'file:///repo',
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
      's3://bucket/state',
    ).catch((e: unknown) => e)) as PreflightError;
    expect(err).toBeInstanceOf(PreflightError);
    expect(err.problems).toHaveLength(4);
    expect(err.message).toMatch(/AWS credentials: none found .*Could not load credentials/);
    expect(err.message).toContain('AWS region: pass --region or set AWS_REGION');
    expect(err.message).toContain('Pulumi CLI: `pulumi version` failed (pulumi: command not found on PATH)');
    expect(err.message).toContain('backend s3://bucket/state is self-managed; set PULUMI_CONFIG_PASSPHRASE');
  });

  it('Pulumi Cloud needs no passphrase', async () => {
    await expect(runPreflight({ ...ok, vars: {} }, 'https://api.pulumi.com')).resolves.toBeDefined();
    expect(isDiyBackend('https://api.pulumi.com')).toBe(false);
    expect(isDiyBackend('file://~')).toBe(true);
  });
});

describe('backend', () => {
  it('PULUMI_BACKEND_URL wins over the file:// default; --backend wins over both', () => {
    expect(resolveBackendUrl({}, 'file:///repo')).toBe('file:///repo');
    expect(resolveBackendUrl({ PULUMI_BACKEND_URL: 's3://b' }, 'file:///repo')).toBe('s3://b');
    expect(
      resolveBackendUrl({ PULUMI_BACKEND_URL: 's3://b' }, 'file:///repo', 'https://api.pulumi.com'),
    ).toBe('https://api.pulumi.com');
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
