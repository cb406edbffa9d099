import { defaultExpectations } from '@hubspoke/harness';
import { addPrefixList, reference, setRoute } from '../../src/edits';
import type { ConformanceCase } from '../../src/types';

const S3_LIST = 'pl-63a5400a';

const c: ConformanceCase = {
  id: 'vpc/gateway-endpoint-prefix-list',
  behaviour:
    "A gateway endpoint route has the service's AWS-managed prefix list as its destination: traffic to an address " +
    'in that list goes to S3 through the endpoint, not through the default route to the Transit Gateway and the firewall.',
  naive:
    'The route table sends 0.0.0.0/0 to the Transit Gateway; a route without a DestinationCidrBlock matches nothing, ' +
    'so S3 traffic goes to the firewall, whose allowlist drops it. AWS matches the prefix-list entries as destinations.',
  sources: [
    {
      title: 'AWS PrivateLink guide, "Gateway endpoints" (routing)',
      url: 'https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html',
    },
    {
      title: 'Amazon VPC User Guide, "How route priority works" (prefix lists)',
      url: 'https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html',
    },
  ],
  snapshot: () => {
    const s = reference();
    addPrefixList(s, S3_LIST, 'com.amazonaws.us-east-1.s3', ['52.216.0.0/15', '3.5.0.0/19'], 'AWS');
    s.VpcEndpoints!.push({
      VpcEndpointId: 'vpce-spoke-a-s3',
      VpcEndpointType: 'Gateway',
      VpcId: 'vpc-spoke-a',
      ServiceName: 'com.amazonaws.us-east-1.s3',
      State: 'Available',
      RouteTableIds: ['rtb-spoke-a-workload-a', 'rtb-spoke-a-workload-b'],
    });
    for (const rt of ['rtb-spoke-a-workload-a', 'rtb-spoke-a-workload-b'])
      setRoute(s, rt, { DestinationPrefixListId: S3_LIST, GatewayId: 'vpce-spoke-a-s3' });
    return s;
  },
  expectations: {
    ...defaultExpectations(),
    hosts: {
      's3.us-east-1.amazonaws.com': '52.216.8.1',
      'www.amazon.com': '192.0.2.10',
      'checkip.amazonaws.com': '192.0.2.11',
      'example.com': '192.0.2.12',
    },
    egressIpHost: { host: 'checkip.amazonaws.com', port: 443, protocol: 'tls' },
    allow: [{ host: 's3.us-east-1.amazonaws.com', port: 443, protocol: 'tls' }],
    deny: [{ host: 'example.com', port: 443, protocol: 'tls' }],
    eastWest: [],
    probes: ['spoke-a-probe'],
    run: ['allow', 'deny'],
  },
  checks: { 'allow:s3.us-east-1.amazonaws.com:443': 'pass', 'deny:example.com:443': 'pass' },
  traces: [
    {
      name: 'S3 through the gateway endpoint',
      query: {
        source: { instanceId: 'i-spoke-a-probe' },
        destination: { ip: '52.216.8.1', port: 443 },
        protocol: 'tcp',
        app: { kind: 'tls', sni: 's3.us-east-1.amazonaws.com' },
      },
      verdict: 'ALLOWED',
      traceIncludes: [
        'rtb-spoke-a-workload-a: pl-63a5400a (com.amazonaws.us-east-1.s3: 52.216.0.0/15) -> vpce-spoke-a-s3',
        'gateway endpoint vpce-spoke-a-s3 (com.amazonaws.us-east-1.s3) takes 52.216.8.1 (in pl-63a5400a) to the service',
      ],
    },
    {
      name: 'spoke-b has no endpoint: S3 goes to the firewall, which drops it',
      query: {
        source: { instanceId: 'i-spoke-b-probe' },
        destination: { ip: '52.216.8.1', port: 443 },
        protocol: 'tcp',
        app: { kind: 'tls', sni: 's3.us-east-1.amazonaws.com' },
      },
      verdict: 'BLOCKED',
    },
  ],
};
export default c;
