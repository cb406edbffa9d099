import { reference, setRoute } from '../../src/edits';
import type { ConformanceCase } from '../../src/types';

const c: ConformanceCase = {
  id: 'vpc/vgw-on-premises',
  behaviour:
    'A route to a virtual private gateway leaves the VPC toward on-premises networks: a distinct end, like the ' +
    'internet, that bypasses the Transit Gateway and the firewall.',
  naive:
    'The destination is in no VPC and the default route goes to the Transit Gateway, so the flow is inspected (or ' +
    'dropped); the more specific route to the VGW takes it to on-premises first.',
  sources: [
    {
      title: 'AWS Site-to-Site VPN User Guide, "Route tables and AWS Site-to-Site VPN route priority"',
      url: 'https://docs.aws.amazon.com/vpn/latest/s2svpn/vpn-route-priority.html',
    },
  ],
  snapshot: () => {
    const s = reference();
    setRoute(s, 'rtb-spoke-a-workload-a', {
      DestinationCidrBlock: '172.16.0.0/12',
      GatewayId: 'vgw-0datacenter',
    });
    return s;
  },
  traces: [
    {
      name: 'spoke-a to the data centre',
      query: {
        source: { instanceId: 'i-spoke-a-probe' },
        destination: { ip: '172.16.5.5', port: 443 },
        protocol: 'tcp',
      },
      verdict: 'ALLOWED',
      traceIncludes: [
        'leaves vpc-spoke-a through vgw-0datacenter toward on-premises networks',
        'firewall endpoints: none',
      ],
    },
  ],
};
export default c;
