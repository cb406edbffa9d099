import { buildHubSpokeSnapshot } from '@hubspoke/netmodel/testing/fixture-builder';
import { tlsFromProbe } from '../../src/fixtures';
import type { ConformanceCase } from '../../src/types';

const c: ConformanceCase = {
  id: 'baseline/reference-network',
  behaviour:
    'The reference hub-and-spoke network (appliance mode, HOME_NET = supernet, handshake rule, domain allowlist, ' +
    'aws:drop_strict) egresses through a NAT EIP, allows the allowlisted SNI and drops the rest.',
  naive:
    'A strict-order policy with aws:drop_strict drops the TCP handshake before any SNI is seen, so nothing is ' +
    'allowed; the handshake rule written with <> passes both directions of the handshake.',
  sources: [
    {
      title: 'AWS Network Firewall developer guide, "Stateful domain list rule groups"',
      url: 'https://docs.aws.amazon.com/network-firewall/latest/developerguide/stateful-rule-groups-domain-names.html',
    },
    {
      title:
        'AWS Network Firewall developer guide, "Action order" (strict evaluation order, default actions)',
      url: 'https://docs.aws.amazon.com/network-firewall/latest/developerguide/suricata-rule-evaluation-order.html',
    },
  ],
  snapshot: () => buildHubSpokeSnapshot(),
  checks: {
    'egress-ip': 'pass',
    'allow:www.amazon.com:443': 'pass',
    'deny:example.com:443': 'pass',
    'inspected-egress': 'pass',
    'symmetric-return': 'pass',
  },
  traces: [
    {
      name: 'allowlisted SNI',
      query: tlsFromProbe(buildHubSpokeSnapshot(), 'www.amazon.com'),
      verdict: 'ALLOWED',
    },
    {
      name: 'SNI outside the allowlist',
      query: tlsFromProbe(buildHubSpokeSnapshot(), 'example.com'),
      verdict: 'BLOCKED',
    },
  ],
};
export default c;
