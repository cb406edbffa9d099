import { buildHubSpokeSnapshot } from '@hubspoke/netmodel/testing/fixture-builder';
import { AWS_RULE_ORDER } from '../../src/sources';
import { addStatefulGroup, tlsFromProbe } from '../../src/fixtures';
import type { ConformanceCase } from '../../src/types';

/** Strict order: a drop of www.amazon.com in a group at priority 50, before the allowlist (100). */
const snapshot = () =>
  addStatefulGroup(buildHubSpokeSnapshot(), {
    name: 'block-www',
    priority: 50,
    rules:
      'drop tls $HOME_NET any -> $EXTERNAL_NET any (tls.sni; content:"www.amazon.com"; startswith; nocase; endswith; msg:"no www"; sid:100;)',
  });

const c: ConformanceCase = {
  id: 'baseline/strict-order-first-match',
  behaviour:
    'Under STRICT_ORDER rule groups are evaluated by priority and rules as written; the first pass, drop or reject ' +
    'that matches decides, whatever its action.',
  naive:
    "Pass rules win over drop rules (Suricata's action order), so the allowlist passes www.amazon.com; in strict " +
    'order the drop at priority 50 matches first and blocks it.',
  sources: [AWS_RULE_ORDER],
  snapshot,
  checks: { 'allow:www.amazon.com:443': 'fail', 'egress-ip': 'pass' },
  traces: [
    {
      name: 'allowlisted SNI with a drop rule for it',
      query: tlsFromProbe(snapshot(), 'www.amazon.com'),
      verdict: 'BLOCKED',
      traceIncludes: [
        'client data (client -> server): drop by stateful rule sid 100 in block-www [scope: whole flow',
      ],
    },
  ],
};
export default c;
