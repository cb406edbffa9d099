import { buildHubSpokeSnapshot } from '@hubspoke/netmodel/testing/fixture-builder';
import { AWS_BP_POLICY, SURICATA_RULE_TYPES } from '../../src/sources';
import { probeOf } from '../../src/fixtures';
import type { ConformanceCase } from '../../src/types';

const snapshot = () =>
  buildHubSpokeSnapshot({
    statefulDefaultActions: ['aws:drop_established'],
    extraRules: 'pass tcp $HOME_NET any -> $EXTERNAL_NET 22 (flow:to_server; msg:"SSH out"; sid:20;)',
  });

const c: ConformanceCase = {
  id: 'firewall/to-server-pass-drop-established',
  behaviour:
    'Under aws:drop_established a flow:to_server pass is a packet rule: it passes the client packets, while the ' +
    "server's established packets match no rule and are dropped by the default action.",
  naive:
    'A pass for SSH out allows SSH (a pass ends inspection of the flow); it covers only the to_server packets, so ' +
    "the server's data is dropped and the session never works.",
  sources: [SURICATA_RULE_TYPES, AWS_BP_POLICY],
  snapshot,
  traces: [
    {
      name: 'SSH to an internet host',
      query: {
        source: { instanceId: probeOf(snapshot(), 'spoke-a') },
        destination: { ip: '192.0.2.20', port: 22 },
        protocol: 'tcp',
      },
      verdict: 'BLOCKED',
      traceIncludes: [
        'client data (client -> server): pass by stateful rule sid 20 in hubspoke-dev-custom [scope: this packet only',
        'server data (server -> client): drop by stateful default action aws:drop_established [scope: this packet only',
      ],
    },
  ],
};
export default c;
