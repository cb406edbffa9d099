import { buildHubSpokeSnapshot } from '@hubspoke/netmodel/testing/fixture-builder';
import { AWS_BP_POLICY, AWS_STREAM_EXCEPTION } from '../../src/sources';
import { policyOf } from '../../src/fixtures';
import type { ConformanceCase } from '../../src/types';

/**
 * No appliance mode, so a spoke-to-spoke reply across AZs comes back through the other AZ's
 * endpoint. Action order, no rule for the flow; StreamExceptionPolicy `policy`.
 */
export const asymmetric = (policy: 'DROP' | 'CONTINUE') => () => {
  const s = buildHubSpokeSnapshot({
    applianceMode: false,
    ruleOrder: 'DEFAULT_ACTION_ORDER',
    handshakeRule: false,
  });
  policyOf(s).StatefulEngineOptions = { RuleOrder: 'DEFAULT_ACTION_ORDER', StreamExceptionPolicy: policy };
  return s;
};
/** spoke-a (AZ a) to a spoke-b address in AZ b: the reply enters the inspection VPC in AZ b. */
const crossAz = {
  source: { ip: '10.1.0.10' },
  destination: { ip: '10.2.1.200', port: 5432, standIn: true },
  protocol: 'tcp' as const,
};

const c: ConformanceCase = {
  id: 'firewall/stream-exception-asymmetric-continue',
  behaviour:
    'With asymmetric routing each endpoint sees one direction of a TCP flow and picks it up mid-stream; under ' +
    'StreamExceptionPolicy CONTINUE the rules still apply to it (without context), so a flow the policy lets through ' +
    'keeps working even though its reply crosses another endpoint.',
  naive:
    'The reply reaches an endpoint with no state for the flow, and a stateful firewall drops it; under CONTINUE that ' +
    'endpoint applies the rules to the reply mid-stream, no rule drops it, and the reply is delivered. The routing ' +
    'is still asymmetric (symmetric-return fails).',
  sources: [AWS_STREAM_EXCEPTION, AWS_BP_POLICY],
  snapshot: asymmetric('CONTINUE'),
  checks: { 'symmetric-return': 'fail' },
  traces: [
    {
      name: 'spoke-a (AZ a) to spoke-b (AZ b) on 5432',
      query: crossAz,
      verdict: 'ALLOWED',
      traceIncludes: [
        'has no state for this flow: the request crossed vpce-fw-a',
        'passes the flow (this endpoint sees only the reply direction)',
        'StreamExceptionPolicy CONTINUE: judged mid-stream without flow state or app layer',
      ],
    },
  ],
};
export default c;
