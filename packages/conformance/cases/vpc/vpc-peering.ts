import { peeredSharedServices } from '../../src/peering';
import type { ConformanceCase } from '../../src/types';

const c: ConformanceCase = {
  id: 'vpc/vpc-peering',
  behaviour:
    'A route to an active VPC peering connection delivers to the peer VPC, where its network ACL and the ' +
    "destination's security group decide; the reply comes back over the same connection.",
  naive:
    'Peering connections are not part of the hub-and-spoke design, so the route leads nowhere and the flow is ' +
    'blocked; AWS carries it to the peer VPC.',
  sources: [
    {
      title: 'Amazon VPC Peering guide, "How VPC peering connections work"',
      url: 'https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html',
    },
  ],
  snapshot: () => peeredSharedServices(),
  traces: [
    {
      name: 'spoke-a to the shared-services workload',
      query: {
        source: { instanceId: 'i-spoke-a-probe' },
        destination: { ip: '10.50.0.10', port: 443 },
        protocol: 'tcp',
      },
      verdict: 'ALLOWED',
      traceIncludes: ['crosses pcx-shared (active) from vpc-spoke-a to vpc-shared'],
    },
  ],
};
export default c;
