import { buildHubSpokeSnapshot } from '@hubspoke/netmodel/testing/fixture-builder';
import { AWS_BP_CUSTOMER_RULES, SURICATA_RULE_TYPES } from '../../src/sources';
import { tlsFromProbe } from '../../src/fixtures';
import type { ConformanceCase } from '../../src/types';

const RULES = [
  'drop tls $HOME_NET any -> $EXTERNAL_NET any (tls.sni; content:"example.com"; startswith; nocase; endswith; msg:"no example.com"; sid:1;)',
  'pass tcp $HOME_NET any -> $EXTERNAL_NET 443 (msg:"HTTPS out"; sid:2;)',
].join('\n');
const snapshot = () => buildHubSpokeSnapshot({ handshakeRule: false, extraRules: RULES });

const c: ConformanceCase = {
  id: 'firewall/ip-only-pass-whole-flow',
  behaviour:
    'A tcp rule with ports but no flow: keyword is IP-only: it matches the SYN and passes the whole flow, so a TLS ' +
    'rule written before it in strict order never sees the ClientHello.',
  naive:
    'Strict order evaluates the SNI drop (sid 1) first, so example.com is blocked; AWS classifies sid 2 as IP-only, ' +
    'it decides at the SYN (where no TLS rule can match yet) for the whole connection, and example.com gets through.',
  sources: [SURICATA_RULE_TYPES, AWS_BP_CUSTOMER_RULES],
  snapshot,
  checks: { 'deny:example.com:443': 'fail', 'allow:www.amazon.com:443': 'pass' },
  traces: [
    {
      name: 'example.com over TLS',
      query: tlsFromProbe(snapshot(), 'example.com'),
      verdict: 'ALLOWED',
      traceIncludes: [
        'SYN (client -> server): pass by stateful rule sid 2 in hubspoke-dev-custom [scope: whole flow -- IP-only rule',
        'client data (client -> server): pass by stateful rule sid 2 in hubspoke-dev-custom [whole flow: fixed at the SYN',
      ],
    },
  ],
};
export default c;
