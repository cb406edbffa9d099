/**
 * The stack programs under the mock cloud with config variations: what each knob changes, and how
 * each bad input fails (before anything reaches AWS, naming the value at fault).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadEnvironment } from '@hubspoke/mock-cloud';
import { REPO_ROOT, runEnvironment, tagValue, type RecordedResource } from '../src/run-environment';

const SPOKE_A = { programPath: path.join(REPO_ROOT, 'apps/spokes/spoke-a/index.ts'), stack: 'dev' };

function tempFile(name: string, text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hubspoke-')), name);
  fs.writeFileSync(file, text);
  return file;
}

describe('inspection program knobs', () => {
  it('turns appliance mode off only when told to', async () => {
    const run = await runEnvironment({
      projects: ['tgw', 'inspection'],
      overrides: { inspection: { 'inspection:applianceMode': false } },
    });
    expect(run.snapshot.TransitGatewayVpcAttachments![0].Options?.ApplianceModeSupport).toBe('disable');
  }, 60_000);

  it('narrows HOME_NET when configured (which the verifier then flags)', async () => {
    const run = await runEnvironment({
      projects: ['tgw', 'inspection'],
      overrides: { inspection: { 'inspection:homeNet': ['10.16.0.0/24'] } },
    });
    expect(
      run.snapshot.FirewallPolicies![0].FirewallPolicy?.PolicyVariables?.RuleVariables?.HOME_NET?.Definition,
    ).toEqual(['10.16.0.0/24']);
  }, 60_000);

  it('adds a rules file as a strict-order group after the allowlist', async () => {
    const rules = tempFile(
      'extra.rules',
      'drop tcp $HOME_NET any -> $EXTERNAL_NET 22 (msg:"no ssh out"; sid:2000001; rev:1;)\n',
    );
    const run = await runEnvironment({
      projects: ['tgw', 'inspection'],
      overrides: { inspection: { 'inspection:rulesFiles': [rules] } },
    });
    const refs = run.snapshot.FirewallPolicies![0].FirewallPolicy!.StatefulRuleGroupReferences!;
    const last = refs.reduce((a, b) => (a.Priority! > b.Priority! ? a : b));
    const group = run.snapshot.RuleGroups!.find(
      (g) => g.RuleGroupResponse?.RuleGroupArn === last.ResourceArn,
    );
    expect(group?.RuleGroup?.RulesSource?.RulesString).toContain('no ssh out');
  }, 60_000);
});

const TGW = path.join(REPO_ROOT, 'apps/tgw/index.ts');
const tgwStack = (stack: string, extra: Record<string, unknown> = {}) => ({
  project: 'tgw',
  stack,
  programPath: TGW,
  config: { 'aws:region': 'us-east-1', 'tgw:supernet': '10.16.0.0/12', ...extra },
});

describe('ephemeral environments', () => {
  it('tag every resource of an it-* env as ephemeral with its expiry', async () => {
    const run = await runEnvironment({
      projects: [],
      extraStacks: [tgwStack('it-7-1', { 'hubspoke:expiresAt': '2026-11-27T06:00:00Z' })],
    });
    const tags = run.snapshot.TransitGateways![0].Tags;
    expect(tagValue(tags, 'hubspoke:env')).toBe('it-7-1');
    expect(tagValue(tags, 'hubspoke:ephemeral')).toBe('true');
    expect(tagValue(tags, 'hubspoke:expires-at')).toBe('2026-11-27T06:00:00Z');
  }, 60_000);

  it('leave the firewall unprotected, so e2e can destroy it', async () => {
    const expiresAt = { 'hubspoke:expiresAt': '2026-11-27T06:00:00Z' };
    const run = await runEnvironment({
      projects: [],
      extraStacks: loadEnvironment(REPO_ROOT, 'dev')
        .filter((s) => s.project === 'tgw' || s.project === 'inspection')
        .map((s) => ({ ...s, stack: 'it-7-2', config: { ...s.config, ...expiresAt } })),
    });
    const firewall = run.snapshot.Firewalls![0].Firewall!;
    expect(firewall.DeleteProtection).toBe(false);
    expect(firewall.FirewallPolicyChangeProtection).toBe(false);
  }, 60_000);

  it('leave long-lived envs unmarked', async () => {
    const run = await runEnvironment({ projects: [], extraStacks: [tgwStack('dev')] });
    expect(tagValue(run.snapshot.TransitGateways![0].Tags, 'hubspoke:ephemeral')).toBeUndefined();
  }, 60_000);
});

describe('bad input fails before anything is created, naming the value', () => {
  const fails = async (options: Parameters<typeof runEnvironment>[0], message: RegExp | string) => {
    await expect(runEnvironment(options)).rejects.toThrow(message);
  };

  it('a spoke overlapping the inspection VPC', () =>
    fails(
      {
        projects: ['tgw', 'inspection', 'spoke-a'],
        overrides: { 'spoke-a': { 'spoke-a:vpcCidr': '10.16.0.0/16' } },
      },
      'spoke-a:vpcCidr 10.16.0.0/16 overlaps inspection:vpcCidr 10.16.0.0/24',
    ));

  it('a spoke outside the supernet', () =>
    fails(
      {
        projects: ['tgw', 'inspection', 'spoke-a'],
        overrides: { 'spoke-a': { 'spoke-a:vpcCidr': '10.64.0.0/16' } },
      },
      'spoke-a:vpcCidr 10.64.0.0/16 is outside supernet 10.16.0.0/12',
    ));

  it('an inspection VPC outside the supernet', () =>
    fails(
      {
        projects: ['tgw', 'inspection'],
        overrides: { inspection: { 'inspection:vpcCidr': '192.168.0.0/24' } },
      },
      /inspection:vpcCidr 192\.168\.0\.0\/24 is outside/,
    ));

  it('an invalid domain', () =>
    fails(
      {
        projects: ['tgw', 'inspection'],
        overrides: { inspection: { 'inspection:allowedDomains': ['.amazon.com', '*.example.com'] } },
      },
      '"*.example.com"',
    ));

  it('a malformed Suricata rule, with file and line', () => {
    const rules = tempFile(
      'bad.rules',
      '\npass tcp any any -> any 443 (sid:1;)\npass tcp any any -> any 443 (sid:2; pcre:"/a/";)\n',
    );
    return fails(
      { projects: ['tgw', 'inspection'], overrides: { inspection: { 'inspection:rulesFiles': [rules] } } },
      /bad\.rules line 3: .*pcre/,
    );
  });

  it('an AZ of another region', () =>
    fails(
      {
        projects: ['tgw', 'inspection'],
        overrides: { inspection: { 'inspection:availabilityZones': ['us-east-1a', 'eu-west-1b'] } },
      },
      'config inspection:availabilityZones has "eu-west-1b", which is not an AZ of us-east-1',
    ));

  it('a blackhole CIDR outside the supernet', () =>
    fails(
      { projects: ['tgw'], overrides: { tgw: { 'tgw:blackholeCidrs': ['172.16.0.0/16'] } } },
      'tgw:blackholeCidrs[0] 172.16.0.0/16 is outside',
    ));

  it('a missing upstream output', () => {
    const partialInspection = tempFile(
      'index.js',
      'module.exports = async () => ({ vpcId: "vpc-1", vpcCidr: "10.16.0.0/24" });\n',
    );
    return fails(
      {
        projects: ['tgw'],
        extraStacks: [
          {
            project: 'inspection',
            stack: 'dev',
            programPath: partialInspection,
            config: { 'aws:region': 'us-east-1' },
          },
          {
            project: 'spoke-a',
            ...SPOKE_A,
            config: {
              'aws:region': 'us-east-1',
              'spoke-a:vpcCidr': '10.17.0.0/16',
              'spoke-a:availabilityZones': ['us-east-1a'],
            },
          },
        ],
      },
      /stack organization\/inspection\/dev is missing output\(s\) availabilityZones, natPublicIps/,
    );
  });

  it('an ephemeral env without an expiry', () =>
    fails(
      { projects: [], extraStacks: [tgwStack('it-7-1')] },
      /it-7-1 is ephemeral and needs hubspoke:expiresAt/,
    ));
});

describe('config keys', () => {
  it('a mistyped key fails before any resource is registered, naming the key and the known keys', async () => {
    const registered: RecordedResource[] = [];
    const run = runEnvironment({
      projects: ['tgw', 'inspection'],
      overrides: { inspection: { 'inspection:applianceMod': false } },
      onRegister: (r) => registered.push(r),
    });
    await expect(run).rejects.toThrow(/inspection:applianceMod is not a config key of project inspection/);
    await expect(run).rejects.toThrow(/known: .*inspection:applianceMode.*hubspoke:expiresAt/);
    expect(registered.filter((r) => r.project === 'tgw').length).toBeGreaterThan(0);
    expect(registered.filter((r) => r.project === 'inspection')).toEqual([]);
  }, 60_000);

  it('a key of another project fails the same way', async () => {
    await expect(
      runEnvironment({
        projects: ['tgw', 'inspection', 'spoke-a'],
        overrides: { 'spoke-a': { 'spoke-b:probe': true } },
      }),
    ).rejects.toThrow(/spoke-b:probe is not a config key of project spoke-a \(known: spoke-a:vpcCidr/);
  }, 60_000);

  it("leaves the aws: namespace and Pulumi's own keys alone", async () => {
    const run = await runEnvironment({
      projects: ['tgw'],
      overrides: { tgw: { 'aws:skipCredentialsValidation': true, 'pulumi:template': 'hubspoke' } },
    });
    expect(run.snapshot.TransitGateways).toHaveLength(1);
  }, 60_000);
});
