import { buildHubSpokeSnapshot } from '@hubspoke/netmodel/testing/fixture-builder';
import { AWS_BP_CUSTOMER_RULES, SURICATA_RULE_TYPES } from '../../src/sources';
import { tlsFromProbe } from '../../src/fixtures';
import type { ConformanceCase } from '../../src/types';

// AWS's fix for the IP-only trap: the same pass with flow: is a packet rule.
const RULES = [
  'drop tls $HOME_NET any -> $EXTERNAL_NET any (tls.sni; content:"example.com"; startswith; nocase; endswith; msg:"no example.com"; sid:1;)',
  'pass tcp $HOME_NET any <> $EXTERNAL_NET 443 (flow:not_established; msg:"handshakes"; sid:2;)',
  'pass tcp $HOME_NET any -> $EXTERNAL_NET 443 (flow:to_server; msg:"HTTPS out"; sid:3;)',
].join('\n');
const snapshot = () =>
  buildHubSpokeSnapshot({
    handshakeRule: false,
    extraRules: RULES,
    statefulDefaultActions: ['aws:drop_established'],
  });

const c: ConformanceCase = {
  id: 'firewall/flow-keyword-packet-rule',
  behaviour:
    'With a flow: keyword the same tcp pass is a packet rule: it passes the packets it matches and inspection goes ' +
    'on, so a TLS drop written before it sees the ClientHello.',
  naive:
    'A pass for tcp/443 lets HTTPS through (as it did without flow:); as a packet rule it passes only what it matches, ' +
    'and the ClientHello meets the SNI drop (sid 1) first: example.com is blocked.',
  sources: [SURICATA_RULE_TYPES, AWS_BP_CUSTOMER_RULES],
  snapshot,
  checks: { 'deny:example.com:443': 'pass' },
  traces: [
    {
      name: 'example.com over TLS',
      query: tlsFromProbe(snapshot(), 'example.com'),
      verdict: 'BLOCKED',
      traceIncludes: [
        'SYN (client -> server): pass by stateful rule sid 2 in hubspoke-dev-custom [scope: this packet only -- packet rule (pkt): flow:not_established',
        'client data (client -> server): drop by stateful rule sid 1 in hubspoke-dev-custom [scope: whole flow -- app-layer transaction rule',
      ],
    },
  ],
};
export default c;
