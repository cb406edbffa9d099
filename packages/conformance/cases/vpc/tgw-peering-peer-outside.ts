import { peeredTransitGateways, REMOTE } from '../../src/peering';
import type { ConformanceCase } from '../../src/types';

const c: ConformanceCase = {
  id: 'vpc/tgw-peering-peer-outside',
  behaviour:
    "A static route to a peering attachment whose peer gateway's route tables the snapshot does not hold leads " +
    'where the verifier cannot see: UNKNOWN, naming the peer gateway.',
  naive:
    'The peer gateway is not in the snapshot, so the route leads nowhere and the flow is blocked; its routes were ' +
    'simply not read (another account).',
  sources: [
    {
      title: 'Amazon VPC Transit Gateways, "Transit gateway peering attachments"',
      url: 'https://docs.aws.amazon.com/vpc/latest/tgw/tgw-peering.html',
    },
  ],
  snapshot: () => {
    const s = peeredTransitGateways();
    // Only the hub account's view: no remote gateway, table, association or VPC.
    s.TransitGateways = s.TransitGateways!.filter((t) => t.TransitGatewayId !== 'tgw-remote');
    s.TransitGatewayRouteTables = s.TransitGatewayRouteTables!.filter(
      (t) => t.TransitGatewayId !== 'tgw-remote',
    );
    delete s.TransitGatewayRouteTableAssociations!['tgw-rtb-remote'];
    delete s.TransitGatewayRoutes!['tgw-rtb-remote'];
    s.TransitGatewayAttachments = s.TransitGatewayAttachments!.filter(
      (a) => a.TransitGatewayId !== 'tgw-remote',
    );
    s.TransitGatewayVpcAttachments = s.TransitGatewayVpcAttachments!.filter(
      (a) => a.TransitGatewayId !== 'tgw-remote',
    );
    for (const m of [
      'Vpcs',
      'VpcAttributes',
      'Subnets',
      'RouteTables',
      'NetworkAcls',
      'SecurityGroups',
      'NetworkInterfaces',
      'Instances',
    ] as const)
      (s[m] as { VpcId?: string }[]) = (s[m] as { VpcId?: string }[]).filter((x) => x.VpcId !== REMOTE.vpcId);
    return s;
  },
  traces: [
    {
      name: 'spoke-a toward the peer gateway',
      query: {
        source: { instanceId: 'i-spoke-a-probe' },
        destination: { ip: REMOTE.workload, port: 443 },
        protocol: 'tcp',
      },
      verdict: 'UNKNOWN',
      traceIncludes: [
        'tgw-attach-peer leads to tgw-remote (account 444455556666), whose route tables are not in the snapshot',
      ],
    },
  ],
};
export default c;
