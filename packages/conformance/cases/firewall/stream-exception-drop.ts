import { buildHubSpokeSnapshot } from '@hubspoke/netmodel/testing/fixture-builder';
import { AWS_BP_POLICY, AWS_STREAM_EXCEPTION } from '../../src/sources';
import { addStatelessGroup, tlsFromProbe } from '../../src/fixtures';
import type { ConformanceCase } from '../../src/types';

/**
 * Requests to TCP/443 passed by the stateless engine (one way), replies forwarded to the stateful
 * engine, where a flow:stateless rule passes them. StreamExceptionPolicy left at its default.
 */
export const oneWayStateless = () => {
  const s = buildHubSpokeSnapshot({
    extraRules: 'pass tcp $EXTERNAL_NET 443 -> $HOME_NET any (flow:stateless; msg:"HTTPS replies"; sid:70;)',
  });
  return addStatelessGroup(s, {
    name: 'pass-https-out',
    priority: 10,
    rules: [
      {
        Priority: 1,
        RuleDefinition: {
          Actions: ['aws:pass'],
          MatchAttributes: { Protocols: [6], DestinationPorts: [{ FromPort: 443, ToPort: 443 }] },
        },
      },
    ],
  });
};

const c: ConformanceCase = {
  id: 'firewall/stream-exception-drop',
  behaviour:
    'When the stateful engine sees a TCP flow without its SYN (the requests were passed by a stateless rule), the ' +
    'flow broke mid-stream for it; StreamExceptionPolicy DROP (the default) drops all of its subsequent traffic.',
  naive:
    'The stateless rule passes the requests and the flow:stateless rule passes the replies, so HTTPS works; the ' +
    'stream exception policy decides before any rule: the replies are dropped.',
  sources: [AWS_STREAM_EXCEPTION, AWS_BP_POLICY],
  snapshot: oneWayStateless,
  checks: { 'allow:www.amazon.com:443': 'fail' },
  traces: [
    {
      name: 'allowlisted SNI',
      query: tlsFromProbe(oneWayStateless(), 'www.amazon.com'),
      verdict: 'BLOCKED',
      traceIncludes: [
        'SYN (client -> server): pass by stateless rule in pass-https-out',
        'SYN-ACK (server -> client): drop by stream exception policy [scope: whole flow',
        'StreamExceptionPolicy DROP: the stateful engine picks this TCP flow up mid-stream (it did not see SYN)',
      ],
    },
  ],
};
export default c;
