import { readFileSync } from 'fs';
import { join } from 'path';
import { buildNetworkModel } from '../src/model/build';
import { SNAPSHOT_MEMBERS, type NetworkSnapshot } from '../src/snapshot';
import { buildHubSpokeSnapshot } from '../testing/fixture-builder';
import { traceFlow } from '../src/trace/tracer';

/**
 * The reference hub-and-spoke network (docs/network-design.md), written out by hand: two AZs,
 * the inspection VPC and two spokes. The JSON fixture file and the builder's default output are
 * each checked against it, never against each other, so neither can drift and take the other along.
 */
const REFERENCE = {
  region: 'us-east-1',
  vpcs: { 'vpc-inspection': '10.0.0.0/16', 'vpc-spoke-a': '10.1.0.0/16', 'vpc-spoke-b': '10.2.0.0/16' },
  /** subnet -> [CIDR, AZ, routes besides the local one] */
  subnets: {
    'subnet-inspection-public-a': [
      '10.0.0.0/24',
      'us-east-1a',
      '0.0.0.0/0>igw-inspection 10.0.0.0/8>vpce-fw-a',
    ],
    'subnet-inspection-firewall-a': ['10.0.16.0/24', 'us-east-1a', '0.0.0.0/0>nat-a 10.0.0.0/8>tgw-hub'],
    'subnet-inspection-tgw-a': ['10.0.32.0/24', 'us-east-1a', '0.0.0.0/0>vpce-fw-a'],
    'subnet-inspection-public-b': [
      '10.0.1.0/24',
      'us-east-1b',
      '0.0.0.0/0>igw-inspection 10.0.0.0/8>vpce-fw-b',
    ],
    'subnet-inspection-firewall-b': ['10.0.17.0/24', 'us-east-1b', '0.0.0.0/0>nat-b 10.0.0.0/8>tgw-hub'],
    'subnet-inspection-tgw-b': ['10.0.33.0/24', 'us-east-1b', '0.0.0.0/0>vpce-fw-b'],
    'subnet-spoke-a-workload-a': ['10.1.0.0/24', 'us-east-1a', '0.0.0.0/0>tgw-hub'],
    'subnet-spoke-a-workload-b': ['10.1.1.0/24', 'us-east-1b', '0.0.0.0/0>tgw-hub'],
    'subnet-spoke-a-tgw-a': ['10.1.32.0/28', 'us-east-1a', ''],
    'subnet-spoke-a-tgw-b': ['10.1.32.16/28', 'us-east-1b', ''],
    'subnet-spoke-b-workload-a': ['10.2.0.0/24', 'us-east-1a', '0.0.0.0/0>tgw-hub'],
    'subnet-spoke-b-workload-b': ['10.2.1.0/24', 'us-east-1b', '0.0.0.0/0>tgw-hub'],
    'subnet-spoke-b-tgw-a': ['10.2.32.0/28', 'us-east-1a', ''],
    'subnet-spoke-b-tgw-b': ['10.2.32.16/28', 'us-east-1b', ''],
  },
  /** attachment -> [appliance mode, associated TGW route table] */
  attachments: {
    'tgw-attach-inspection': ['enable', 'tgw-rtb-inspection'],
    'tgw-attach-spoke-a': ['disable', 'tgw-rtb-spoke'],
    'tgw-attach-spoke-b': ['disable', 'tgw-rtb-spoke'],
  },
  tgwRoutes: {
    'tgw-rtb-spoke': ['0.0.0.0/0>tgw-attach-inspection static'],
    'tgw-rtb-inspection': [
      '10.1.0.0/16>tgw-attach-spoke-a propagated',
      '10.2.0.0/16>tgw-attach-spoke-b propagated',
    ],
  },
  propagations: { 'tgw-rtb-spoke': [], 'tgw-rtb-inspection': ['tgw-attach-spoke-a', 'tgw-attach-spoke-b'] },
  endpoints: {
    'us-east-1a': 'vpce-fw-a@subnet-inspection-firewall-a',
    'us-east-1b': 'vpce-fw-b@subnet-inspection-firewall-b',
  },
  nats: ['nat-a@subnet-inspection-public-a=203.0.113.10', 'nat-b@subnet-inspection-public-b=203.0.113.11'],
  probes: [
    'i-spoke-a-probe@subnet-spoke-a-workload-a=10.1.0.10',
    'i-spoke-b-probe@subnet-spoke-b-workload-a=10.2.0.10',
  ],
  ssmServices: ['ec2messages', 'ssm', 'ssmmessages'],
  policy: { ruleOrder: 'STRICT_ORDER', defaultActions: ['aws:drop_strict'], homeNet: ['10.0.0.0/8'] },
  domains: {
    Targets: ['.amazon.com', 'checkip.amazonaws.com'],
    TargetTypes: ['TLS_SNI', 'HTTP_HOST'],
    GeneratedRulesType: 'ALLOWLIST',
  },
};

