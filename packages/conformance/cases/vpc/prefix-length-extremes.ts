import { reference, setRoute } from '../../src/edits';
import { tlsFromProbe } from '../../src/fixtures';
import type { ConformanceCase } from '../../src/types';

const c: ConformanceCase = {
  id: 'vpc/prefix-length-extremes',
  behaviour:
    'Routes match by longest prefix over the whole range of lengths: a /32 host route beats the /0 default route ' +
    'for its one address and no other, whatever the order of the routes.',
  naive:
    'The 0.0.0.0/0 route to the Transit Gateway covers every address (or: the host route was added last, so it is ' +
    'ignored); AWS takes the most specific match, and a /32 covers exactly one address.',
  sources: [
    {
      title: 'Amazon VPC User Guide, "How route priority works" (longest prefix match)',
      url: 'https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html',
    },
  ],
  snapshot: () => {
    const s = reference();
    // A host route for www.amazon.com's address to a blackhole (a deleted NAT gateway, say).
    setRoute(s, 'rtb-spoke-a-workload-a', {
      DestinationCidrBlock: '192.0.2.10/32',
      NatGatewayId: 'nat-0deleted',
      State: 'blackhole',
    });
    return s;
  },
  traces: [
    {
      name: 'the /32 decides for its address',
      query: tlsFromProbe(reference(), 'www.amazon.com'),
      verdict: 'BLOCKED',
      traceIncludes: ['rtb-spoke-a-workload-a: 192.0.2.10/32 -> nat-0deleted (blackhole)'],
    },
    {
      name: 'the next address takes the /0',
      query: tlsFromProbe(reference(), 'checkip.amazonaws.com'),
      verdict: 'ALLOWED',
      traceIncludes: ['rtb-spoke-a-workload-a: 0.0.0.0/0 -> tgw-hub'],
    },
  ],
};
export default c;
