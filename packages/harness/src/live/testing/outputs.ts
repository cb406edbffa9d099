/** Stack outputs shaped like the contracts, for tests of the live path. */
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
