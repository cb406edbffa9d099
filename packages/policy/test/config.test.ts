/**
 * How a team configures the pack: exemptions (with a reason), allowances, enforcement levels, in
 * `policy-config.json` (the pack's initial config) or `--policy-pack-config` (the host's extra
 * config), reconciled and validated as the Pulumi CLI does.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as aws from '@pulumi/aws';
import { PolicyConfigError, PolicyHost, policyChecks } from '@hubspoke/policy-host';
import { loadPolicyConfig } from '../src/pack';
import { bareVpc, firewall } from './programs';
import { analyze, HOST_TIMEOUT, messages, PACK_DIR, REPO_ROOT, violated, type InlineStack } from './support';

/** Two open security groups and a gateway endpoint in a spoke. */
const lab: InlineStack = {
  project: 'spoke-x',
  program: () => {
    const { vpc } = bareVpc('spoke-x');
    for (const name of ['bastion', 'stray']) {
      new aws.ec2.SecurityGroup(name, {
        vpcId: vpc.id,
        ingress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: ['0.0.0.0/0'] }],
      });
    }
    new aws.ec2.VpcEndpoint('s3', {
      vpcId: vpc.id,
      serviceName: 'com.amazonaws.us-east-1.s3',
      vpcEndpointType: 'Gateway',
    });
  },
};

describe('extra config (--policy-pack-config)', () => {
  let host: PolicyHost;
  beforeAll(async () => {
    host = await PolicyHost.start(PACK_DIR, {
      configSource: 'test config',
      config: {
        'no-open-ingress': {
          properties: {
            exemptions: [
              { name: 'bastion', project: 'spoke-x', reason: 'break-glass SSH, time-boxed by change 42' },
            ],
          },
        },
        'spoke-egress-via-tgw': { properties: { allowedRouteTargets: ['gateway-endpoint'] } },
        'vpc-flow-logs': { enforcementLevel: 'advisory' },
        'required-tags': { enforcementLevel: 'disabled' },
      },
    });
  }, HOST_TIMEOUT);
  afterAll(async () => host?.close());

  it('keeps a configured policy mandatory and fills in the schema defaults', () => {
    expect(host.config['no-open-ingress']).toEqual({
      enforcementLevel: 'mandatory',
      properties: { exemptions: [expect.objectContaining({ name: 'bastion' })] },
    });
    expect(host.config['spoke-attached']!.properties).toEqual({
      exemptions: [],
      hubProjects: ['tgw', 'inspection'],
    });
  });

  it(
    'exempts the named resource only, allows the configured way out, and applies the levels',
    async () => {
      const r = await analyze(host, { inline: [lab] });
      expect(violated(r, 'no-open-ingress')).toEqual(['spoke-x:stray']);
      expect(violated(r, 'spoke-egress-via-tgw')).toEqual([]);
      const checks = new Map(policyChecks(host.info, r).map((c) => [c.id, c]));
      // advisory: the check passes and carries the finding as a warning
      expect(checks.get('policy:vpc-flow-logs')).toMatchObject({ status: 'pass' });
      expect(checks.get('policy:vpc-flow-logs')!.warnings!.join('\n')).toContain(
        "Vpc 'spoke-x' has no flow log",
      );
      // disabled: not evaluated, so no check at all
      expect(checks.has('policy:required-tags')).toBe(false);
      expect(checks.get('policy:no-open-ingress')).toMatchObject({ status: 'fail' });
    },
    HOST_TIMEOUT,
  );
});

describe('invalid config', () => {
  it(
    'is refused before anything is analyzed, naming the policy, the field and the value',
    async () => {
      await expect(
        PolicyHost.start(PACK_DIR, {
          configSource: 'bad.json',
          config: {
            'spoke-egress-via-tgw': { properties: { allowedRouteTargets: ['internet'] } },
            'no-open-ingress': { properties: { exemptions: [{ name: 'bastion' }] } },
          },
        }),
      ).rejects.toThrow(
        new PolicyConfigError(
          'invalid policy config (bad.json):\n' +
            ' - spoke-egress-via-tgw.allowedRouteTargets.0: must be equal to one of the allowed values (peering, gateway-endpoint, vpc-endpoint, network-interface, vpn-gateway, core-network, local-gateway)\n' +
            " - no-open-ingress.exemptions.0: must have required property 'reason'",
        ),
      );
    },
    HOST_TIMEOUT,
  );
});

