import { reference, routeTable } from '../../src/edits';
import { tlsFromProbe } from '../../src/fixtures';
import type { ConformanceCase } from '../../src/types';

const c: ConformanceCase = {
  id: 'vpc/not-modelled-appliance',
  behaviour:
    'Traffic routed to a Gateway Load Balancer endpoint of a third-party appliance goes wherever the appliance ' +
    'sends it: the verifier cannot tell, so the trace says UNKNOWN naming the endpoint and the checks that depend on ' +
    'it are unknown, never passed as "blocked".',
  naive:
    'The model does not know the target, so the traffic is dropped and the deny checks pass; whether the appliance ' +
    'forwards it is outside the snapshot, so the honest verdict is "cannot tell".',
  sources: [
    {
      title:
        'Elastic Load Balancing, "Gateway Load Balancer endpoints" (traffic goes to the appliances behind the endpoint)',
      url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/gateway/introduction.html',
    },
  ],
  snapshot: () => {
    const s = reference();
    s.VpcEndpoints!.push({
      VpcEndpointId: 'vpce-appliance',
      VpcEndpointType: 'GatewayLoadBalancer',
      VpcId: 'vpc-inspection',
      ServiceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0partner',
      State: 'Available',
      SubnetIds: ['subnet-inspection-firewall-a'],
    });
    for (const id of ['rtb-inspection-tgw-a', 'rtb-inspection-tgw-b']) {
      const rt = routeTable(s, id);
      rt.Routes = rt.Routes!.map((r) =>
        r.DestinationCidrBlock === '0.0.0.0/0' ? { ...r, GatewayId: 'vpce-appliance' } : r,
      );
    }
    return s;
  },
  checks: {
    'deny:example.com:443': 'unknown',
    'allow:www.amazon.com:443': 'unknown',
    'inspected-egress': 'unknown',
  },
  traces: [
    {
      name: 'egress meets the appliance endpoint',
      query: tlsFromProbe(reference(), 'example.com'),
      verdict: 'UNKNOWN',
      traceIncludes: [
        'UNKNOWN',
        'vpce-appliance (GatewayLoadBalancer) is not a Network Firewall endpoint: the appliance behind it is not modelled',
      ],
    },
  ],
};
export default c;
