import { buildHubSpokeSnapshot } from '@hubspoke/netmodel/testing/fixture-builder';
import { AWS_BP_POLICY, AWS_STRICT_DEFAULT_ACTIONS } from '../../src/sources';
import { probeOf } from '../../src/fixtures';
import type { ConformanceCase } from '../../src/types';

// The reference policy with the application-layer defaults and no handshake rule: the default
// applies to established packets only, so the handshake passes and the SNI rules decide.
const snapshot = () =>
  buildHubSpokeSnapshot({
    handshakeRule: false,
    statefulDefaultActions: ['aws:drop_established_app_layer', 'aws:alert_established_app_layer'],
  });

const c: ConformanceCase = {
  id: 'firewall/app-layer-default-action',
  behaviour:
    'aws:drop_established_app_layer (Application drop established, bidirectional) drops established packets no ' +
    'rule passed and lets the handshake through, so an allowlisted SNI passes and any other is dropped at its ' +
    'ClientHello, with no handshake rule needed.',
  naive:
    'An action outside drop_strict / drop_established is unknown, or drops like aws:drop_strict (handshake ' +
    'included, so nothing is allowed without a handshake rule); AWS accepts it and it spares the handshake.',
  sources: [AWS_STRICT_DEFAULT_ACTIONS, AWS_BP_POLICY],
  snapshot,
  checks: {
    'allow:www.amazon.com:443': 'pass',
    'allow:checkip.amazonaws.com:443': 'pass',
    'deny:example.com:443': 'pass',
    'deny:example.com:80': 'pass',
  },
  traces: [
    {
      name: 'allowlisted SNI passes after a handshake no rule matched',
      query: {
        source: { instanceId: probeOf(snapshot(), 'spoke-a') },
        destination: { ip: '192.0.2.10', port: 443 },
        protocol: 'tcp',
        app: { kind: 'tls', sni: 'www.amazon.com' },
      },
      verdict: 'ALLOWED',
      traceIncludes: [
        'SYN (client -> server): pass by stateful default action [scope: this packet only -- default action: applies to each packet no rule decided; aws:drop_established_app_layer spares packets of a connection not yet established]',
      ],
    },
    {
      name: 'SNI outside the allowlist is dropped at its ClientHello by the default',
      query: {
        source: { instanceId: probeOf(snapshot(), 'spoke-a') },
        destination: { ip: '192.0.2.12', port: 443 },
        protocol: 'tcp',
        app: { kind: 'tls', sni: 'example.com' },
      },
      verdict: 'BLOCKED',
      traceIncludes: [
        'client data (client -> server): drop by stateful default action aws:drop_established_app_layer [scope: this packet only',
      ],
    },
  ],
};
export default c;
