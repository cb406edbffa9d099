import { reference, setDnsAttribute } from '../../src/edits';
import type { ConformanceCase } from '../../src/types';

const c: ConformanceCase = {
  id: 'vpc/ssm-dns-hostnames-off',
  behaviour:
    "With enableDnsHostnames off, an interface endpoint's private DNS is not in effect: the SSM agent resolves " +
    'ssm.<region>.amazonaws.com to the public service and its traffic goes where a public destination goes ' +
    '(through the firewall, whose SNI allowlist drops it).',
  naive:
    'The ssm, ssmmessages and ec2messages endpoints exist and their security group admits 443 from the VPC, so ' +
    'the agent connects; AWS applies private DNS only when both enableDnsSupport and enableDnsHostnames are on.',
  sources: [
    {
      title: 'AWS PrivateLink guide, "Access an AWS service using an interface VPC endpoint" (DNS hostnames)',
      url: 'https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html',
    },
    {
      title: 'Amazon VPC User Guide, "DNS attributes for your VPC"',
      url: 'https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html',
    },
  ],
  snapshot: () => {
    const s = reference();
    setDnsAttribute(s, 'vpc-spoke-a', 'EnableDnsHostnames', false);
    return s;
  },
  checks: { 'ssm-reachable': 'fail', 'allow:www.amazon.com:443': 'pass' },
  traces: [
    {
      name: 'the agent resolves ssm publicly and the firewall drops it',
      query: {
        source: { instanceId: 'i-spoke-a-probe' },
        destination: { host: 'ssm.us-east-1.amazonaws.com', port: 443 },
        protocol: 'tcp',
        app: { kind: 'tls', sni: 'ssm.us-east-1.amazonaws.com' },
      },
      verdict: 'BLOCKED',
      traceIncludes: [
        'enableDnsHostnames is false on vpc-spoke-a: the private DNS of vpce-spoke-a-ssm is not in effect',
        'hubspoke-dev drops the client data',
      ],
    },
    {
      name: 'in spoke-b (both attributes on) it reaches the endpoint',
      query: {
        source: { instanceId: 'i-spoke-b-probe' },
        destination: { host: 'ssm.us-east-1.amazonaws.com', port: 443 },
        protocol: 'tcp',
        app: { kind: 'tls', sni: 'ssm.us-east-1.amazonaws.com' },
      },
      verdict: 'ALLOWED',
      traceIncludes: [
        'private DNS of vpce-spoke-b-ssm; enableDnsSupport and enableDnsHostnames are true on vpc-spoke-b',
      ],
    },
  ],
};
export default c;
