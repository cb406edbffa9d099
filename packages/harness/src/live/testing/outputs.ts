/** Stack outputs shaped like the contracts, for tests of the live path. */
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import type { InspectionOutputs, SpokeOutputs, TgwOutputs } from '@hubspoke/network/src/contracts';

export const TGW_OUT: TgwOutputs = {
  transitGatewayId: 'tgw-1',
  spokeRouteTableId: 'tgw-rtb-spoke',
  inspectionRouteTableId: 'tgw-rtb-insp',
  supernetCidr: '10.0.0.0/8',
  blackholeCidrs: [],
};

export const INSPECTION_OUT: InspectionOutputs = {
  vpcId: 'vpc-insp',
  vpcCidr: '10.0.0.0/16',
  availabilityZones: ['us-east-1a', 'us-east-1b'],
  natPublicIps: ['198.51.100.1', '198.51.100.2'],
  natGatewayIds: ['nat-a', 'nat-b'],
  firewallArn: 'arn:aws:network-firewall:us-east-1:111122223333:firewall/hubspoke',
  firewallPolicyArn: 'arn:aws:network-firewall:us-east-1:111122223333:firewall-policy/hubspoke',
  firewallEndpointIds: { 'us-east-1a': 'vpce-a', 'us-east-1b': 'vpce-b' },
  tgwAttachmentId: 'tgw-attach-insp',
  allowedDomains: ['.amazon.com', 'checkip.amazonaws.com'],
};

export function spokeOut(name: string, index: number): SpokeOutputs {
  return {
    vpcId: `vpc-${name}`,
    vpcCidr: `10.${index + 1}.0.0/16`,
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    workloadSubnetIds: [`subnet-${name}-a`, `subnet-${name}-b`],
    tgwAttachmentId: `tgw-attach-${name}`,
    probeInstanceId: `i-${name}`,
    probePrivateIp: `10.${index + 1}.0.10`,
  };
}

export function outputsFor(
  spokes: string[] = ['spoke-a', 'spoke-b'],
): Record<string, Record<string, unknown>> {
  return {
    tgw: { ...TGW_OUT },
    inspection: { ...INSPECTION_OUT },
    ...Object.fromEntries(spokes.map((s, i) => [s, { ...spokeOut(s, i) }])),
  };
}

/** Stack outputs consistent with a hub-and-spoke fixture snapshot (what the programs would export). */
export function outputsFromSnapshot(s: NetworkSnapshot): Record<string, Record<string, unknown>> {
  const tag = (tags: { Key?: string; Value?: string }[] | undefined, key: string): string | undefined =>
    tags?.find((t) => t.Key === key)?.Value;
  const fw = s.Firewalls![0]!;
  const outputs: Record<string, Record<string, unknown>> = {
    tgw: {
      transitGatewayId: s.TransitGateways![0]!.TransitGatewayId,
      spokeRouteTableId: 'x',
      inspectionRouteTableId: 'y',
      supernetCidr: '10.0.0.0/8',
      blackholeCidrs: [],
    },
    inspection: {
      vpcId: fw.Firewall!.VpcId,
      vpcCidr: '10.0.0.0/16',
      availabilityZones: [],
      natPublicIps: (s.NatGateways ?? []).flatMap((n) =>
        (n.NatGatewayAddresses ?? []).map((a) => a.PublicIp!),
      ),
      natGatewayIds: (s.NatGateways ?? []).map((n) => n.NatGatewayId!),
      firewallArn: fw.Firewall!.FirewallArn,
      firewallPolicyArn: fw.Firewall!.FirewallPolicyArn,
      firewallEndpointIds: {},
      tgwAttachmentId: 'att',
      allowedDomains: [],
    },
  };
  for (const vpc of s.Vpcs ?? []) {
    const stack = tag(vpc.Tags, 'hubspoke:stack');
    if (!stack?.startsWith('spoke-')) continue;
    const probe = (s.Instances ?? []).find((i) => i.VpcId === vpc.VpcId);
    outputs[stack] = {
      vpcId: vpc.VpcId,
      vpcCidr: vpc.CidrBlock,
      availabilityZones: [],
      workloadSubnetIds: [],
      tgwAttachmentId: 'att',
      ...(probe ? { probeInstanceId: probe.InstanceId, probePrivateIp: probe.PrivateIpAddress } : {}),
    };
  }
  return outputs;
}
