import { DEFAULT_ALLOWED_DOMAINS } from '@hubspoke/netmodel';
import { reference } from '../../src/edits';
import type { ConformanceCase } from '../../src/types';

const c: ConformanceCase = {
  id: 'vpc/ssm-private-dns-off-public-path',
  behaviour:
    'With private DNS off on the SSM endpoints the agent uses the public service names; where the firewall ' +
    'allows them (an *.amazonaws.com allowlist entry), the agent reaches Systems Manager through the NAT gateway.',
  naive:
    'Private DNS off means the endpoints are not used, so the agent cannot connect; AWS resolves the public name ' +
    'and the traffic takes the internet path, which here is open.',
  sources: [
    {
      title:
        'AWS Systems Manager User Guide, "Improve the security of EC2 instances by using VPC endpoints for Systems Manager"',
      url: 'https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html',
    },
    {
      title: 'AWS PrivateLink guide, "Access an AWS service using an interface VPC endpoint" (private DNS)',
      url: 'https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html',
    },
  ],
  snapshot: () => {
    const s = reference({ allowedDomains: [...DEFAULT_ALLOWED_DOMAINS, '.amazonaws.com'] });
    for (const e of s.VpcEndpoints ?? []) if (e.VpcEndpointType === 'Interface') e.PrivateDnsEnabled = false;
    return s;
  },
  checks: { 'ssm-reachable': 'pass' },
  traces: [
    {
      name: 'ssmmessages over the public path',
      query: {
        source: { instanceId: 'i-spoke-a-probe' },
        destination: { host: 'ssmmessages.us-east-1.amazonaws.com', port: 443 },
        protocol: 'tcp',
        app: { kind: 'tls', sni: 'ssmmessages.us-east-1.amazonaws.com' },
      },
      verdict: 'ALLOWED',
      traceIncludes: ['private DNS is off on vpce-spoke-a-ssmmessages', 'nat-gateway'],
    },
  ],
};
export default c;
