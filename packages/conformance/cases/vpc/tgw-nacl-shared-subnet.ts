import type { NetworkSnapshot } from '@hubspoke/netmodel';
import { naclEntry, reference, setNacl } from '../../src/edits';
import type { ConformanceCase } from '../../src/types';

/**
 * spoke-a attaches the transit gateway in its workload subnets (the attachment ENIs share the
 * subnet with the probe), and those subnets get a network ACL of their own.
 */
function sharedSubnets(inbound: ReturnType<typeof naclEntry>[]): NetworkSnapshot {
  // One AZ: the reply then re-enters the VPC through the attachment ENI of the probe's own subnet
  // (with two, a reply may come back through the other AZ's subnet and meet the ACL from outside).
  const s = reference({ azs: ['us-east-1a'] });
  const att = s.TransitGatewayVpcAttachments!.find(
    (a) => a.TransitGatewayAttachmentId === 'tgw-attach-spoke-a',
  )!;
  att.SubnetIds = ['subnet-spoke-a-workload-a'];
  for (const eni of s.NetworkInterfaces ?? [])
    if (eni.InterfaceType === 'transit_gateway' && eni.VpcId === 'vpc-spoke-a')
      eni.SubnetId = eni.SubnetId!.replace('-tgw-', '-workload-');
  setNacl(
    s,
    'vpc-spoke-a',
    'acl-spoke-a-workload',
    ['subnet-spoke-a-workload-a'],
    [naclEntry(100, 'out', 'allow', '0.0.0.0/0'), ...inbound],
  );
  return s;
}

const SOURCES = [
  {
    title:
      'Amazon VPC Transit Gateways, "Network ACLs for transit gateways" (same subnet for EC2 instances and the attachment)',
    url: 'https://docs.aws.amazon.com/vpc/latest/tgw/tgw-nacls.html',
  },
];

const query = {
  source: { instanceId: 'i-spoke-a-probe' },
  destination: { ip: '192.0.2.10', port: 443 },
  protocol: 'tcp' as const,
  app: { kind: 'tls' as const, sni: 'www.amazon.com' },
};

const c: ConformanceCase = {
  id: 'vpc/tgw-nacl-shared-subnet',
  behaviour:
    'When workloads and the TGW attachment ENI share a subnet, traffic from the instances to the transit gateway ' +
    "is evaluated by that subnet's network ACL outbound (by destination) and inbound (by source); traffic from " +
    'the transit gateway to the instances by neither. An ACL admitting only the VPC inbound still lets the ' +
    'internet reply in.',
  naive:
    'The ACL admits nothing inbound from the internet, so the reply from www.amazon.com is dropped at the subnet; ' +
    'AWS does not evaluate the ACL for traffic from the transit gateway to instances in its attachment subnet.',
  sources: SOURCES,
  // Inbound: only the VPC itself (the requests' own sources), nothing from the internet.
  snapshot: () => sharedSubnets([naclEntry(100, 'in', 'allow', '10.1.0.0/16')]),
  checks: { 'allow:www.amazon.com:443': 'pass' },
  traces: [
    {
      name: 'the reply from the internet crosses no ACL',
      query,
      verdict: 'ALLOWED',
      traceIncludes: [
        'inbound (by source)',
        'not evaluated: traffic from the transit gateway to a host in its attachment subnet subnet-spoke-a-workload-a',
      ],
    },
  ],
};
export default c;
