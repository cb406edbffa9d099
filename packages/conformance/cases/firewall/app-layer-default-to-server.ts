import { buildHubSpokeSnapshot } from '@hubspoke/netmodel/testing/fixture-builder';
import {
  AWS_DEFAULT_DROP_ANNOUNCEMENT,
  AWS_STRICT_DEFAULT_ACTIONS,
  SURICATA_RULE_TYPES,
} from '../../src/sources';
import { probeOf } from '../../src/fixtures';
import type { ConformanceCase } from '../../src/types';

// A flow:to_server pass is a packet rule: it passes the client's packets only. What happens to the
// server's data is up to the default action.
const sshOut = 'pass tcp $HOME_NET any -> $EXTERNAL_NET 22 (flow:to_server; msg:"SSH out"; sid:20;)';
const withDefault = (drop: string, alert: string) => () =>
  buildHubSpokeSnapshot({ statefulDefaultActions: [drop, alert], extraRules: sshOut });
const serverDirected = withDefault(
  'aws:drop_established_app_layer_to_server',
  'aws:alert_established_app_layer_to_server',
);
const ssh = (s: () => ReturnType<typeof buildHubSpokeSnapshot>) => ({
  source: { instanceId: probeOf(s(), 'spoke-a') },
  destination: { ip: '192.0.2.20', port: 22 },
  protocol: 'tcp' as const,
});

const c: ConformanceCase = {
  id: 'firewall/app-layer-default-to-server',
  behaviour:
    'aws:drop_established_app_layer_to_server (Application drop established, server-directed only) drops only ' +
    "client-to-server packets no rule passed: the server's data of a flow whose client packets a flow:to_server " +
    'rule passed gets through, where the bidirectional aws:drop_established_app_layer drops it.',
  naive:
    'Both application-layer drop defaults drop every established packet no rule passed, so SSH passed by a ' +
    "to_server rule breaks either way; the server-directed one leaves the server's packets alone.",
  sources: [AWS_STRICT_DEFAULT_ACTIONS, AWS_DEFAULT_DROP_ANNOUNCEMENT, SURICATA_RULE_TYPES],
  snapshot: serverDirected,
  checks: { 'allow:www.amazon.com:443': 'pass', 'deny:example.com:443': 'pass' },
  traces: [
    {
      name: 'SSH out passes: the server-directed default leaves the server data alone',
      query: ssh(serverDirected),
      verdict: 'ALLOWED',
      traceIncludes: [
        'client data (client -> server): pass by stateful rule sid 20 in hubspoke-dev-custom [scope: this packet only',
        'server data (server -> client): pass by stateful default action [scope: this packet only -- default action: applies to each packet no rule decided; aws:drop_established_app_layer_to_server drops client-to-server packets only]',
      ],
    },
  ],
};
export default c;
