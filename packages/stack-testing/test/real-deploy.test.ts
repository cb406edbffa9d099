/**
 * What a first real deploy would trip over although the mock cloud accepts it: resource options
 * AWS depends on (start-up order, names, values CloudWatch accepts) and config that must reach
 * the tags. Each test reads what the programs asked Pulumi for.
 */
import * as path from 'path';
import { REPO_ROOT, runEnvironment, tagValue, type RecordedResource } from '../src/run-environment';

const TGW = path.join(REPO_ROOT, 'apps/tgw/index.ts');

function one(recorded: RecordedResource[], type: string, name?: string): RecordedResource {
  const found = recorded.filter((r) => r.type === type && (name === undefined || r.name === name));
  if (found.length !== 1) throw new Error(`expected one ${type} ${name ?? ''}, found ${found.length}`);
  return found[0]!;
}

describe('the probe instance starts only once it can register with SSM', () => {
  let recorded: RecordedResource[];
  beforeAll(async () => {
    recorded = (await runEnvironment({ projects: ['tgw', 'inspection', 'spoke-a'] })).recorded.filter(
      (r) => r.project === 'spoke-a',
    );
  }, 60_000);

  it('depends on its instance-profile policy attachment, the three SSM endpoints and its default route', () => {
    const probe = one(recorded, 'aws:ec2/instance:Instance');
    const attachment = one(recorded, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment');
    const endpoints = recorded.filter((r) => r.type === 'aws:ec2/vpcEndpoint:VpcEndpoint');
    expect(endpoints.map((e) => e.name).sort()).toEqual([
      'spoke-a-ec2messages',
      'spoke-a-ssm',
      'spoke-a-ssmmessages',
    ]);
    // The probe lives in the first workload subnet (us-east-1a in the dev config): its default route.
    const route = one(recorded, 'aws:ec2/route:Route', 'spoke-a-workload-us-east-1a-default-to-tgw');
    const ref = (r: RecordedResource): string => `${r.type}::${r.name}`;
    expect(probe.dependsOn).toEqual(expect.arrayContaining([attachment, ...endpoints, route].map(ref)));
  });

  it('keeps its AMI when a newer Amazon Linux image ships (no replacement of a long-lived probe)', () => {
    expect(one(recorded, 'aws:ec2/instance:Instance').ignoreChanges).toContain('ami');
  });
});

describe('Network Firewall log groups', () => {
  it('are named under /aws/vendedlogs/, per environment', async () => {
    const run = await runEnvironment({ projects: ['tgw', 'inspection'] });
    const groups = run.recorded.filter(
      (r) => r.project === 'inspection' && r.type === 'aws:cloudwatch/logGroup:LogGroup',
    );
    expect(groups.map((g) => g.inputs.name).sort()).toEqual([
      '/aws/vendedlogs/hubspoke/dev/network-firewall/alert',
      '/aws/vendedlogs/hubspoke/dev/network-firewall/flow',
    ]);
  }, 60_000);
});

describe('log retention', () => {
  it.each([
    ['inspection', 'inspection:logRetentionDays', 10],
    ['spoke-a', 'spoke-a:flowLogRetentionDays', 2],
  ])(
    '%s: %s %d, which CloudWatch rejects, fails on the config, naming the allowed values',
    (project, key, days) =>
      expect(
        runEnvironment({
          projects: ['tgw', 'inspection', 'spoke-a'],
          overrides: { [project]: { [key]: days } },
        }),
      ).rejects.toThrow(
        `config ${key} must be one of the retention periods CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653), got ${days}`,
      ),
  );
});

describe('hubspoke:ephemeral', () => {
  it('marks a long-lived-looking env ephemeral in its tags when the config says so', async () => {
    const run = await runEnvironment({
      projects: [],
      extraStacks: [
        {
          project: 'tgw',
          stack: 'sandbox',
          programPath: TGW,
          config: {
            'aws:region': 'us-east-1',
            'tgw:supernet': '10.16.0.0/12',
            'hubspoke:ephemeral': 'true',
            'hubspoke:expiresAt': '2026-11-27T06:00:00Z',
          },
        },
      ],
    });
    const tags = run.snapshot.TransitGateways![0]!.Tags;
    expect(tagValue(tags, 'hubspoke:env')).toBe('sandbox');
    expect(tagValue(tags, 'hubspoke:ephemeral')).toBe('true');
    expect(tagValue(tags, 'hubspoke:expires-at')).toBe('2026-11-27T06:00:00Z');
  }, 60_000);
});
