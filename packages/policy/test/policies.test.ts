/**
 * Every policy of the pack, through the offline path: programs run under the mock cloud, and the
 * pack, started by the CLI's own policy-pack host, is sent their resources over the Analyzer
 * protocol. The compliant program of every policy is the repository's dev environment (each
 * policy must apply to it); each policy then meets a program that breaks it.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { InspectionVpc } from '@hubspoke/network';
import { changeRegistrations } from '@hubspoke/network/testing/program-change';
import { PolicyHost, type StackAnalysis } from '@hubspoke/policy-host';
import { policies } from '../src/pack';
import { awsxSpoke, bareVpc, firewall, instance, spoke, taggedProvider } from './programs';
import { analyze, applied, HOST_TIMEOUT, messages, PACK_DIR, violated } from './support';

const REPO = ['tgw', 'inspection', 'spoke-a', 'spoke-b'];
const TGW = ['tgw'];

let host: PolicyHost;
beforeAll(async () => {
  host = await PolicyHost.start(PACK_DIR);
}, HOST_TIMEOUT);
afterAll(async () => host?.close());

describe('the pack', () => {
  it('serves every policy, mandatory, with a description', () => {
    expect(host.info.name).toBe('hubspoke-guardrails');
    expect(host.info.policies.map((p) => p.name)).toEqual(policies.map((p) => p.name));
    for (const p of host.info.policies) {
      expect(p.enforcementLevel).toBe('mandatory');
      expect(p.description.length).toBeGreaterThan(20);
      expect(p.configSchema?.properties).toHaveProperty('exemptions');
    }
  });
});

describe('the repository dev environment is compliant', () => {
  let dev: StackAnalysis[];
  beforeAll(async () => {
    dev = await analyze(host, { repo: REPO });
  }, HOST_TIMEOUT);

  it.each(policies.map((p) => p.name))('%s applies and finds nothing', (policy) => {
    expect(applied(dev, policy)).toBeGreaterThan(0);
    expect(violated(dev, policy)).toEqual([]);
  });
});

describe('the repository org environment (spokes in other accounts) is compliant', () => {
  it(
    'finds nothing; cross-account attachments are judged by their accepters',
    async () => {
      const org = await analyze(host, { env: 'org', repo: REPO });
      for (const p of policies)
        expect({ policy: p.name, violated: violated(org, p.name) }).toEqual({ policy: p.name, violated: [] });
      expect(applied(org, 'tgw-no-default-route-tables')).toBeGreaterThan(0);
    },
    HOST_TIMEOUT,
  );
});

describe('spoke-egress-via-tgw', () => {
  const P = 'spoke-egress-via-tgw';

  it(
    'flags a spoke probe with a public IP',
    async () => {
      const r = await analyze(host, {
        repo: TGW,
        inline: [
          {
            project: 'spoke-x',
            program: () => {
              const s = spoke('spoke-x');
              instance('probe', s.workloadSubnetIds[0]!, { associatePublicIpAddress: true });
            },
          },
        ],
      });
      expect(violated(r, P)).toEqual(['spoke-x:probe']);
      expect(messages(r, P)).toContain('associatePublicIpAddress is true');
    },
    HOST_TIMEOUT,
  );

  it(
    'flags a spoke built with awsx: its internet gateway, NAT gateways, EIPs, public subnets and routes out',
    async () => {
      const r = await analyze(host, {
        repo: TGW,
        inline: [{ project: 'spoke-x', program: () => awsxSpoke('spoke-x') }],
      });
      const found = violated(r, P);
      for (const name of ['spoke-x', 'spoke-x-1', 'spoke-x-2', 'spoke-x-public-1', 'spoke-x-private-1']) {
        expect(found).toContain(`spoke-x:${name}`);
      }
      const text = messages(r, P);
      expect(text).toContain('creates an internet gateway');
      expect(text).toContain('creates a NAT gateway');
      expect(text).toContain('creates an Elastic IP');
      expect(text).toContain('mapPublicIpOnLaunch is true');
      expect(text).toMatch(/default route 0\.0\.0\.0\/0 goes to gatewayId igw-/);
      expect(text).toMatch(/default route 0\.0\.0\.0\/0 goes to natGatewayId nat-/);
    },
    HOST_TIMEOUT,
  );

  it(
    'flags a gateway endpoint in a spoke unless allowed',
    async () => {
      const r = await analyze(host, {
        repo: TGW,
        inline: [
          {
            project: 'spoke-x',
            program: () => {
              const { vpc } = bareVpc('spoke-x');
              new aws.ec2.VpcEndpoint('s3', {
                vpcId: vpc.id,
                serviceName: 'com.amazonaws.us-east-1.s3',
                vpcEndpointType: 'Gateway',
              });
            },
          },
        ],
      });
      expect(violated(r, P)).toEqual(['spoke-x:s3']);
      expect(messages(r, P)).toContain('allowedRouteTargets: ["gateway-endpoint"]');
    },
    HOST_TIMEOUT,
  );
});

describe('spoke-attached', () => {
  const P = 'spoke-attached';

  it(
    'flags a spoke VPC with no Transit Gateway attachment',
    async () => {
      const r = await analyze(host, {
        repo: TGW,
        inline: [{ project: 'spoke-x', program: () => bareVpc('spoke-x') }],
      });
      expect(violated(r, P)).toEqual(['spoke-x:spoke-x']);
      expect(messages(r, P)).toContain('is not attached to the Transit Gateway');
    },
    HOST_TIMEOUT,
  );

  it(
    'flags a spoke subnet left on the main table and one whose table has no default route to the TGW',
    async () => {
      const r = await analyze(host, {
        repo: TGW,
        inline: [
          {
            project: 'spoke-x',
            program: () => {
              const s = spoke('spoke-x');
              new aws.ec2.Subnet('stray', {
                vpcId: s.vpcId,
                cidrBlock: '10.20.200.0/24',
                availabilityZone: 'us-east-1a',
              });
              const lonely = new aws.ec2.Subnet('lonely', {
                vpcId: s.vpcId,
                cidrBlock: '10.20.201.0/24',
                availabilityZone: 'us-east-1a',
              });
              const table = new aws.ec2.RouteTable('lonely', { vpcId: s.vpcId });
              new aws.ec2.RouteTableAssociation('lonely', { routeTableId: table.id, subnetId: lonely.id });
            },
          },
        ],
      });
      expect(violated(r, P)).toEqual(['spoke-x:lonely', 'spoke-x:stray']);
      expect(messages(r, P)).toContain("uses the VPC's main route table");
      expect(messages(r, P)).toContain('has no 0.0.0.0/0 route to the Transit Gateway');
    },
    HOST_TIMEOUT,
  );
});

describe('no-open-ingress', () => {
  it(
    'flags ingress from 0.0.0.0/0 and from ::/0',
    async () => {
      const r = await analyze(host, {
        inline: [
          {
            project: 'lab',
            program: () => {
              const { vpc } = bareVpc('lab');
              const sg = (name: string, rule: Partial<aws.types.input.ec2.SecurityGroupIngress>) =>
                new aws.ec2.SecurityGroup(name, {
                  vpcId: vpc.id,
                  ingress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, ...rule }],
                });
              sg('ssh-v4', { cidrBlocks: ['0.0.0.0/0'] });
              sg('ssh-v6', { ipv6CidrBlocks: ['::/0'] });
              sg('internal', { cidrBlocks: ['10.30.0.0/24'] });
            },
          },
        ],
      });
      expect(violated(r, 'no-open-ingress')).toEqual(['lab:ssh-v4', 'lab:ssh-v6']);
      expect(messages(r, 'no-open-ingress')).toContain('ingress tcp 22 from 0.0.0.0/0');
    },
    HOST_TIMEOUT,
  );
});

describe('instance-hardening', () => {
  it(
    'flags IMDSv1, an unencrypted root volume, a key pair and an unset public IP choice',
    async () => {
      const r = await analyze(host, {
        inline: [
          {
            project: 'lab',
            program: () => {
              const { subnet } = bareVpc('lab');
              instance('soft', subnet.id, {
                httpTokens: 'optional',
                encrypted: false,
                keyName: 'ops',
                associatePublicIpAddress: undefined,
              });
              instance('hard', subnet.id);
            },
          },
        ],
      });
      expect(violated(r, 'instance-hardening')).toEqual(['lab:soft']);
      const text = messages(r, 'instance-hardening');
      expect(text).toContain('httpTokens is "optional"');
      expect(text).toContain('rootBlockDevice.encrypted is not true');
      expect(text).toContain('keyName ops');
      expect(text).toContain("associatePublicIpAddress is unset (the subnet's auto-assign setting decides)");
    },
    HOST_TIMEOUT,
  );
});

describe('tgw-no-default-route-tables', () => {
  it(
    'flags a gateway and an attachment that keep the default route table',
    async () => {
      const r = await analyze(host, {
        repo: TGW,
        inline: [
          {
            project: 'edge',
            program: () => {
              new aws.ec2transitgateway.TransitGateway('edge', {});
              const { vpc, subnet } = bareVpc('edge');
              const ref = new pulumi.StackReference('organization/tgw/dev');
              new aws.ec2transitgateway.VpcAttachment('edge', {
                transitGatewayId: ref.requireOutput('transitGatewayId') as pulumi.Output<string>,
                vpcId: vpc.id,
                subnetIds: [subnet.id],
              });
            },
          },
        ],
      });
      expect(violated(r, 'tgw-no-default-route-tables')).toEqual(['edge:edge']);
      const text = messages(r, 'tgw-no-default-route-tables');
      // Judged on the resulting state, where AWS's defaults show (AWS turns both on unless told not to).
      expect(text).toContain(
        'TransitGateway \'edge\': defaultRouteTableAssociation is "enable": set "disable"',
      );
      expect(text).toContain(
        "VpcAttachment 'edge': transitGatewayDefaultRouteTablePropagation is true: set false",
      );
    },
    HOST_TIMEOUT,
  );
});

describe('tgw-inspection-appliance-mode', () => {
  it(
    'flags the inspection attachment when appliance mode is off',
    async () => {
      const r = await analyze(host, {
        repo: ['tgw', 'inspection'],
        overrides: { inspection: { 'inspection:applianceMode': false } },
      });
      expect(violated(r, 'tgw-inspection-appliance-mode')).toEqual(['inspection:inspection']);
      expect(messages(r, 'tgw-inspection-appliance-mode')).toContain('applianceModeSupport "disable"');
    },
    HOST_TIMEOUT,
  );
});

describe('tgw-spoke-association', () => {
  it(
    'flags a spoke associated with the inspection table and propagating into the spoke table',
    async () => {
      const r = await analyze(host, {
        repo: TGW,
        inline: [{ project: 'spoke-x', program: () => spoke('spoke-x', { swapRouteTables: true }) }],
      });
      expect(violated(r, 'tgw-spoke-association')).toEqual([
        'spoke-x:spoke-x-inspection',
        'spoke-x:spoke-x-spoke',
      ]);
      const text = messages(r, 'tgw-spoke-association');
      expect(text).toMatch(/associated with route table "tgw-rtb-\w+", not the spoke route table tgw-rtb-/);
      expect(text).toContain('propagates into the spoke route table');
    },
    HOST_TIMEOUT,
  );
});

describe('firewall-strict-drop', () => {
  it(
    'flags default action order and a stateless pass default',
    async () => {
      const r = await analyze(host, {
        inline: [
          {
            project: 'lab',
            program: () =>
              firewall('lab', { ruleOrder: 'DEFAULT_ACTION_ORDER', statelessDefaultActions: ['aws:pass'] }),
          },
        ],
      });
      expect(violated(r, 'firewall-strict-drop')).toEqual(['lab:lab']);
      const text = messages(r, 'firewall-strict-drop');
      expect(text).toContain('statefulEngineOptions.ruleOrder is "unset (DEFAULT_ACTION_ORDER)"');
      expect(text).toContain('statefulDefaultActions [] has none of ["aws:drop_strict"]');
      expect(text).toContain('statelessDefaultActions ["aws:pass"]');
    },
    HOST_TIMEOUT,
  );
});

describe('firewall-logging', () => {
  it(
    'flags the repository firewall when the program stops logging it',
    async () => {
      const spy = jest
        .spyOn(InspectionVpc.prototype as unknown as { logFirewall: () => void }, 'logFirewall')
        .mockImplementation(() => undefined);
      try {
        const r = await analyze(host, { repo: ['tgw', 'inspection'] });
        expect(violated(r, 'firewall-logging')).toEqual(['inspection:inspection']);
        expect(messages(r, 'firewall-logging')).toContain(
          "Firewall 'inspection' has no LoggingConfiguration: ALERT and FLOW logs are off",
        );
      } finally {
        spy.mockRestore();
      }
    },
    HOST_TIMEOUT,
  );

  it(
    'flags a firewall whose FLOW destination was removed',
    async () => {
      const r = await changeRegistrations(
        (type, _name, props) => {
          if (type !== 'aws:networkfirewall/loggingConfiguration:LoggingConfiguration') return;
          props.loggingConfiguration = pulumi
            .output(props.loggingConfiguration as { logDestinationConfigs: { logType: string }[] })
            .apply((c) => ({
              ...c,
              logDestinationConfigs: c.logDestinationConfigs.filter((d) => d.logType !== 'FLOW'),
            }));
        },
        () => analyze(host, { repo: ['tgw', 'inspection'] }),
      );
      expect(violated(r, 'firewall-logging')).toEqual(['inspection:inspection']);
      expect(messages(r, 'firewall-logging')).toContain(
        'does not log FLOW (its LoggingConfiguration has ALERT)',
      );
    },
    HOST_TIMEOUT,
  );
});

describe('firewall-protection', () => {
  const unprotected = () =>
    firewall('lab', { deleteProtection: false, firewallPolicyChangeProtection: false });

  it(
    'flags an unprotected firewall in a long-lived environment',
    async () => {
      const r = await analyze(host, { inline: [{ project: 'lab', program: unprotected }] });
      expect(violated(r, 'firewall-protection')).toEqual(['lab:lab']);
      expect(messages(r, 'firewall-protection')).toContain('deleteProtection is false');
      expect(messages(r, 'firewall-protection')).toContain('firewallPolicyChangeProtection is false');
    },
    HOST_TIMEOUT,
  );

  it(
    'leaves an ephemeral environment alone: an it-* stack, or a firewall tagged hubspoke:ephemeral',
    async () => {
      const r = await analyze(host, {
        inline: [
          { project: 'lab', stack: 'it-12-1', program: unprotected },
          {
            project: 'sandbox',
            program: () =>
              firewall('sandbox', {
                deleteProtection: false,
                firewallPolicyChangeProtection: false,
                tags: { 'hubspoke:ephemeral': 'true' },
              }),
          },
        ],
      });
      expect(violated(r, 'firewall-protection')).toEqual([]);
      expect(applied(r, 'firewall-protection')).toBe(0);
    },
    HOST_TIMEOUT,
  );
});

describe('vpc-flow-logs', () => {
  it(
    'flags a VPC without a flow log and one logging only rejected traffic',
    async () => {
      const r = await analyze(host, {
        inline: [
          {
            project: 'lab',
            program: () => {
              bareVpc('silent', '10.30.0.0/24');
              const { vpc } = bareVpc('rejects', '10.30.1.0/24');
              const group = new aws.cloudwatch.LogGroup('rejects');
              const role = new aws.iam.Role('rejects', { assumeRolePolicy: '{}' });
              new aws.ec2.FlowLog('rejects', {
                vpcId: vpc.id,
                trafficType: 'REJECT',
                logDestination: group.arn,
                iamRoleArn: role.arn,
              });
            },
          },
        ],
      });
      expect(violated(r, 'vpc-flow-logs')).toEqual(['lab:rejects', 'lab:silent']);
      expect(messages(r, 'vpc-flow-logs')).toContain("Vpc 'silent' has no flow log");
      expect(messages(r, 'vpc-flow-logs')).toContain('logs traffic type REJECT, not one of ALL');
    },
    HOST_TIMEOUT,
  );
});

describe('required-tags', () => {
  it(
    'flags a resource without the tags and one with the wrong environment',
    async () => {
      const r = await analyze(host, {
        inline: [
          {
            project: 'lab',
            program: () => {
              const provider = taggedProvider();
              new aws.cloudwatch.LogGroup('untagged');
              new aws.cloudwatch.LogGroup('tagged', {}, { provider });
              new aws.cloudwatch.LogGroup('mislabelled', { tags: { 'hubspoke:env': 'prod' } }, { provider });
            },
          },
        ],
      });
      expect(violated(r, 'required-tags')).toEqual(['lab:mislabelled', 'lab:untagged']);
      const text = messages(r, 'required-tags');
      expect(text).toContain('tag hubspoke:env is missing (expected dev)');
      expect(text).toContain('tag hubspoke:env is "prod", expected dev');
    },
    HOST_TIMEOUT,
  );
});