describe('policy-config.json, the pack initial config', () => {
  it('gives an entry without a level the policy own level (the CLI would read ADVISORY)', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'policy-config-')), 'c.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ 'no-open-ingress': { exemptions: [] }, 'vpc-flow-logs': 'advisory' }),
    );
    expect(loadPolicyConfig(file)).toEqual({
      'no-open-ingress': { enforcementLevel: 'mandatory', exemptions: [] },
      'vpc-flow-logs': 'advisory',
    });
  });

  it('refuses a name that is no policy of the pack, and malformed JSON, naming the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-config-'));
    const typo = path.join(dir, 'typo.json');
    fs.writeFileSync(typo, JSON.stringify({ 'no-open-ingres': 'advisory' }));
    expect(() => loadPolicyConfig(typo)).toThrow(`${typo}: "no-open-ingres" is not a policy of this pack`);
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, '{ "no-open-ingress": ');
    expect(() => loadPolicyConfig(broken)).toThrow(`${broken} is not valid JSON`);
  });

  it(
    'reaches the policies through GetAnalyzerInfo and Configure, exemptions applied, level kept',
    async () => {
      // A copy of the pack with its own policy-config.json, inside the repository so it resolves
      // @pulumi/policy from the workspace like the real one.
      fs.mkdirSync(path.join(REPO_ROOT, 'reports'), { recursive: true });
      const dir = fs.mkdtempSync(path.join(REPO_ROOT, 'reports', '.policy-pack-'));
      for (const f of ['index.ts', 'package.json', 'tsconfig.json', 'PulumiPolicy.yaml'])
        fs.copyFileSync(path.join(PACK_DIR, f), path.join(dir, f));
      fs.cpSync(path.join(PACK_DIR, 'src'), path.join(dir, 'src'), { recursive: true });
      fs.writeFileSync(
        path.join(dir, 'policy-config.json'),
        JSON.stringify({
          'no-open-ingress': {
            exemptions: [{ name: 'bastion', reason: 'break-glass SSH, time-boxed by change 42' }],
          },
        }),
      );
      const host = await PolicyHost.start(dir);
      try {
        expect(host.config['no-open-ingress']!.enforcementLevel).toBe('mandatory');
        const r = await analyze(host, { inline: [lab] });
        expect(violated(r, 'no-open-ingress')).toEqual(['spoke-x:stray']);
        expect(messages(r, 'no-open-ingress')).toContain('ingress tcp 22 from 0.0.0.0/0');
      } finally {
        await host.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    HOST_TIMEOUT,
  );
});

describe('firewall-strict-drop with an application-layer drop allowed (--policy-pack-config)', () => {
  let host: PolicyHost;
  beforeAll(async () => {
    host = await PolicyHost.start(PACK_DIR, {
      configSource: 'test config',
      config: {
        'firewall-strict-drop': { properties: { dropActions: ['aws:drop_established_app_layer'] } },
      },
    });
  }, HOST_TIMEOUT);
  afterAll(async () => host?.close());

  it(
    'accepts a policy that drops at the application layer and flags one that only alerts',
    async () => {
      const r = await analyze(host, {
        inline: [
          {
            project: 'lab',
            program: () => {
              firewall('app', { statefulDefaultActions: ['aws:drop_established_app_layer'] });
              firewall('alerting', { statefulDefaultActions: ['aws:alert_strict'] });
            },
          },
        ],
      });
      expect(violated(r, 'firewall-strict-drop')).toEqual(['lab:alerting']);
      expect(messages(r, 'firewall-strict-drop')).toContain(
        'statefulDefaultActions ["aws:alert_strict"] has none of ["aws:drop_established_app_layer"]',
      );
    },
    HOST_TIMEOUT,
  );
});
