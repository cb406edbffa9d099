import type { NetworkSnapshot } from '@hubspoke/netmodel';
import { naclEntry, reference, setNacl } from '../../src/edits';
import { tlsFromProbe } from '../../src/fixtures';
import type { ConformanceCase } from '../../src/types';

function sharedSubnets(): NetworkSnapshot {
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
  // Outbound: everything. Inbound: the internet yes, the VPC's own addresses no.
  setNacl(
    s,
    'vpc-spoke-a',
    'acl-spoke-a-workload',
    ['subnet-spoke-a-workload-a'],
    [
      naclEntry(100, 'out', 'allow', '0.0.0.0/0'),
      naclEntry(90, 'in', 'deny', '10.0.0.0/8'),
      naclEntry(100, 'in', 'allow', '0.0.0.0/0'),
    ],
  );
  return s;
}

const c: ConformanceCase = {
  id: 'vpc/tgw-nacl-shared-subnet-inbound',
  behaviour:
    "When workloads and the TGW attachment ENI share a subnet, a request toward the transit gateway meets the ACL's " +
    'inbound rules too, evaluated by its source: an ACL that denies the VPC inbound stops the requests.',
  naive:
    'Inbound rules filter traffic entering the subnet; a request leaving for the internet meets only the outbound ' +
    'rules, which allow everything. AWS evaluates both for traffic from instances to a transit gateway in their subnet.',
  sources: [
    {
      title:
        'Amazon VPC Transit Gateways, "Network ACLs for transit gateways" (same subnet for EC2 instances and the attachment)',
      url: 'https://docs.aws.amazon.com/vpc/latest/tgw/tgw-nacls.html',
    },
  ],
  snapshot: sharedSubnets,
  checks: { 'allow:www.amazon.com:443': 'fail', 'inspected-egress': 'fail' },
  traces: [
    {
      name: 'the request is dropped by the inbound rule on its way to the TGW',
      query: tlsFromProbe(reference(), 'www.amazon.com'),
      verdict: 'BLOCKED',
      traceIncludes: [
        'acl-spoke-a-workload: inbound rule 90 deny all from 10.0.0.0/8',
        'outbound (by destination) and inbound (by source)',
      ],
    },
  ],
};
export default c;
