import { instance, reference } from '../../src/edits';
import type { ConformanceCase } from '../../src/types';

const c: ConformanceCase = {
  id: 'vpc/probe-not-running',
  behaviour:
    'An instance that is not running (stopped, stopping, pending, terminated) sends and answers nothing: every ' +
    'probe check from it fails, naming its state, including the deny checks.',
  naive:
    'A stopped probe gets no response from example.com, so the deny checks pass; a check that observed ' +
    'nothing cannot pass, and only a running instance sends anything.',
  sources: [
    {
      title: 'Amazon EC2 User Guide, "Amazon EC2 instance state changes"',
      url: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-lifecycle.html',
    },
  ],
  snapshot: () => {
    const s = reference();
    instance(s, 'i-spoke-b-probe').State = { Code: 80, Name: 'stopped' };
    return s;
  },
  checks: {
    'allow:www.amazon.com:443': 'fail',
    'deny:example.com:443': 'fail',
    'egress-ip': 'fail',
    'ssm-reachable': 'fail',
    'inspected-egress': 'pass',
  },
  traces: [
    {
      name: 'from the stopped probe',
      query: {
        source: { instanceId: 'i-spoke-b-probe' },
        destination: { ip: '192.0.2.10', port: 443 },
        protocol: 'tcp',
        app: { kind: 'tls', sni: 'www.amazon.com' },
      },
      verdict: 'BLOCKED',
      traceIncludes: [
        'i-spoke-b-probe is stopped: an instance that is not running sends and observes nothing',
      ],
    },
  ],
};
export default c;
