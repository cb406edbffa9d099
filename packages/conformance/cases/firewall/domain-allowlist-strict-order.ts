import { buildHubSpokeSnapshot } from '@hubspoke/netmodel/testing/fixture-builder';
import { AWS_BP_CUSTOMER_RULES, AWS_DOMAIN_LISTS, AWS_SURICATA_EXAMPLES } from '../../src/sources';
import { tlsFromProbe } from '../../src/fixtures';
import type { ConformanceCase } from '../../src/types';

/** The reference allowlist (priority 100), then a rules file that also allows example.com (priority 300). */
const snapshot = () =>
  buildHubSpokeSnapshot({
    extraRules:
      'pass tls $HOME_NET any -> $EXTERNAL_NET any (tls.sni; content:"example.com"; startswith; nocase; endswith; msg:"partner"; sid:60;)',
  });

const c: ConformanceCase = {
  id: 'firewall/domain-allowlist-strict-order',
  behaviour:
    'Under STRICT_ORDER an ALLOWLIST domain list generates only its pass rules, not the "not matching any ... ' +
    'allowlisted FQDNs" drops: a domain it does not list falls through to later rule groups and the default actions.',
  naive:
    'The allowlist drops every TLS flow whose SNI it does not list (the generated rules AWS documents end with that ' +
    'drop), so the later rules file never sees example.com; in strict order there is no such drop, and sid 60 passes it.',
  sources: [AWS_BP_CUSTOMER_RULES, AWS_SURICATA_EXAMPLES, AWS_DOMAIN_LISTS],
  snapshot,
  checks: {
    'deny:example.com:443': 'fail',
    'deny:example.com:80': 'pass',
    'allow:www.amazon.com:443': 'pass',
  },
  traces: [
    {
      name: 'example.com over TLS',
      query: tlsFromProbe(snapshot(), 'example.com'),
      verdict: 'ALLOWED',
      traceIncludes: ['client data (client -> server): pass by stateful rule sid 60 in hubspoke-dev-custom'],
    },
  ],
};
export default c;
