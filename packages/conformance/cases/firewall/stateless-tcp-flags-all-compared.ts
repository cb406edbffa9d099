import { buildHubSpokeSnapshot } from '@hubspoke/netmodel/testing/fixture-builder';
import { AWS_TCP_FLAG_FIELD } from '../../src/sources';
import { addStatelessGroup, tlsFromProbe } from '../../src/fixtures';
import type { ConformanceCase } from '../../src/types';

/** "Drop connection attempts from the internet": TCP with Flags [SYN], Masks left unset. */
const snapshot = () =>
  addStatelessGroup(buildHubSpokeSnapshot(), {
    name: 'no-inbound-syn',
    priority: 10,
    rules: [
      {
        Priority: 1,
        RuleDefinition: {
          Actions: ['aws:drop'],
          MatchAttributes: {
            Protocols: [6],
            Sources: [{ AddressDefinition: '192.0.2.0/24' }],
            TCPFlags: [{ Flags: ['SYN'] }],
          },
        },
      },
    ],
  });

const c: ConformanceCase = {
  id: 'firewall/stateless-tcp-flags-all-compared',
  behaviour:
    'A stateless TCPFlags match with Masks unset compares every flag: Flags [SYN] matches a bare SYN only, not the ' +
    'SYN-ACK an internet server answers an outbound connection with.',
  naive:
    'Flags [SYN] matches any packet with SYN set, so the SYN-ACK of every outbound connection to those servers is ' +
    'dropped; with all flags compared the SYN-ACK (SYN and ACK set) does not match and egress works.',
  sources: [AWS_TCP_FLAG_FIELD],
  snapshot,
  checks: { 'allow:www.amazon.com:443': 'pass', 'egress-ip': 'pass' },
  traces: [
    {
      name: 'allowlisted SNI',
      query: tlsFromProbe(snapshot(), 'www.amazon.com'),
      verdict: 'ALLOWED',
      traceIncludes: ['SYN-ACK (server -> client): pass by stateful rule sid 892123'],
    },
  ],
};
export default c;
