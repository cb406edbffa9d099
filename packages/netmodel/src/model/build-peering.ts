/**
 * VPC peering connections (`VpcPeeringConnections`, the DescribeVpcPeeringConnections shape): each
 * side's VPC, owner, region and the CIDRs the connection carries. A side whose VPC is not in the
 * snapshot (another account or region) is kept by id: a path into it is reported as not modelled.
 *
 * Amazon VPC Peering guide, "VPC peering connection lifecycle" and "VPC peering limitations":
 * https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html
 */
import type { VpcPeeringConnectionVpcInfo } from '@aws-sdk/client-ec2';
import { parseCidr } from '../ip/cidr';
import { lower } from './build-context';
import type { BuildContext } from './build-context';
import { at, snapshotError } from './errors';
import type { PeeringSide } from './types';

export function indexPeerings(ctx: BuildContext): void {
  (ctx.s.VpcPeeringConnections ?? []).forEach((p, i) => {
    const id = ctx.requireId('VpcPeeringConnections', i, p.VpcPeeringConnectionId, 'VpcPeeringConnectionId');
    if (ctx.m.peerings.has(id))
      throw snapshotError('VpcPeeringConnections', i, id, 'duplicate VpcPeeringConnectionId');
    const side = (info: VpcPeeringConnectionVpcInfo | undefined, field: string): PeeringSide => {
      if (!info?.VpcId) throw snapshotError('VpcPeeringConnections', i, id, `${field}.VpcId missing`);
      const texts = new Set<string>();
      if (info.CidrBlock) texts.add(info.CidrBlock);
      for (const c of info.CidrBlockSet ?? []) if (c.CidrBlock) texts.add(c.CidrBlock);
      // A side without CIDRs in the response carries its VPC's CIDRs when the VPC is in the snapshot.
      const cidrs =
        texts.size > 0
          ? [...texts].map((t) =>
              at('VpcPeeringConnections', i, id, () =>
                parseCidr(t, { hostBits: 'clear', what: `${field}.CidrBlockSet[].CidrBlock` }),
              ),
            )
          : (ctx.m.vpcs.get(info.VpcId)?.cidrs ?? []);
      return {
        vpcId: info.VpcId,
        ...(info.OwnerId ? { ownerId: info.OwnerId } : {}),
        ...(info.Region ? { region: info.Region } : {}),
        cidrs,
      };
    };
    ctx.m.peerings.set(id, {
      id,
      state: lower(p.Status?.Code) || 'active',
      requester: side(p.RequesterVpcInfo, 'RequesterVpcInfo'),
      accepter: side(p.AccepterVpcInfo, 'AccepterVpcInfo'),
    });
  });
}
