import { buildHubSpokeSnapshot } from '@hubspoke/netmodel/testing/fixture-builder';
import { AWS_BP_CUSTOMER_RULES, AWS_STATELESS_ACTIONS } from '../../src/sources';
import { addStatelessGroup, tlsFromProbe } from '../../src/fixtures';
import type { ConformanceCase } from '../../src/types';

const pass443 = (priority: number, ports: 'SourcePorts' | 'DestinationPorts') => ({
  Priority: priority,
  RuleDefinition: {
    Actions: ['aws:pass'],
    MatchAttributes: { Protocols: [6], [ports]: [{ FromPort: 443, ToPort: 443 }] },
  },
});
/** Both directions of TCP/443 passed by the stateless engine. */
const snapshot = () =>
  addStatelessGroup(buildHubSpokeSnapshot(), {
    name: 'pass-https',
    priority: 10,
    rules: [pass443(1, 'DestinationPorts'), pass443(2, 'SourcePorts')],
  });

const c: ConformanceCase = {
  id: 'baseline/stateless-pass',
  behaviour:
    'A stateless aws:pass ends all inspection of the packet: TCP/443 passed in both directions never reaches the ' +
    'stateful engine, so the domain allowlist does not apply to it.',
  naive:
    'The domain allowlist drops example.com; the stateless engine runs first and aws:pass "discontinues all ' +
    'inspection", so example.com is reached.',
  sources: [AWS_STATELESS_ACTIONS, AWS_BP_CUSTOMER_RULES],
  snapshot,
  checks: { 'deny:example.com:443': 'fail', 'deny:example.com:80': 'pass' },
  traces: [
    {
      name: 'example.com over TLS',
      query: tlsFromProbe(snapshot(), 'example.com'),
      verdict: 'ALLOWED',
      traceIncludes: ['client data (client -> server): pass by stateless rule in pass-https'],
    },
  ],
};
export default c;
