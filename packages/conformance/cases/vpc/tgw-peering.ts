import { peeredTransitGateways, REMOTE } from '../../src/peering';
import type { ConformanceCase } from '../../src/types';

const c: ConformanceCase = {
  id: 'vpc/tgw-peering',
  behaviour:
    'A Transit Gateway peering attachment joins two gateways under one attachment id, and each gateway associates ' +
    'it with a route table of its own; static routes to the attachment carry traffic to the other gateway, whose ' +
    'table then routes it.',
  naive:
    'An attachment has one route table association, so the second association (on the peer gateway) is an error ' +
    'and the peer cannot route back; the rule holds per gateway.',
  sources: [
    {
      title: 'Amazon VPC Transit Gateways, "Transit gateway peering attachments"',
      url: 'https://docs.aws.amazon.com/vpc/latest/tgw/tgw-peering.html',
    },
  ],
  snapshot: () => peeredTransitGateways(),
  traces: [
    {
      name: 'spoke-a to a workload behind the peer gateway (another account)',
      query: {
        source: { instanceId: 'i-spoke-a-probe' },
        destination: { ip: REMOTE.workload, port: 443 },
        protocol: 'tcp',
      },
      verdict: 'ALLOWED',
      traceIncludes: [
        'crosses peering attachment tgw-attach-peer from tgw-hub to tgw-remote',
        'tgw-rtb-remote: 10.60.0.0/16 -> tgw-attach-remote (propagated)',
        'crosses peering attachment tgw-attach-peer from tgw-remote to tgw-hub',
      ],
    },
  ],
};
export default c;
