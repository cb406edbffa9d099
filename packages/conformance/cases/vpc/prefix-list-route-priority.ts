import { addPrefixList, reference, setRoute } from '../../src/edits';
import type { ConformanceCase } from '../../src/types';

const S3_LIST = 'pl-63a5400a';

const c: ConformanceCase = {
  id: 'vpc/prefix-list-route-priority',
  behaviour:
    'Routes match by longest prefix first; at equal length a static CIDR route takes priority over a prefix-list ' +
    'route. A static route for one of the S3 list entries keeps that block on the static route.',
  naive:
    'The gateway endpoint route was added for S3, so all S3 traffic uses the endpoint; AWS prefers the static ' +
    'route where both name the same block.',
  sources: [
    {
      title:
        'Amazon VPC User Guide, "How route priority works" (longest prefix, static routes, prefix-list routes)',
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
      RouteTableIds: ['rtb-spoke-a-workload-a'],
    });
    setRoute(s, 'rtb-spoke-a-workload-a', { DestinationPrefixListId: S3_LIST, GatewayId: 'vpce-spoke-a-s3' });
    // The same block as one entry, statically to the Transit Gateway.
    setRoute(s, 'rtb-spoke-a-workload-a', {
      DestinationCidrBlock: '52.216.0.0/15',
      TransitGatewayId: 'tgw-hub',
    });
    return s;
  },
  traces: [
    {
      name: 'the static /15 wins over the equal prefix-list entry',
      query: {
        source: { instanceId: 'i-spoke-a-probe' },
        destination: { ip: '52.216.8.1', port: 443 },
        protocol: 'tcp',
        app: { kind: 'tls', sni: 's3.us-east-1.amazonaws.com' },
      },
      verdict: 'BLOCKED',
      traceIncludes: ['rtb-spoke-a-workload-a: 52.216.0.0/15 -> tgw-hub'],
    },
    {
      name: 'the other entry still uses the endpoint',
      query: {
        source: { instanceId: 'i-spoke-a-probe' },
        destination: { ip: '3.5.1.1', port: 443 },
        protocol: 'tcp',
        app: { kind: 'tls', sni: 's3.us-east-1.amazonaws.com' },
      },
      verdict: 'ALLOWED',
      traceIncludes: ['pl-63a5400a (com.amazonaws.us-east-1.s3: 3.5.0.0/19) -> vpce-spoke-a-s3'],
    },
  ],
};
export default c;
