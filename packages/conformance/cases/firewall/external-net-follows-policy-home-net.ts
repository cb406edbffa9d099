import { buildHubSpokeSnapshot } from '@hubspoke/netmodel/testing/fixture-builder';
import { defaultExpectations } from '@hubspoke/harness';
import { AWS_BP_POLICY, AWS_TROUBLESHOOTING_RULES } from '../../src/sources';
import { addStatefulGroup } from '../../src/fixtures';
import type { ConformanceCase } from '../../src/types';

/**
 * The policy leaves HOME_NET at its default (the inspection VPC, 10.0.0.0/16); one rule group
 * widens its own HOME_NET to the supernet and drops database traffic "to the outside".
 */
const snapshot = () =>
  addStatefulGroup(buildHubSpokeSnapshot({ homeNet: null, statefulDefaultActions: [] }), {
    name: 'no-db-out',
    priority: 200,
    rules: 'drop tcp $HOME_NET any -> $EXTERNAL_NET 5432 (msg:"no database traffic to the outside"; sid:80;)',
    ruleVariables: { IPSets: { HOME_NET: { Definition: ['10.0.0.0/8'] } } },
  });

const c: ConformanceCase = {
  id: 'firewall/external-net-follows-policy-home-net',
  behaviour:
    'EXTERNAL_NET is the negation of the policy-level HOME_NET (here its default, the inspection VPC CIDR), even in ' +
    'a rule group that defines its own HOME_NET: spoke-to-spoke traffic is "external" to that group.',
  naive:
    "The group's HOME_NET is the supernet, so $EXTERNAL_NET (= !$HOME_NET) excludes every spoke and the drop only " +
    'hits traffic leaving the network; AWS keeps EXTERNAL_NET = !10.0.0.0/16, so spoke-a to spoke-b on 5432 is dropped.',
  sources: [AWS_TROUBLESHOOTING_RULES, AWS_BP_POLICY],
  snapshot,
  expectations: {
    ...defaultExpectations(),
    run: ['east-west'],
    eastWest: [{ from: 'spoke-a', to: 'spoke-b', port: 5432, protocol: 'tcp', expect: 'allow' }],
  },
  checks: { 'east-west:spoke-a:spoke-b': 'fail' },
  traces: [
    {
      name: 'spoke-a to a spoke-b address on 5432',
      query: {
        source: { ip: '10.1.0.10' },
        destination: { ip: '10.2.0.200', port: 5432 },
        protocol: 'tcp',
      },
      verdict: 'BLOCKED',
      traceIncludes: [
        'SYN (client -> server): drop by stateful rule sid 80 in no-db-out [scope: whole flow -- IP-only rule',
      ],
    },
  ],
};
export default c;
