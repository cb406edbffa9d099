import { reference } from '../../src/edits';
import { tlsFromProbe } from '../../src/fixtures';
import type { ConformanceCase } from '../../src/types';

const c: ConformanceCase = {
  id: 'vpc/nat-and-endpoint-not-available',
  behaviour:
    'A NAT gateway processes traffic only when available, and an interface endpoint answers only when available: ' +
    'a pending NAT gateway drops the egress of its AZ, a pending endpoint leaves SSM unreachable.',
  naive:
    'The routes point at the NAT gateway and the endpoint ENIs hold their addresses, so both work; AWS describes ' +
    'a NAT gateway as able to process traffic only in the available state, and an endpoint likewise.',
  sources: [
    {
      title: 'Amazon EC2 API Reference, "NatGateway" (State: available - able to process traffic)',
      url: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NatGateway.html',
    },
    {
      title: 'Amazon EC2 API Reference, "VpcEndpoint" (State)',
      url: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpcEndpoint.html',
    },
  ],
  snapshot: () => {
    const s = reference();
    s.NatGateways!.find((n) => n.NatGatewayId === 'nat-a')!.State = 'pending';
    s.VpcEndpoints!.find((e) => e.VpcEndpointId === 'vpce-spoke-b-ssm')!.State = 'Pending';
    return s;
  },
  checks: { 'allow:www.amazon.com:443': 'fail', 'egress-ip': 'fail', 'ssm-reachable': 'fail' },
  traces: [
    {
      name: 'egress through us-east-1a stops at the pending NAT gateway',
      query: tlsFromProbe(reference(), 'www.amazon.com'),
      verdict: 'PARTIAL',
      traceIncludes: ['nat-a is pending: a NAT gateway that is not available does not forward'],
    },
    {
      name: 'the pending ssm endpoint answers nothing',
      query: {
        source: { instanceId: 'i-spoke-b-probe' },
        destination: { host: 'ssm.us-east-1.amazonaws.com', port: 443 },
        protocol: 'tcp',
        app: { kind: 'tls', sni: 'ssm.us-east-1.amazonaws.com' },
      },
      verdict: 'BLOCKED',
      traceIncludes: [
        'vpce-spoke-b-ssm is pending: an interface endpoint that is not available answers nothing',
      ],
    },
  ],
};
export default c;
