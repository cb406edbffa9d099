import { AWS_BP_POLICY, AWS_STREAM_EXCEPTION } from '../../src/sources';
import type { ConformanceCase } from '../../src/types';
import { asymmetric } from './stream-exception-asymmetric-continue';

const c: ConformanceCase = {
  id: 'firewall/stream-exception-asymmetric-drop',
  behaviour:
    'With asymmetric routing and StreamExceptionPolicy DROP (the default), the endpoint the reply crosses picks the ' +
    'flow up mid-stream and drops all of its traffic, whatever the rules say.',
  naive:
    'The policy has no rule against this flow and action order passes unmatched traffic, so it is answered; the ' +
    'stream exception policy decides before any rule, and the reply is dropped.',
  sources: [AWS_STREAM_EXCEPTION, AWS_BP_POLICY],
  snapshot: asymmetric('DROP'),
  traces: [
    {
      name: 'spoke-a (AZ a) to spoke-b (AZ b) on 5432',
      query: {
        source: { ip: '10.1.0.10' },
        destination: { ip: '10.2.1.200', port: 5432, standIn: true },
        protocol: 'tcp',
      },
      verdict: 'BLOCKED',
      traceIncludes: [
        'StreamExceptionPolicy DROP: the stateful engine picks this TCP flow up mid-stream (it did not see SYN)',
      ],
    },
  ],
};
export default c;
