import { buildHubSpokeSnapshot } from '@hubspoke/netmodel/testing/fixture-builder';
import { AWS_STRICT_DEFAULT_ACTIONS, SURICATA_RULE_TYPES } from '../../src/sources';
import { probeOf } from '../../src/fixtures';
import type { ConformanceCase } from '../../src/types';

// A flow:to_server pass is a packet rule: it passes the client's packets only. What happens to the
// server's data is up to the default action.
const sshOut = 'pass tcp $HOME_NET any -> $EXTERNAL_NET 22 (flow:to_server; msg:"SSH out"; sid:20;)';
const withDefault = (drop: string, alert: string) => () =>
  buildHubSpokeSnapshot({ statefulDefaultActions: [drop, alert], extraRules: sshOut });
const bidirectional = withDefault('aws:drop_established_app_layer', 'aws:alert_established_app_layer');
const ssh = (s: () => ReturnType<typeof buildHubSpokeSnapshot>) => ({
  source: { instanceId: probeOf(s(), 'spoke-a') },
  destination: { ip: '192.0.2.20', port: 22 },
  protocol: 'tcp' as const,
});

const c: ConformanceCase = {
  id: 'firewall/app-layer-default-bidirectional',
  behaviour:
    'aws:drop_established_app_layer (Application drop established, bidirectional) drops established packets no ' +
    "rule passed in both directions: the server's data of a flow whose client packets a flow:to_server rule " +
    'passed is dropped (the server-directed variant lets it through, see app-layer-default-to-server).',
  naive:
    'The application-layer default only waits for the SNI or Host and otherwise lets a flow a pass rule matched ' +
    "through; the to_server pass covers the client's packets only, and the default drops the server's.",
  sources: [AWS_STRICT_DEFAULT_ACTIONS, SURICATA_RULE_TYPES],
  snapshot: bidirectional,
  checks: { 'allow:www.amazon.com:443': 'pass', 'deny:example.com:443': 'pass' },
  traces: [
    {
      name: "SSH out is blocked: the bidirectional default drops the server's data",
      query: ssh(bidirectional),
      verdict: 'BLOCKED',
      traceIncludes: [
        'client data (client -> server): pass by stateful rule sid 20 in hubspoke-dev-custom [scope: this packet only',
        'server data (server -> client): drop by stateful default action aws:drop_established_app_layer [scope: this packet only',
      ],
    },
  ],
};
export default c;
