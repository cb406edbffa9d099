import { buildHubSpokeSnapshot } from '@hubspoke/netmodel/testing/fixture-builder';
import { AWS_RULE_ORDER, SURICATA_RULE_TYPES } from '../../src/sources';
import { tlsFromProbe } from '../../src/fixtures';
import type { ConformanceCase } from '../../src/types';

const snapshot = () =>
  buildHubSpokeSnapshot({
    handshakeRule: false,
    extraRules:
      'pass tcp $HOME_NET any -> $EXTERNAL_NET [80,443] (flow:not_established, to_server; msg:"handshakes out"; sid:10;)',
  });

const c: ConformanceCase = {
  id: 'firewall/one-way-handshake-rule',
  behaviour:
    'Under aws:drop_strict a handshake rule written -> with flow:to_server is a packet rule that passes the SYN only; ' +
    'the SYN-ACK matches no rule and the default action drops it.',
  naive:
    'The handshake rule lets the TCP handshake through, so the allowlisted SNI passes; a packet rule covers only the ' +
    'packets it matches, which is why AWS writes its handshake rule with <>. www.amazon.com is blocked.',
  sources: [SURICATA_RULE_TYPES, AWS_RULE_ORDER],
  snapshot,
  checks: { 'allow:www.amazon.com:443': 'fail', 'egress-ip': 'fail' },
  traces: [
    {
      name: 'allowlisted SNI',
      query: tlsFromProbe(snapshot(), 'www.amazon.com'),
      verdict: 'BLOCKED',
      traceIncludes: [
        'SYN (client -> server): pass by stateful rule sid 10 in hubspoke-dev-custom [scope: this packet only',
        'SYN-ACK (server -> client): drop by stateful default action aws:drop_strict [scope: this packet only',
        'drops the SYN-ACK: aws:drop_strict (this packet)',
      ],
    },
  ],
};
export default c;
