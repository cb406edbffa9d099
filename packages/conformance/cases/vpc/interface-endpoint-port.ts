import { reference, securityGroup } from '../../src/edits';
import type { ConformanceCase } from '../../src/types';

const probe = { instanceId: 'i-spoke-a-probe' };

const c: ConformanceCase = {
  id: 'vpc/interface-endpoint-port',
  behaviour:
    "An interface endpoint of an AWS service answers the service's port (HTTPS, 443) and nothing else, even when " +
    'its security group admits more.',
  naive:
    "The endpoint's security group admits every TCP port from the VPC, so port 22 connects too; the endpoint only " +
    'serves the service on 443.',
  sources: [
    {
      title:
        'AWS PrivateLink guide, "Access an AWS service using an interface VPC endpoint" (HTTPS from the clients)',
      url: 'https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html',
    },
  ],
  snapshot: () => {
    const s = reference();
    securityGroup(s, 'sg-spoke-a-endpoints').IpPermissions = [
      { IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, IpRanges: [{ CidrIp: '10.1.0.0/16' }] },
    ];
    return s;
  },
  traces: [
    {
      name: 'the ssm endpoint on 443',
      query: { source: probe, destination: { ip: '10.1.0.20', port: 443 }, protocol: 'tcp' },
      verdict: 'ALLOWED',
    },
    {
      name: 'the ssm endpoint on 22',
      query: { source: probe, destination: { ip: '10.1.0.20', port: 22 }, protocol: 'tcp' },
      verdict: 'BLOCKED',
      traceIncludes: ['vpce-spoke-a-ssm (ssm) answers only TCP 443, not tcp/22'],
    },
  ],
};
export default c;
