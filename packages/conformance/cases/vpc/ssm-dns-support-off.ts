import { reference, setDnsAttribute } from '../../src/edits';
import type { ConformanceCase } from '../../src/types';

const c: ConformanceCase = {
  id: 'vpc/ssm-dns-support-off',
  behaviour:
    'With enableDnsSupport off the Amazon DNS server does not answer for the VPC: the SSM agent cannot resolve ' +
    'its service names, so it reaches nothing, whatever the routes and endpoints allow.',
  naive:
    'Endpoints, security groups and routes all admit HTTPS to the endpoints, so SSM works; no name resolves ' +
    'without DNS resolution in the VPC.',
  sources: [
    {
      title: 'Amazon VPC User Guide, "DNS attributes for your VPC" (enableDnsSupport)',
      url: 'https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html',
    },
  ],
  snapshot: () => {
    const s = reference();
    setDnsAttribute(s, 'vpc-spoke-b', 'EnableDnsSupport', false);
    return s;
  },
  checks: { 'ssm-reachable': 'fail' },
  traces: [
    {
      name: 'the name does not resolve',
      query: {
        source: { instanceId: 'i-spoke-b-probe' },
        destination: { host: 'ec2messages.us-east-1.amazonaws.com', port: 443 },
        protocol: 'tcp',
        app: { kind: 'tls', sni: 'ec2messages.us-east-1.amazonaws.com' },
      },
      verdict: 'BLOCKED',
      traceIncludes: ['enableDnsSupport is false on vpc-spoke-b'],
    },
  ],
};
export default c;