/** The reference facts read back from a snapshot, in the shape of REFERENCE. */
function facts(s: NetworkSnapshot) {
  const tableOf = (subnetId: string) =>
    s.RouteTables!.find((t) => t.Associations?.some((a) => a.SubnetId === subnetId))!;
  const target = (r: NonNullable<ReturnType<typeof tableOf>['Routes']>[number]) =>
    r.GatewayId ?? r.NatGatewayId ?? r.TransitGatewayId ?? '?';
  return {
    region: s.Region,
    vpcs: Object.fromEntries(s.Vpcs!.map((v) => [v.VpcId, v.CidrBlock])),
    subnets: Object.fromEntries(
      s.Subnets!.map((x) => [
        x.SubnetId,
        [
          x.CidrBlock,
          x.AvailabilityZone,
          tableOf(x.SubnetId!)
            .Routes!.filter((r) => r.GatewayId !== 'local')
            .map((r) => `${r.DestinationCidrBlock}>${target(r)}`)
            .sort()
            .join(' '),
        ],
      ]),
    ),
    attachments: Object.fromEntries(
      s.TransitGatewayVpcAttachments!.map((a) => [
        a.TransitGatewayAttachmentId,
        [
          a.Options?.ApplianceModeSupport,
          Object.entries(s.TransitGatewayRouteTableAssociations!).find(([, list]) =>
            list.some((x) => x.TransitGatewayAttachmentId === a.TransitGatewayAttachmentId),
          )?.[0],
        ],
      ]),
    ),
    tgwRoutes: Object.fromEntries(
      Object.entries(s.TransitGatewayRoutes!).map(([rt, routes]) => [
        rt,
        routes.map(
          (r) =>
            `${r.DestinationCidrBlock}>${r.TransitGatewayAttachments?.map((a) => a.TransitGatewayAttachmentId).join('+')} ${r.Type}`,
        ),
      ]),
    ),
    propagations: Object.fromEntries(
      Object.entries(s.TransitGatewayRouteTablePropagations!).map(([rt, list]) => [
        rt,
        list.map((p) => p.TransitGatewayAttachmentId),
      ]),
    ),
    endpoints: Object.fromEntries(
      Object.entries(s.Firewalls![0]!.FirewallStatus!.SyncStates!).map(([az, st]) => [
        az,
        `${st.Attachment!.EndpointId}@${st.Attachment!.SubnetId}`,
      ]),
    ),
    nats: s.NatGateways!.map((n) => `${n.NatGatewayId}@${n.SubnetId}=${n.NatGatewayAddresses![0]!.PublicIp}`),
    probes: s.Instances!.map((i) => `${i.InstanceId}@${i.SubnetId}=${i.PrivateIpAddress}`),
    ssmServices: [
      ...new Set(
        s
          .VpcEndpoints!.filter((e) => e.VpcId === 'vpc-spoke-a' && e.VpcEndpointType === 'Interface')
          .map((e) => e.ServiceName!.split('.').pop()),
      ),
    ].sort(),
    policy: {
      ruleOrder: s.FirewallPolicies![0]!.FirewallPolicy!.StatefulEngineOptions?.RuleOrder,
      defaultActions: s.FirewallPolicies![0]!.FirewallPolicy!.StatefulDefaultActions,
      homeNet: s.FirewallPolicies![0]!.FirewallPolicy!.PolicyVariables?.RuleVariables?.HOME_NET?.Definition,
    },
    domains: s.RuleGroups!.find((g) => g.RuleGroup!.RulesSource!.RulesSourceList)!.RuleGroup!.RulesSource!
      .RulesSourceList,
  };
}

