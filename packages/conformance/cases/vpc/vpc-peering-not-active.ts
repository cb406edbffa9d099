import { peeredSharedServices } from '../../src/peering';
import type { ConformanceCase } from '../../src/types';

const c: ConformanceCase = {
  id: 'vpc/vpc-peering-not-active',
  behaviour:
    'Only an active peering connection carries traffic: one pending acceptance drops it, naming the state.',
  naive:
    'Both route tables point at the peering connection, so traffic flows; AWS forwards only once it is active.',
  sources: [
    {
      title: 'Amazon VPC Peering guide, "VPC peering connection lifecycle"',
      url: 'https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html#vpc-peering-lifecycle',
    },
  ],
  snapshot: () => peeredSharedServices('pending-acceptance'),
  traces: [
    {
      name: 'spoke-a to the shared-services workload',
      query: {
        source: { instanceId: 'i-spoke-a-probe' },
        destination: { ip: '10.50.0.10', port: 443 },
        protocol: 'tcp',
      },
      verdict: 'BLOCKED',
      traceIncludes: ['pcx-shared is pending-acceptance: only an active peering connection carries traffic'],
    },
  ],
};
export default c;
