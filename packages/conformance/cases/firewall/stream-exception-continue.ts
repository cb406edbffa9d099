import { policyOf, tlsFromProbe } from '../../src/fixtures';
import { AWS_BP_POLICY, AWS_STREAM_EXCEPTION } from '../../src/sources';
import type { ConformanceCase } from '../../src/types';
import { oneWayStateless } from './stream-exception-drop';

const snapshot = () => {
  const s = oneWayStateless();
  policyOf(s).StatefulEngineOptions = { RuleOrder: 'STRICT_ORDER', StreamExceptionPolicy: 'CONTINUE' };
  return s;
};

const c: ConformanceCase = {
  id: 'firewall/stream-exception-continue',
  behaviour:
    'With StreamExceptionPolicy CONTINUE the stateful engine applies the rules to a flow it picked up mid-stream, ' +
    'without context: a flow:stateless rule still matches the replies and passes them.',
  naive:
    'The stateful engine has no state for the replies (it never saw the SYN) and drops them; under CONTINUE "a ' +
    'TCP-layer rule using flow:stateless would still match", so HTTPS works.',
  sources: [AWS_STREAM_EXCEPTION, AWS_BP_POLICY],
  snapshot,
  checks: { 'allow:www.amazon.com:443': 'pass' },
  traces: [
    {
      name: 'allowlisted SNI',
      query: tlsFromProbe(snapshot(), 'www.amazon.com'),
      verdict: 'ALLOWED',
      traceIncludes: [
        'SYN-ACK (server -> client): pass by stateful rule sid 70 in hubspoke-dev-custom [scope: this packet only',
        'StreamExceptionPolicy CONTINUE: judged mid-stream without flow state or app layer',
      ],
    },
  ],
};
export default c;
