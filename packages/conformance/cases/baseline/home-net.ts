import { buildHubSpokeSnapshot } from '@hubspoke/netmodel/testing/fixture-builder';
import { AWS_BP_POLICY, AWS_HOME_NET, AWS_TROUBLESHOOTING_RULES } from '../../src/sources';
import { tlsFromProbe } from '../../src/fixtures';
import type { ConformanceCase } from '../../src/types';

/** Neither the policy nor the domain list group sets HOME_NET: it defaults to the inspection VPC. */
const snapshot = () => buildHubSpokeSnapshot({ homeNet: null });

const c: ConformanceCase = {
  id: 'baseline/home-net',
  behaviour:
    'HOME_NET defaults to the CIDR of the VPC holding the firewall; in a centralized design the generated domain ' +
    'rules ($HOME_NET -> $EXTERNAL_NET) then never match spoke traffic.',
  naive:
    'www.amazon.com is on the allowlist, so spokes reach it; the spokes (10.1.0.0/16, 10.2.0.0/16) are outside the ' +
    'default HOME_NET (10.0.0.0/16), no pass rule matches and aws:drop_strict drops the flow.',
  sources: [AWS_HOME_NET, AWS_TROUBLESHOOTING_RULES, AWS_BP_POLICY],
  snapshot,
  checks: { 'allow:www.amazon.com:443': 'fail', 'egress-ip': 'fail', 'deny:example.com:443': 'pass' },
  traces: [
    {
      name: 'allowlisted SNI',
      query: tlsFromProbe(snapshot(), 'www.amazon.com'),
      verdict: 'BLOCKED',
      traceIncludes: [
        'client data (client -> server): drop by stateful default action aws:drop_strict',
        'source 10.1.0.10 is outside HOME_NET of',
      ],
    },
  ],
};
export default c;
