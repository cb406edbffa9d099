import { addPrefixList, reference, securityGroup } from '../../src/edits';
import type { ConformanceCase } from '../../src/types';

const c: ConformanceCase = {
  id: 'vpc/prefix-list-security-group',
  behaviour:
    'A security-group rule that references a managed prefix list admits every address of the list: endpoints whose ' +
    'group admits 443 only from a prefix list holding the VPC CIDR are reachable from the VPC.',
  naive:
    'The group lists no CIDR and no group, so it admits nothing and the SSM endpoints are unreachable; AWS matches ' +
    "the prefix list's entries as the rule's sources.",
  sources: [
    {
      title: 'Amazon VPC User Guide, "Reference prefix lists in your AWS resources" (security groups)',
      url: 'https://docs.aws.amazon.com/vpc/latest/userguide/managed-prefix-lists-referencing.html',
    },
  ],
  snapshot: () => {
    const s = reference();
    addPrefixList(s, 'pl-0workloads', 'workloads', ['10.1.0.0/16', '10.2.0.0/16']);
    for (const id of ['sg-spoke-a-endpoints', 'sg-spoke-b-endpoints'])
      securityGroup(s, id).IpPermissions = [
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, PrefixListIds: [{ PrefixListId: 'pl-0workloads' }] },
      ];
    return s;
  },
  checks: { 'ssm-reachable': 'pass' },
  traces: [
    {
      name: 'to the ssm endpoint ENI',
      query: {
        source: { instanceId: 'i-spoke-a-probe' },
        destination: { ip: '10.1.0.20', port: 443 },
        protocol: 'tcp',
        app: { kind: 'tls', sni: 'ssm.us-east-1.amazonaws.com' },
      },
      verdict: 'ALLOWED',
      traceIncludes: ['sg-spoke-a-endpoints: ingress tcp/443 from pl-0workloads'],
    },
  ],
};
export default c;
