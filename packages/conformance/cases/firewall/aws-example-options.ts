import { buildHubSpokeSnapshot } from '@hubspoke/netmodel/testing/fixture-builder';
import { AWS_SURICATA_EXAMPLES, SURICATA_RULE_TYPES } from '../../src/sources';
import { addStatefulGroup, probeOf, tlsFromProbe } from '../../src/fixtures';
import type { ConformanceCase } from '../../src/types';

/** Options from AWS's own rule examples, in a group evaluated before the domain allowlist. */
const RULES = [
  'drop ip $HOME_NET any <> $EXTERNAL_NET any (msg:"Drop non-TCP traffic."; ip_proto:!TCP; sid:90; rev:1;)',
  'drop tcp $HOME_NET any -> $EXTERNAL_NET 443 (msg:"non-TLS on the TLS port"; flow:to_server; app-layer-protocol:!tls; sid:91;)',
  'alert tls $HOME_NET any -> $EXTERNAL_NET 443 (tls.sni; content:"partner.example"; startswith; nocase; endswith; flowbits:set,partner; noalert; sid:92;)',
  // flowbits:isset makes this a packet rule: written <> so that it also passes the server's packets.
  'pass tls $HOME_NET any <> $EXTERNAL_NET 443 (msg:"partner flows"; flowbits:isset,partner; sid:93;)',
].join('\n');
const snapshot = () =>
  addStatefulGroup(buildHubSpokeSnapshot(), { name: 'aws-examples', priority: 50, rules: RULES });
const from = () => ({ instanceId: probeOf(snapshot(), 'spoke-a') });

const c: ConformanceCase = {
  id: 'firewall/aws-example-options',
  behaviour:
    'ip_proto narrows an ip rule to the protocols it names, app-layer-protocol:!tls matches only flows whose ' +
    'detected protocol is not TLS, and a flowbit set by a noalert alert rule lets a later flowbits:isset rule pass ' +
    '(a packet rule: it passes the packets it matches, hence <>).',
  naive:
    '"drop ip any <> any" drops everything and an alert rule never changes a verdict, so the allowlisted TLS flow is ' +
    'blocked and partner.example (not allowlisted) is blocked; ip_proto:!TCP spares TCP, and the flowbit passes ' +
    'partner.example, while HTTP on port 443 is dropped.',
  sources: [AWS_SURICATA_EXAMPLES, SURICATA_RULE_TYPES],
  snapshot,
  checks: { 'allow:www.amazon.com:443': 'pass' },
  traces: [
    {
      name: 'allowlisted SNI (TCP, TLS)',
      query: tlsFromProbe(snapshot(), 'www.amazon.com'),
      verdict: 'ALLOWED',
      traceIncludes: [
        'client data (client -> server): pass by domain-list rule sid 1 in hubspoke-dev-domains',
      ],
    },
    {
      name: 'plain HTTP to port 443',
      query: {
        source: from(),
        destination: { ip: '192.0.2.10', port: 443 },
        protocol: 'tcp',
        app: { kind: 'http', host: 'www.amazon.com' },
      },
      verdict: 'BLOCKED',
      traceIncludes: [
        'client data (client -> server): drop by stateful rule sid 91 in aws-examples [scope: whole flow -- protocol-detection rule (pd_only)',
      ],
    },
    {
      name: 'partner.example, passed by the flowbit',
      query: tlsFromProbe(snapshot(), 'partner.example', { ip: '192.0.2.30' }),
      verdict: 'ALLOWED',
      traceIncludes: [
        'client data (client -> server): pass by stateful rule sid 93 in aws-examples [scope: this packet only -- packet rule (pkt): flowbits:isset',
        'server data (server -> client): pass by stateful rule sid 93 in aws-examples',
      ],
    },
  ],
};
export default c;
