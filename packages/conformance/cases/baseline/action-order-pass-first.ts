import { buildHubSpokeSnapshot } from '@hubspoke/netmodel/testing/fixture-builder';
import { AWS_RULE_ORDER } from '../../src/sources';
import { addStatefulGroup, tlsFromProbe } from '../../src/fixtures';
import type { ConformanceCase } from '../../src/types';

/** Action order: the allowlist, and an explicit drop of www.amazon.com in a group referenced first. */
const snapshot = () =>
  addStatefulGroup(buildHubSpokeSnapshot({ ruleOrder: 'DEFAULT_ACTION_ORDER', handshakeRule: false }), {
    name: 'block-www',
    priority: 0,
    rules:
      'drop tls $HOME_NET any -> $EXTERNAL_NET any (tls.sni; content:"www.amazon.com"; startswith; nocase; endswith; msg:"no www"; sid:100;)',
  });

const c: ConformanceCase = {
  id: 'baseline/action-order-pass-first',
  behaviour:
    'Under DEFAULT_ACTION_ORDER every pass rule is evaluated before any drop rule, whatever the order of groups and ' +
    'rules: an allowlisted domain passes even when a drop rule for it is referenced first.',
  naive:
    'The drop of www.amazon.com comes first, so it is blocked; action order evaluates the pass rules first, and the ' +
    'allowlist passes it.',
  sources: [AWS_RULE_ORDER],
  snapshot,
  checks: { 'allow:www.amazon.com:443': 'pass' },
  traces: [
    {
      name: 'allowlisted SNI with a drop rule for it',
      query: tlsFromProbe(snapshot(), 'www.amazon.com'),
      verdict: 'ALLOWED',
      traceIncludes: [
        'client data (client -> server): pass by domain-list rule sid 1 in hubspoke-dev-domains',
      ],
    },
  ],
};
export default c;
