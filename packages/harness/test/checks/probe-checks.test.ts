/**
 * The probe checks against a stand-in Probe (as the live SSM probe would answer): a check passes
 * only when the observation was made; an SSM failure is never read as "blocked".
 */
import type { EgressIpObservation, Probe, ProbeHost, RequestObservation, RequestSpec } from '../../src/probe';
import { runProbeChecks } from '../../src/checks/run';
import { parseChecks } from '../../src/checks/expectations';

const host = (n: number): ProbeHost => ({
  instanceId: `i-${n}`,
  vpcId: `vpc-${n}`,
  subnetId: `subnet-${n}`,
  availabilityZone: 'eu-west-1a',
  privateIp: `10.${n}.0.10`,
});

class StubProbe implements Probe {
  readonly kind = 'ssm' as const;
  constructor(
    private readonly probes: ProbeHost[],
    private readonly answer: (p: ProbeHost, r?: RequestSpec) => RequestObservation,
    private readonly egress: (p: ProbeHost) => EgressIpObservation,
  ) {}
  async listProbes() {
    return this.probes;
  }
  async egressIp(p: ProbeHost) {
    return this.egress(p);
  }
  async request(p: ProbeHost, r: RequestSpec) {
    return this.answer(p, r);
  }
  async ssmReachable(p: ProbeHost) {
    return this.answer(p);
  }
}

const ok: RequestObservation = { observed: true, succeeded: true, detail: 'HTTP 200' };
const blocked: RequestObservation = { observed: true, succeeded: false, detail: 'connection reset' };
const ssmFailed: RequestObservation = {
  observed: false,
  succeeded: false,
  detail: 'SSM command Undeliverable',
};

async function run(probe: Probe, checks: Record<string, unknown> = {}) {
  const results = await runProbeChecks({
    probe,
    expectations: parseChecks(checks),
    egressIps: { ips: ['203.0.113.10', '203.0.113.11'], source: 'the NAT EIPs' },
  });
  return new Map(results.map((r) => [r.id, r]));
}

describe('runProbeChecks with a live-like probe', () => {
  it('passes when every probe observes what is expected', async () => {
    const probe = new StubProbe(
      [host(1), host(2)],
      (_p, r) => (r?.host === 'example.com' ? blocked : ok),
      () => ({ observed: true, ips: ['203.0.113.11'], detail: '203.0.113.11' }),
    );
    const results = await run(probe);
    expect([...results.values()].map((r) => [r.id, r.status])).toEqual([
      ['egress-ip', 'pass'],
      ['allow:www.amazon.com:443', 'pass'],
      ['allow:checkip.amazonaws.com:443', 'pass'],
      ['deny:example.com:443', 'pass'],
      ['deny:example.com:80', 'pass'],
      ['ssm-reachable', 'pass'],
    ]);
  });

  it('an SSM failure is not "blocked": deny fails when the request was not made', async () => {
    const probe = new StubProbe(
      [host(1)],
      () => ssmFailed,
      () => ({ observed: false, ips: [], detail: 'SSM timeout' }),
    );
    const results = await run(probe);
    for (const r of results.values()) expect(r.status).toBe('fail');
    expect(results.get('deny:example.com:443')!.detail).toContain(
      'request not made: SSM command Undeliverable',
    );
    expect(results.get('egress-ip')!.detail).toContain('could not observe its egress IP: SSM timeout');
    expect(results.get('ssm-reachable')!.detail).toContain('not observed: SSM command Undeliverable');
  });

  it('egress-ip fails when the probe answered but observed no egress IP', async () => {
    const probe = new StubProbe(
      [host(1)],
      () => ok,
      () => ({
        observed: true,
        ips: [],
        detail: 'empty body',
        decisive: { kind: 'firewall', id: 'g', detail: 'd' },
      }),
    );
    const r = (await run(probe, { checks: ['egress-ip'] })).get('egress-ip')!;
    expect(r).toMatchObject({
      status: 'fail',
      detail: '1/1 probe(s) failed: i-1 (subnet-1, eu-west-1a): observed no egress IP',
    });
    expect(r.decisive).toMatchObject({ kind: 'firewall', subnetId: 'subnet-1' });
  });

  it("ssm-reachable fails with the probe's own account of what did not work", async () => {
    const probe = new StubProbe(
      [host(1)],
      () => blocked,
      () => ({ observed: true, ips: ['203.0.113.10'], detail: '' }),
    );
    const r = (await run(probe, { checks: ['ssm-reachable'] })).get('ssm-reachable')!;
    expect(r).toMatchObject({
      status: 'fail',
      detail: '1/1 probe(s) failed: i-1 (subnet-1, eu-west-1a): connection reset',
    });
  });

  it('egress-ip fails naming the probe, subnet and AZ when the IP is not a NAT EIP', async () => {
    const probe = new StubProbe(
      [host(1), host(2)],
      () => ok,
      (p) => ({
        observed: true,
        ips: [p.instanceId === 'i-2' ? '198.51.100.7' : '203.0.113.10'],
        detail: '',
      }),
    );
    const r = (await run(probe)).get('egress-ip')!;
    expect(r.status).toBe('fail');
    expect(r.detail).toBe(
      '1/2 probe(s) failed: i-2 (subnet-2, eu-west-1a): egress IP 198.51.100.7 is not one of the NAT EIPs (203.0.113.10, 203.0.113.11)',
    );
    expect(r.failures![0]).toMatchObject({ subject: 'i-2', subnetId: 'subnet-2', az: 'eu-west-1a' });
  });

  it('allow fails for the one probe that gets no answer, with its decisive hop', async () => {
    const probe = new StubProbe(
      [host(1), host(2)],
      (p) =>
        p.instanceId === 'i-1'
          ? { ...blocked, decisive: { kind: 'security-group', id: 'sg-1', detail: 'no egress to 443' } }
          : ok,
      () => ({ observed: true, ips: ['203.0.113.10'], detail: '' }),
    );
    const r = (await run(probe, { checks: ['allow'] })).get('allow:www.amazon.com:443')!;
    expect(r.status).toBe('fail');
    expect(r.detail).toBe(
      '1/2 probe(s) failed: i-1 (subnet-1, eu-west-1a): expected a response, got none: connection reset',
    );
    expect(r.decisive).toMatchObject({
      kind: 'security-group',
      id: 'sg-1',
      subnetId: 'subnet-1',
      az: 'eu-west-1a',
    });
  });

  it('no probe at all fails every probe check', async () => {
    const results = await run(
      new StubProbe(
        [],
        () => ok,
        () => ({ observed: true, ips: [], detail: '' }),
      ),
    );
    for (const r of results.values())
      expect(r).toMatchObject({
        status: 'fail',
        covered: 0,
        detail:
          'no probe to observe from (no instance tagged hubspoke:role=probe and none in a VPC without IGW)',
      });
  });

  it('an empty expected egress list fails rather than passing vacuously', async () => {
    const probe = new StubProbe(
      [host(1)],
      () => ok,
      () => ({ observed: true, ips: ['203.0.113.10'], detail: '' }),
    );
    const results = await runProbeChecks({
      probe,
      expectations: parseChecks({ checks: ['egress-ip'] }),
      egressIps: { ips: [], source: 'the NAT EIPs of nothing' },
    });
    expect(results[0]).toMatchObject({
      id: 'egress-ip',
      status: 'fail',
      detail: 'no expected egress IPs: the NAT EIPs of nothing is empty',
    });
  });
});
