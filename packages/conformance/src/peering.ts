/**
 * Peering scenarios on top of the reference network: a shared-services VPC peered with spoke-a,
 * and a remote transit gateway (another account) peered with the hub.
 */
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import { addVpc, addWorkload, reference, setRoute } from './edits';

export const SHARED = { vpcId: 'vpc-shared', cidr: '10.50.0.0/16', workload: '10.50.0.10' } as const;
export const REMOTE = {
  vpcId: 'vpc-remote',
  cidr: '10.60.0.0/16',
  workload: '10.60.0.10',
  owner: '444455556666',
} as const;

/** spoke-a <-> shared services over `pcx-shared` in `state`; the peer may be another account's. */
export function peeredSharedServices(state = 'active', peerOwner = '111122223333'): NetworkSnapshot {
  const s = reference();
  const { subnetId, routeTableId } = addVpc(s, {
    vpcId: SHARED.vpcId,
    cidr: SHARED.cidr,
    subnetCidr: '10.50.0.0/24',
    az: 'us-east-1a',
    routes: [{ DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: 'pcx-shared', State: 'active' }],
    ownerId: peerOwner,
  });
  addWorkload(s, {
    instanceId: 'i-shared',
    vpcId: SHARED.vpcId,
    subnetId,
    ip: SHARED.workload,
    ingressCidr: '10.1.0.0/16',
    port: 443,
  });
  void routeTableId;
  for (const rt of ['rtb-spoke-a-workload-a', 'rtb-spoke-a-workload-b'])
    setRoute(s, rt, { DestinationCidrBlock: SHARED.cidr, VpcPeeringConnectionId: 'pcx-shared' });
  s.VpcPeeringConnections!.push({
    VpcPeeringConnectionId: 'pcx-shared',
    Status: { Code: state as 'active' },
    RequesterVpcInfo: {
      VpcId: 'vpc-spoke-a',
      OwnerId: '111122223333',
      CidrBlock: '10.1.0.0/16',
      Region: 'us-east-1',
    },
    AccepterVpcInfo: { VpcId: SHARED.vpcId, OwnerId: peerOwner, CidrBlock: SHARED.cidr, Region: 'us-east-1' },
  });
  return s;
}

/**
 * The hub peered with `tgw-remote` (another account) through `tgw-attach-peer`: each gateway
 * associates the attachment with a route table of its own. The remote gateway carries vpc-remote.
 */
export function peeredTransitGateways(): NetworkSnapshot {
  const s = reference();
  const owner = REMOTE.owner;
  const { subnetId } = addVpc(s, {
    vpcId: REMOTE.vpcId,
    cidr: REMOTE.cidr,
    subnetCidr: '10.60.0.0/24',
    az: 'us-east-1a',
    routes: [{ DestinationCidrBlock: '0.0.0.0/0', TransitGatewayId: 'tgw-remote', State: 'active' }],
    ownerId: owner,
  });
  addWorkload(s, {
    instanceId: 'i-remote',
    vpcId: REMOTE.vpcId,
    subnetId,
    ip: REMOTE.workload,
    ingressCidr: '10.1.0.0/16',
    port: 443,
  });
  s.TransitGateways!.push({ TransitGatewayId: 'tgw-remote', State: 'available', OwnerId: owner });
  s.TransitGatewayRouteTables!.push({
    TransitGatewayRouteTableId: 'tgw-rtb-remote',
    TransitGatewayId: 'tgw-remote',
    State: 'available',
  });
  s.TransitGatewayVpcAttachments!.push({
    TransitGatewayAttachmentId: 'tgw-attach-remote',
    TransitGatewayId: 'tgw-remote',
    VpcId: REMOTE.vpcId,
    VpcOwnerId: owner,
    State: 'available',
    SubnetIds: [subnetId],
    Options: { ApplianceModeSupport: 'disable' },
  });
  // Both accounts' views of the one peering attachment, each associated on its own gateway.
  s.TransitGatewayAttachments!.push(
    {
      TransitGatewayAttachmentId: 'tgw-attach-remote',
      TransitGatewayId: 'tgw-remote',
      ResourceType: 'vpc',
      ResourceId: REMOTE.vpcId,
      State: 'available',
    },
    {
      TransitGatewayAttachmentId: 'tgw-attach-peer',
      TransitGatewayId: 'tgw-hub',
      ResourceType: 'peering',
      ResourceId: 'tgw-remote',
      ResourceOwnerId: owner,
      State: 'available',
    },
    {
      TransitGatewayAttachmentId: 'tgw-attach-peer',
      TransitGatewayId: 'tgw-remote',
      ResourceType: 'peering',
      ResourceId: 'tgw-hub',
      ResourceOwnerId: '111122223333',
      State: 'available',
    },
  );
  s.TransitGatewayRouteTableAssociations!['tgw-rtb-inspection']!.push({
    TransitGatewayAttachmentId: 'tgw-attach-peer',
    ResourceType: 'peering',
    State: 'associated',
  });
  s.TransitGatewayRouteTableAssociations!['tgw-rtb-remote'] = [
    { TransitGatewayAttachmentId: 'tgw-attach-remote', ResourceType: 'vpc', State: 'associated' },
    { TransitGatewayAttachmentId: 'tgw-attach-peer', ResourceType: 'peering', State: 'associated' },
  ];
  const peer = [{ TransitGatewayAttachmentId: 'tgw-attach-peer', ResourceType: 'peering' as const }];
  s.TransitGatewayRoutes!['tgw-rtb-spoke']!.push({
    DestinationCidrBlock: REMOTE.cidr,
    Type: 'static',
    State: 'active',
    TransitGatewayAttachments: peer,
  });
  s.TransitGatewayRoutes!['tgw-rtb-remote'] = [
    {
      DestinationCidrBlock: REMOTE.cidr,
      Type: 'propagated',
      State: 'active',
      TransitGatewayAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-remote', ResourceType: 'vpc' }],
    },
    { DestinationCidrBlock: '10.1.0.0/16', Type: 'static', State: 'active', TransitGatewayAttachments: peer },
  ];
  return s;
}
