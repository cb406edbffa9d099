import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveEnvName } from '../../src/live/env-name';
import {
  deployPhases,
  discoverProjects,
  ephemeralConfig,
  findRepoRoot,
  readTemplateConfig,
  rfc3339,
} from '../../src/live/projects';
import { makeFixtureRepo } from '../../src/live/testing/fixture-repo';

describe('projects', () => {
  it('discovers tgw, inspection and every spoke, in deploy phases', () => {
    const repo = makeFixtureRepo({ spokes: ['spoke-b', 'spoke-a', 'spoke-c'] });
    const layout = discoverProjects(repo);
    expect(deployPhases(layout).map((phase) => phase.map((p) => p.project))).toEqual([
      ['tgw'],
      ['inspection'],
      ['spoke-a', 'spoke-b', 'spoke-c'],
    ]);
    expect(layout.spokes[0]!.workDir).toBe(join(repo, 'apps/spokes/spoke-a'));
    expect(findRepoRoot(join(repo, 'apps/spokes/spoke-a'))).toBe(repo);
  });

  it('rejects a project whose Pulumi.yaml names another project', () => {
    const repo = makeFixtureRepo();
    writeFileSync(join(repo, 'apps/tgw/Pulumi.yaml'), 'name: hub\nruntime: nodejs\n');
    expect(() => discoverProjects(repo)).toThrow(
      'apps/tgw/Pulumi.yaml: project name is "hub", expected "tgw"',
    );
  });

  it('copies structured template config and adds the ephemeral settings', () => {
    const repo = makeFixtureRepo({
      extraConfig: { 'spoke-a': '  spoke-a:subnets:\n    - cidr: 10.1.0.0/24\n      az: us-east-1a\n' },
    });
    const spoke = discoverProjects(repo).spokes[0]!;
    const template = readTemplateConfig(spoke, 'dev');
    expect(template['spoke-a:subnets']).toEqual([{ cidr: '10.1.0.0/24', az: 'us-east-1a' }]);
    expect(
      ephemeralConfig(spoke, template, { expiresAt: '2026-11-26T10:00:00Z', region: 'eu-west-1' }),
    ).toEqual({
      'aws:region': 'eu-west-1',
      'spoke-a:note': 'template',
      'spoke-a:subnets': [{ cidr: '10.1.0.0/24', az: 'us-east-1a' }],
      'hubspoke:ephemeral': 'true',
      'hubspoke:expiresAt': '2026-11-26T10:00:00Z',
      'spoke-a:probe': 'true',
    });
    expect(() => readTemplateConfig(spoke, 'staging')).toThrow(/Pulumi\.staging\.yaml not found/);
  });

  it('rfc3339 is UTC with second precision', () => {
    expect(rfc3339(Date.UTC(2026, 10, 26, 9, 5, 7, 123))).toBe('2026-11-26T09:05:07Z');
  });
});

describe('resolveEnvName', () => {
  it('uses --env when it is ephemeral, refuses anything else', () => {
    expect(resolveEnvName({ env: 'it-pr-42', vars: {} })).toBe('it-pr-42');
    expect(() => resolveEnvName({ env: 'dev', vars: {} })).toThrow(/never dev or prod/);
    expect(() => resolveEnvName({ env: 'it-UPPER', vars: {} })).toThrow(/not an ephemeral/);
  });

  it('names CI runs after the run id and attempt', () => {
    expect(resolveEnvName({ vars: { GITHUB_RUN_ID: '9876543210', GITHUB_RUN_ATTEMPT: '2' } })).toBe(
      'it-9876543210-2',
    );
    expect(resolveEnvName({ vars: { GITHUB_RUN_ID: '9876543210' } })).toBe('it-9876543210-1');
  });

  it('generates a time-ordered id otherwise', () => {
    expect(resolveEnvName({ vars: {}, now: Date.UTC(2026, 10, 26), random: () => 'a1b2c3' })).toMatch(
      /^it-[a-z0-9]+-a1b2c3$/,
    );
  });
});
