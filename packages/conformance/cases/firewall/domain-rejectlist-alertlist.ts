import { buildHubSpokeSnapshot } from '@hubspoke/netmodel/testing/fixture-builder';
import { AWS_DOMAIN_LISTS, AWS_SURICATA_EXAMPLES } from '../../src/sources';
import { addStatefulGroup, setDomainList, tlsFromProbe } from '../../src/fixtures';
import type { ConformanceCase } from '../../src/types';

/** Action order, no allowlist: an ALERTLIST for example.com, then a REJECTLIST for example.org. */
const snapshot = () => {
  const s = buildHubSpokeSnapshot({ ruleOrder: 'DEFAULT_ACTION_ORDER', handshakeRule: false });
  setDomainList(s, {
    Targets: ['example.com'],
    TargetTypes: ['TLS_SNI', 'HTTP_HOST'],
    GeneratedRulesType: 'ALERTLIST',
  });
  return addStatefulGroup(s, {
    name: 'reject-example-org',
    priority: 0,
    ruleVariables: { IPSets: { HOME_NET: { Definition: ['10.0.0.0/8'] } } },
    list: { Targets: ['example.org'], TargetTypes: ['TLS_SNI'], GeneratedRulesType: 'REJECTLIST' },
  });
};

const c: ConformanceCase = {
  id: 'firewall/domain-rejectlist-alertlist',
  behaviour:
    'An ALERTLIST domain list only logs the domains it lists (traffic then passes or not by the other rules); a ' +
    'REJECTLIST blocks them with a TCP reset.',
  naive:
    'A domain list of example.com keeps the workloads away from example.com; an ALERTLIST generates alert rules ' +
    'only, and under action order with nothing else matching, example.com is reached.',
  sources: [AWS_DOMAIN_LISTS, AWS_SURICATA_EXAMPLES],
  snapshot,
  checks: { 'deny:example.com:443': 'fail' },
  traces: [
    {
      name: 'example.com (alertlisted)',
      query: tlsFromProbe(snapshot(), 'example.com'),
      verdict: 'ALLOWED',
      traceIncludes: ['client data (client -> server): pass by stateful default action'],
    },
    {
      name: 'example.org (rejectlisted)',
      query: tlsFromProbe(snapshot(), 'example.org', { ip: '192.0.2.13' }),
      verdict: 'BLOCKED',
      traceIncludes: [
        'client data (client -> server): reject by domain-list rule sid 1 in reject-example-org',
        'msg:"matching TLS rejectlisted FQDNs"',
      ],
    },
  ],
};
export default c;