const readFixture = (): NetworkSnapshot =>
  JSON.parse(readFileSync(join(__dirname, 'fixtures', 'hub-spoke.json'), 'utf8')) as NetworkSnapshot;

describe('hub-spoke fixture', () => {
  it('the JSON fixture file is the reference network', () => {
    const json = readFixture();
    expect(facts(json)).toEqual(REFERENCE);
    for (const member of Object.keys(json)) expect(SNAPSHOT_MEMBERS).toContain(member);
  });

  it("the builder's default output is the reference network", () => {
    expect(facts(buildHubSpokeSnapshot())).toEqual(REFERENCE);
  });

  it('the JSON fixture passes through the real firewall policy: allowlisted SNI passes, others drop', () => {
    const m = buildNetworkModel(readFixture());
    const allowed = traceFlow(m, {
      from: 'i-spoke-a-probe',
      to: '198.51.100.7',
      port: 443,
      app: { kind: 'tls', sni: 'checkip.amazonaws.com' },
    });
    expect(allowed.paths.map((p) => p.verdict)).toEqual(['delivered', 'delivered']);
    const denied = traceFlow(m, {
      from: 'i-spoke-a-probe',
      to: '198.51.100.7',
      port: 443,
      app: { kind: 'tls', sni: 'example.com' },
    });
    expect(denied.paths.map((p) => p.verdict)).toEqual(['dropped', 'dropped']);
    expect(denied.paths[0]!.decidedBy.kind).toBe('firewall');
  });

  it('HOME_NET left at the firewall VPC CIDR makes the domain rules miss spoke traffic', () => {
    const m = buildNetworkModel(buildHubSpokeSnapshot({ homeNet: null }));
    const r = traceFlow(m, {
      from: 'i-spoke-a-probe',
      to: '198.51.100.7',
      port: 443,
      app: { kind: 'tls', sni: 'www.amazon.com' },
    });
    expect(r.paths.every((p) => p.verdict === 'dropped')).toBe(true);
    const p = buildHubSpokeSnapshot({ homeNet: null }).FirewallPolicies![0]!.FirewallPolicy!;
    expect(p.PolicyVariables).toBeUndefined();
  });

  it('options shape the AWS responses', () => {
    const s = buildHubSpokeSnapshot({
      applianceMode: false,
      spokeCount: 3,
      allowedDomains: ['.example.org'],
    });
    expect(
      s.TransitGatewayVpcAttachments!.find((a) => a.TransitGatewayAttachmentId === 'tgw-attach-inspection')!
        .Options!.ApplianceModeSupport,
    ).toBe('disable');
    expect(s.Vpcs!.map((v) => v.CidrBlock)).toEqual([
      '10.0.0.0/16',
      '10.1.0.0/16',
      '10.2.0.0/16',
      '10.3.0.0/16',
    ]);
    const domains = s.RuleGroups!.find((g) => g.RuleGroup!.RulesSource!.RulesSourceList)!.RuleGroup!
      .RulesSource!.RulesSourceList!;
    expect(domains).toEqual({
      Targets: ['.example.org'],
      TargetTypes: ['TLS_SNI', 'HTTP_HOST'],
      GeneratedRulesType: 'ALLOWLIST',
    });
    expect(() => buildHubSpokeSnapshot({ supernet: '10.0.0.0/24' })).toThrow(
      'supernet 10.0.0.0/24: prefix must be <= /16',
    );
  });
});
