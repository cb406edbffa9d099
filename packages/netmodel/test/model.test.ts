import { buildNetworkModel } from '../src/model/build';
import { SnapshotError } from '../src/model/errors';
import type { NetworkSnapshot } from '../src/snapshot';
import { buildHubSpokeSnapshot } from '../testing/fixture-builder';
import { routeTable } from './helpers';

const broken = (edit: (s: NetworkSnapshot) => void): (() => unknown) => {
  const s = buildHubSpokeSnapshot();
  edit(s);
  return () => buildNetworkModel(s);
};

describe('buildNetworkModel: indexing', () => {
  it('indexes the default topology', () => {
    const m = buildNetworkModel(buildHubSpokeSnapshot());
    expect(m.vpcs.size).toBe(3);
    expect(m.subnets.get('subnet-spoke-a-workload-a')!.routeTable!.id).toBe('rtb-spoke-a-workload-a');
    expect(m.subnets.get('subnet-spoke-a-workload-a')!.nacl!.id).toBe('acl-spoke-a');
    expect(m.firewallEndpoints.get('vpce-fw-b')).toMatchObject({
      az: 'us-east-1b',
      subnetId: 'subnet-inspection-firewall-b',
      vpcId: 'vpc-inspection',
    });
    expect(m.tgwAttachments.get('tgw-attach-inspection')).toMatchObject({
      applianceMode: true,
      routeTableId: 'tgw-rtb-inspection',
    });
    expect(m.tgwAttachments.get('tgw-attach-spoke-a')).toMatchObject({
      applianceMode: false,
      routeTableId: 'tgw-rtb-spoke',
    });
    expect(m.publicIpOwner.get('203.0.113.11')).toEqual({ vpcId: 'vpc-inspection', privateIp: '10.0.1.10' });
    expect(m.instanceEni.get('i-spoke-a-probe')!.groups).toEqual(['sg-spoke-a-probe']);
  });

  it('accepts an empty snapshot (absent members mean none)', () => {
    expect(buildNetworkModel({}).vpcs.size).toBe(0);
  });

  it('keys firewall endpoints by the endpoint subnet AZ, not by the SyncStates key', () => {
    const s = buildHubSpokeSnapshot();
    const st = s.Firewalls![0]!.FirewallStatus!.SyncStates!;
    const a = st['us-east-1a']!;
    st['us-east-1a'] = st['us-east-1b']!;
    st['us-east-1b'] = a;
    const m = buildNetworkModel(s);
    expect(m.firewalls.get(s.Firewalls![0]!.Firewall!.FirewallArn!)!.endpointsByAz.get('us-east-1a')).toBe(
      'vpce-fw-a',
    );
  });

  it('builds a 100-spoke x 3-AZ snapshot', () => {
    const m = buildNetworkModel(
      buildHubSpokeSnapshot({ spokeCount: 100, azs: ['us-east-1a', 'us-east-1b', 'us-east-1c'] }),
    );
    expect(m.tgwRouteTables.get('tgw-rtb-inspection')!.routes.values()).toHaveLength(100);
  });
});

describe('buildNetworkModel: structural errors name the member, id and value', () => {
  it.each<[string, (s: NetworkSnapshot) => void, string]>([
    [
      'association to an unknown subnet',
      (s) => routeTable(s, 'rtb-spoke-a-workload-a').Associations!.push({ SubnetId: 'subnet-nope' }),
      '(rtb-spoke-a-workload-a): Associations[1].SubnetId "subnet-nope" is not in Subnets',
    ],
    [
      'subnet in an unknown VPC',
      (s) => (s.Subnets![0]!.VpcId = 'vpc-nope'),
      'Subnets[0] (subnet-inspection-public-a): VpcId "vpc-nope" is not in Vpcs',
    ],
    [
      'malformed route CIDR',
      (s) =>
        routeTable(s, 'rtb-spoke-a-workload-a').Routes!.push({
          DestinationCidrBlock: '10.0.0.0/40',
          GatewayId: 'local',
        }),
      'invalid Routes[2].DestinationCidrBlock "10.0.0.0/40"',
    ],
    [
      'route to an unknown NAT',
      (s) =>
        routeTable(s, 'rtb-inspection-firewall-a').Routes!.push({
          DestinationCidrBlock: '192.0.2.0/24',
          NatGatewayId: 'nat-nope',
          State: 'active',
        }),
      'route 192.0.2.0/24 -> NAT gateway "nat-nope" is not in NatGateways',
    ],
    [
      'route to an unknown endpoint',
      (s) =>
        routeTable(s, 'rtb-inspection-tgw-a').Routes!.push({
          DestinationCidrBlock: '192.0.2.0/24',
          GatewayId: 'vpce-nope',
          State: 'active',
        }),
      'VPC endpoint "vpce-nope" is not in VpcEndpoints or Firewalls[].FirewallStatus.SyncStates',
    ],
    [
      'subnet outside its VPC',
      (s) => (s.Subnets![0]!.CidrBlock = '10.9.0.0/24'),
      'Subnets[0] (subnet-inspection-public-a): CidrBlock 10.9.0.0/24 is outside the CIDRs of vpc-inspection',
    ],
    [
      'TGW association keyed by an unknown route table',
      (s) => (s.TransitGatewayRouteTableAssociations!['tgw-rtb-nope'] = []),
      'TransitGatewayRouteTableAssociations["tgw-rtb-nope"]: route table "tgw-rtb-nope" is not in TransitGatewayRouteTables',
    ],
    [
      'TGW route to an unknown attachment',
      (s) =>
        s.TransitGatewayRoutes!['tgw-rtb-spoke']!.push({
          DestinationCidrBlock: '192.0.2.0/24',
          State: 'active',
          TransitGatewayAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-nope' }],
        }),
      'TransitGatewayRoutes["tgw-rtb-spoke"]: [1] TransitGatewayAttachmentId "tgw-attach-nope"',
    ],
    [
      'firewall policy missing',
      (s) => (s.FirewallPolicies = []),
      'FirewallPolicyArn "arn:aws:network-firewall:us-east-1:111122223333:firewall-policy/hubspoke-dev" is not in FirewallPolicies',
    ],
    [
      'a member of the wrong shape',
      (s) => ((s as Record<string, unknown>).Subnets = {}),
      'Subnets: expected an array',
    ],
    [
      'a NACL rule with an unknown action',
      (s) => (s.NetworkAcls![0]!.Entries![0]!.RuleAction = 'maybe' as never),
      'NetworkAcls[0] (acl-inspection): network ACL acl-inspection entry #0 (rule 100): RuleAction "maybe" is not allow|deny',
    ],
  ])('%s', (_name, edit, message) => {
    const build = broken(edit);
    expect(build).toThrow(SnapshotError);
    expect(build).toThrow(message);
  });

  it('a route in blackhole state may point at a deleted NAT', () => {
    expect(
      broken((s) =>
        routeTable(s, 'rtb-inspection-firewall-a').Routes!.push({
          DestinationCidrBlock: '192.0.2.0/24',
          NatGatewayId: 'nat-deleted',
          State: 'blackhole',
        }),
      ),
    ).not.toThrow();
  });
});
