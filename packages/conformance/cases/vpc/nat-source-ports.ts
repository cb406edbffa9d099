import { naclEntry, reference, setNacl } from '../../src/edits';
import { tlsFromProbe } from '../../src/fixtures';
import type { ConformanceCase } from '../../src/types';

const c: ConformanceCase = {
  id: 'vpc/nat-source-ports',
  behaviour:
    'A NAT gateway picks the source port of each connection from 1024-65535, so the reply comes back to any of ' +
    'those ports: a network ACL on the public subnets that admits only part of the range drops some replies, and ' +
    'every egress check must fail.',
  naive:
    'Clients use ephemeral ports 32768-60999 (Linux), so admitting 32768-65535 back is enough; the port the reply ' +
    'returns to is the one the NAT gateway picked, from 1024-65535.',
  sources: [
    {
      title: 'Amazon VPC User Guide, "Ephemeral ports" (a NAT gateway uses ports 1024-65535)',
      url: 'https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html',
    },
  ],
  snapshot: () => {
    const s = reference();
    setNacl(
      s,
      'vpc-inspection',
      'acl-inspection-public',
      ['subnet-inspection-public-a', 'subnet-inspection-public-b'],
      [
        naclEntry(100, 'out', 'allow', '0.0.0.0/0'),
        // From the firewall subnets (requests to NAT) everything; from the internet only the Linux range.
        naclEntry(90, 'in', 'allow', '10.0.0.0/8'),
        naclEntry(100, 'in', 'allow', '0.0.0.0/0', [32768, 65535]),
      ],
    );
    return s;
  },
  checks: { 'allow:www.amazon.com:443': 'fail', 'egress-ip': 'fail', 'deny:example.com:443': 'pass' },
  traces: [
    {
      name: 'answered on the ports the ACL admits, not on the others',
      query: tlsFromProbe(reference(), 'www.amazon.com'),
      verdict: 'PARTIAL',
      traceIncludes: ['a port of 1024-32767', 'a port of 32768-65535', 'no inbound rule matches tcp/1024'],
    },
  ],
};
export default c;
