/**
 * An environment without probe instances (prod) gets the probe checks offline from a stand-in
 * open-egress workload in every workload subnet (docs/contracts.md "The hubspoke CLI"): they pass
 * on a network that is right, fail on one that is broken, say that they were modelled, and still
 * fail when there is nothing to observe from. Checks that name probes never get stand-ins.
 */
import {
  buildHubSpokeSnapshot,
  type HubSpokeFixtureOptions,
} from '@hubspoke/netmodel/testing/fixture-builder';
import { parseChecks } from '../../src/checks/expectations';
import { runChecks } from '../../src/checks/run';
import type { CheckResult } from '../../src/checks/types';

const PROBE_CHECKS = [
  'egress-ip',
  'allow:www.amazon.com:443',
  'allow:checkip.amazonaws.com:443',
  'deny:example.com:443',
  'deny:example.com:80',
  'ssm-reachable',
];

async function results(o: HubSpokeFixtureOptions, checks: Record<string, unknown> = {}) {
  const snapshot = buildHubSpokeSnapshot({
    azs: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    probes: false,
    ...o,
  });
  const list = await runChecks({ snapshot, expectations: parseChecks(checks) });
  return new Map<string, CheckResult>(list.map((r) => [r.id, r]));
}

describe('stand-in workloads where there is no probe instance', () => {
  it('pass every probe check on a network that is right, one stand-in per workload subnet, and say so', async () => {
    const r = await results({});
    for (const id of PROBE_CHECKS) {
      expect(r.get(id)).toMatchObject({ status: 'pass', covered: 6 });
      expect(r.get(id)!.detail).toContain(
        'modelled from a stand-in workload in each of 6 workload subnet(s)',
      );
    }
    const paths = r.get('allow:www.amazon.com:443')!.paths ?? [];
    expect(new Set(paths.map((p) => p.subnetId)).size).toBe(6);
    expect(paths.every((p) => p.label.startsWith('stand-in workload'))).toBe(true);
  });

  it('fail when the firewall does not allowlist the egress-IP host, at the firewall', async () => {
    const r = await results({ allowedDomains: ['.amazon.com'] });
    for (const id of ['egress-ip', 'allow:checkip.amazonaws.com:443'])
      expect(r.get(id)).toMatchObject({ status: 'fail', decisive: { kind: 'firewall' } });
    expect(r.get('allow:www.amazon.com:443')!.status).toBe('pass');
  });

  it('fail when the firewall lets a denied host through', async () => {
    const r = await results({ allowedDomains: ['.amazon.com', 'checkip.amazonaws.com', 'example.com'] });
    expect(r.get('deny:example.com:443')).toMatchObject({ status: 'fail', covered: 6 });
  });

  it('are not used where the checks file names the probes, nor where real probes exist', async () => {
    const withProbes = await results({ probes: true });
    expect(withProbes.get('egress-ip')).toMatchObject({ status: 'pass', covered: 2 });
    expect(withProbes.get('egress-ip')!.detail).not.toContain('stand-in');
  });

  it('still fail with nothing to observe from (no probe, no workload subnet)', async () => {
    const r = await results({ spokeCount: 0 }, { checks: ['egress-ip', 'allow'] });
    expect(r.get('egress-ip')).toMatchObject({ status: 'fail', covered: 0 });
    expect(r.get('egress-ip')!.detail).toContain('no probe to observe from');
  });
});
