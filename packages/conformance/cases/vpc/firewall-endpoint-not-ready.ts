import { reference } from '../../src/edits';
import { tlsFromProbe } from '../../src/fixtures';
import type { ConformanceCase } from '../../src/types';

const c: ConformanceCase = {
  id: 'vpc/firewall-endpoint-not-ready',
  behaviour:
    'A firewall endpoint forwards only while its sync-state attachment is READY or SCALING; one that is CREATING ' +
    '(or DELETING, FAILED, ERROR) drops what the routes send it, so every path the TGW may pick through its AZ fails.',
  naive:
    'The route to the endpoint and the endpoint id are in place, so traffic is inspected as usual; AWS forwards ' +
    'through an endpoint only once its attachment is READY.',
  sources: [
    {
      title: 'AWS Network Firewall API Reference, "Attachment" (Status)',
      url: 'https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_Attachment.html',
    },
  ],
  snapshot: () => {
    const s = reference();
    s.Firewalls![0]!.FirewallStatus!.SyncStates!['us-east-1b']!.Attachment!.Status = 'CREATING';
    return s;
  },
  checks: { 'allow:www.amazon.com:443': 'fail', 'inspected-egress': 'fail', 'deny:example.com:443': 'pass' },
  traces: [
    {
      name: 'the path through us-east-1b stops at the endpoint',
      query: tlsFromProbe(reference(), 'www.amazon.com'),
      verdict: 'PARTIAL',
      traceIncludes: [
        'vpce-fw-b (hubspoke-dev, us-east-1b) attachment status is CREATING: the endpoint does not forward traffic',
      ],
    },
  ],
};
export default c;
