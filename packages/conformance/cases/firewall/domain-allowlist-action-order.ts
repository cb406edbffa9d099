import { buildHubSpokeSnapshot } from '@hubspoke/netmodel/testing/fixture-builder';
import { AWS_DOMAIN_LISTS, AWS_RULE_ORDER, AWS_SURICATA_EXAMPLES } from '../../src/sources';
import { tlsFromProbe } from '../../src/fixtures';
import type { ConformanceCase } from '../../src/types';

const snapshot = () => buildHubSpokeSnapshot({ ruleOrder: 'DEFAULT_ACTION_ORDER', handshakeRule: false });

const c: ConformanceCase = {
  id: 'firewall/domain-allowlist-action-order',
  behaviour:
    'Under DEFAULT_ACTION_ORDER an ALLOWLIST domain list generates, after its pass rules, a drop of every other TLS ' +
    'ClientHello and HTTP request from HOME_NET.',
  naive:
    'Action order has no stateful default actions, so a flow no pass rule matches passes and example.com is reached; ' +
    'the allowlist brings its own drop rule ("not matching any TLS allowlisted FQDNs"), so example.com is blocked.',
  sources: [AWS_SURICATA_EXAMPLES, AWS_DOMAIN_LISTS, AWS_RULE_ORDER],
  snapshot,
  checks: {
    'deny:example.com:443': 'pass',
    'deny:example.com:80': 'pass',
    'allow:www.amazon.com:443': 'pass',
    'egress-ip': 'pass',
  },
  traces: [
    {
      name: 'example.com over TLS',
      query: tlsFromProbe(snapshot(), 'example.com'),
      verdict: 'BLOCKED',
      traceIncludes: [
        'client data (client -> server): drop by domain-list rule sid 5 in hubspoke-dev-domains [scope: whole flow',
        'msg:"not matching any TLS allowlisted FQDNs"',
      ],
    },
  ],
};
export default c;
