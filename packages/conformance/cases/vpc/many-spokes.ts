import { defaultExpectations } from '@hubspoke/harness';
import { reference } from '../../src/edits';
import type { ConformanceCase } from '../../src/types';

const SPOKES = 300;

const c: ConformanceCase = {
  id: 'vpc/many-spokes',
  behaviour:
    'A Transit Gateway route table routes each of hundreds of spoke VPCs by its own propagated route (up to 10,000 ' +
    'routes, 5,000 attachments): spokes beyond the 255 /16s of 10.0.0.0/8, here 300 /20s, are attached, inspected ' +
    'and answered like the first ones.',
  naive:
    'Spokes are one /16 each in 10.0.0.0/8, so a network has at most 255 of them; the /16 is the plan, not an AWS ' +
    'limit, and the Transit Gateway quotas are far larger.',
  sources: [
    {
      title: 'Amazon VPC Transit Gateways, "Quotas for your transit gateways"',
      url: 'https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-quotas.html',
    },
  ],
  snapshot: () => reference({ spokeCount: SPOKES, spokePrefix: 20, probes: false }),
  expectations: {
    ...defaultExpectations(),
    hosts: {
      'www.amazon.com': '192.0.2.10',
      'checkip.amazonaws.com': '192.0.2.11',
      'example.com': '192.0.2.12',
    },
    egressIpHost: { host: 'checkip.amazonaws.com', port: 443, protocol: 'tls' },
    allow: [{ host: 'www.amazon.com', port: 443, protocol: 'tls' }],
    deny: [],
    eastWest: [],
    run: ['inspected-egress', 'symmetric-return'],
  },
  checks: { 'inspected-egress': 'pass', 'symmetric-return': 'pass' },
  traces: [
    {
      // spoke #300 (spoke-300): the 316th /20 of 10.0.0.0/8, far past 10.255.0.0/16's index.
      name: 'the last spoke reaches the internet through the firewall',
      query: {
        source: { subnetId: 'subnet-spoke-300-workload-b' },
        destination: { ip: '192.0.2.10', port: 443 },
        protocol: 'tcp',
        app: { kind: 'tls', sni: 'www.amazon.com' },
      },
      verdict: 'ALLOWED',
      traceIncludes: ['tgw-rtb-inspection: 10.19.176.0/20 -> tgw-attach-spoke-300 (propagated)'],
    },
  ],
};
export default c;
