import { peeredSharedServices } from '../../src/peering';
import { setRoute } from '../../src/edits';
import type { ConformanceCase } from '../../src/types';

const c: ConformanceCase = {
  id: 'vpc/vpc-peering-not-transitive',
  behaviour:
    "A peering connection delivers only to the peer VPC's own addresses: spoke-a cannot reach a third network " +
    'through the shared-services VPC, whatever the shared VPC routes.',
  naive:
    'spoke-a routes 10.2.0.0/16 to the shared VPC, which routes it on toward spoke-b, so the traffic gets there; ' +
    'AWS supports neither transitive peering nor edge-to-edge routing through a peer.',
  sources: [
    {
      title: 'Amazon VPC Peering guide, "VPC peering limitations"',
      url: 'https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html#vpc-peering-limitations',
    },
  ],
  snapshot: () => {
    const s = peeredSharedServices();
    setRoute(s, 'rtb-spoke-a-workload-a', {
      DestinationCidrBlock: '10.2.0.0/16',
      VpcPeeringConnectionId: 'pcx-shared',
    });
    setRoute(s, 'rtb-shared', { DestinationCidrBlock: '10.2.0.0/16', TransitGatewayId: 'tgw-hub' });
    return s;
  },
  traces: [
    {
      name: 'spoke-a to spoke-b through the shared VPC',
      query: {
        source: { instanceId: 'i-spoke-a-probe' },
        destination: { ip: '10.2.0.10', port: 443 },
        protocol: 'tcp',
      },
      verdict: 'BLOCKED',
      traceIncludes: [
        'pcx-shared delivers only to vpc-shared (10.50.0.0/16): 10.2.0.10 is beyond it, and a peering connection is not transitive',
      ],
    },
  ],
};
export default c;
