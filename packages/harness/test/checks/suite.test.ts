/**
 * Every check of the suite against fixtures from the netmodel fixture builder: a passing network
 * and, per check, a network broken the way that check exists to catch. Failing results must name
 * the decisive hop and where (subnet / AZ).
 */
import { type NetworkSnapshot } from '@hubspoke/netmodel';
import {
  buildHubSpokeSnapshot,
  type HubSpokeFixtureOptions,
} from '@hubspoke/netmodel/testing/fixture-builder';
import { parseChecks } from '../../src/checks/expectations';
import { inspectedEgressCheck, traceInternetFlows } from '../../src/checks/path-checks';
import { internetTargets, runChecks } from '../../src/checks/run';
import { Topology } from '../../src/checks/topology';
import { createTracer } from '../../src/checks/tracer';
import type { CheckResult } from '../../src/checks/types';
import { UnknownProbeError } from '../../src/model-probe';

const AZS = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

async function check(
  snapshot: NetworkSnapshot,
  checks: Record<string, unknown> = {},
): Promise<Map<string, CheckResult>> {
  const results = await runChecks({ snapshot, expectations: parseChecks(checks) });
  return new Map(results.map((r) => [r.id, r]));
}
const fixture = (o: HubSpokeFixtureOptions = {}): NetworkSnapshot =>
  buildHubSpokeSnapshot({ azs: AZS, ...o });
const get = (m: Map<string, CheckResult>, id: string): CheckResult => {
  const r = m.get(id);
  if (!r) throw new Error(`no result ${id}; have ${[...m.keys()].join(', ')}`);
  return r;
};

describe('the healthy hub-and-spoke network', () => {
  let results: Map<string, CheckResult>;
  beforeAll(async () => {
    results = await check(fixture());
  });

  it('passes every default check, in docs/contracts.md "The hubspoke CLI" order', () => {
    expect([...results.keys()]).toEqual([
      'egress-ip',
      'allow:www.amazon.com:443',
      'allow:checkip.amazonaws.com:443',
      'deny:example.com:443',
      'deny:example.com:80',
      'ssm-reachable',
      'spoke-attachment',
      'inspected-egress',
      'inspected-east-west',
      'symmetric-return',
    ]);
    for (const r of results.values())
      expect({ id: r.id, status: r.status, detail: r.detail }).toEqual({
        id: r.id,
        status: 'pass',
        detail: r.detail,
      });
  });

  it('egress-ip: the probes appear as NAT EIPs of the inspection VPC', () => {
    expect(get(results, 'egress-ip').detail).toMatch(/NAT EIPs of inspection: 203\.0\.113\.\d+/);
  });

  it('path checks cover every workload subnet in every AZ and every possible path', () => {
    // 2 spokes x 3 AZs x 4 internet targets (www.amazon.com:443, checkip:443, example.com:443 and :80),
    // each with one path per inspection AZ (appliance mode lets the TGW pick any).
    expect(get(results, 'inspected-egress').covered).toBe(2 * 3 * 4 * 3);
    expect(get(results, 'symmetric-return').covered).toBeGreaterThan(
      get(results, 'inspected-egress').covered!,
    );
  });

  it('allow names the firewall rule group that passed the flow', () => {
    expect(get(results, 'allow:www.amazon.com:443').decisive?.kind).toBe('firewall');
  });
});

describe('warnings', () => {
  it('surface the split-ClientHello hazard on a passing allow check', async () => {
    const r = get(
      await check(fixture({ statefulDefaultActions: ['aws:drop_established'] })),
      'allow:www.amazon.com:443',
    );
    expect(r.status).toBe('pass');
    expect(r.warnings?.join('\n')).toMatch(/ClientHello/);
  });
});

describe('egress-ip', () => {
  it('fails when checkip.amazonaws.com is not allowlisted: the probe cannot observe its IP', async () => {
    const r = get(await check(fixture({ allowedDomains: ['.amazon.com'] })), 'egress-ip');
    expect(r.status).toBe('fail');
    expect(r.detail).toContain('could not observe its egress IP');
    expect(r.decisive).toMatchObject({
      kind: 'firewall',
      az: 'us-east-1a',
      subnetId: 'subnet-spoke-a-workload-a',
    });
  });

  it('fails when the observed IP is not one of the expected ones, naming the NAT hop', async () => {
    const r = get(await check(fixture(), { egressIps: ['198.51.100.99'] }), 'egress-ip');
    expect(r.status).toBe('fail');
    expect(r.detail).toMatch(/egress IP 203\.0\.113\.\d+.* is not one of the egressIps of the checks file/);
    expect(r.failures?.[0]?.decisive?.kind).toMatch(/nat-gateway|internet-gateway/);
  });
});

describe('allow:<host>:<port>', () => {
  it('fails when HOME_NET is the firewall VPC CIDR (domain rules never match spoke traffic)', async () => {
    const r = get(await check(fixture({ homeNet: null })), 'allow:www.amazon.com:443');
    expect(r.status).toBe('fail');
    expect(r.decisive?.kind).toBe('firewall');
    expect(r.detail).toContain('HOME_NET');
    expect(r.failures).toHaveLength(2);
    expect(r.failures!.map((f) => f.az)).toEqual(['us-east-1a', 'us-east-1a']);
  });

  it('fails when a route is missing in one AZ: one of the possible paths dies there', async () => {
    const r = get(await check(fixture({ omitFirewallRouteAzs: ['us-east-1b'] })), 'allow:www.amazon.com:443');
    expect(r.status).toBe('fail');
    expect(r.decisive).toMatchObject({ kind: 'no-route', az: 'us-east-1b' });
  });
});

describe('deny:<host>:<port>', () => {
  it('fails when the denied domain is allowlisted, naming the passing rule', async () => {
    const results = await check(
      fixture({ allowedDomains: ['.amazon.com', 'checkip.amazonaws.com', 'example.com'] }),
    );
    const tls = get(results, 'deny:example.com:443');
    expect(tls.status).toBe('fail');
    expect(tls.decisive?.kind).toBe('firewall');
    expect(tls.detail).toContain('expected no response');
    expect(get(results, 'deny:example.com:80').status).toBe('fail');
  });

  it('fails when the spoke has its own way out (IGW + public IP), naming the route that bypasses the firewall', async () => {
    const r = get(
      await check(fixture({ spokeRouteToIgw: [0], probePublicIps: true })),
      'deny:example.com:443',
    );
    expect(r.status).toBe('fail');
    expect(r.decisive).toMatchObject({ kind: 'route', subnetId: 'subnet-spoke-a-workload-a' });
  });
});

describe('probes that are not running', () => {
  it('a terminated probe named in the checks file fails every probe check, naming its state', async () => {
    const s = fixture();
    const probe = s.Instances!.find((i) => i.InstanceId === 'i-spoke-a-probe')!;
    probe.State = { Code: 48, Name: 'terminated' };
    delete probe.NetworkInterfaces;
    s.NetworkInterfaces = s.NetworkInterfaces!.filter((n) => n.NetworkInterfaceId !== 'eni-spoke-a-probe');
    const results = await check(s, { probes: ['spoke-a-probe'] });
    for (const id of ['egress-ip', 'allow:www.amazon.com:443', 'deny:example.com:443', 'ssm-reachable']) {
      const r = get(results, id);
      expect(r.status).toBe('fail');
      expect(r.detail).toContain(
        'i-spoke-a-probe is terminated: a probe that is not running observes nothing',
      );
      expect(r.decisive).toMatchObject({ kind: 'instance-state', id: 'i-spoke-a-probe' });
    }
  });
});

describe('ssm-reachable', () => {
  it('without the ssmmessages endpoint the agent goes public, and the firewall (SNI) drops it', async () => {
    const s = fixture();
    s.VpcEndpoints = s.VpcEndpoints!.filter((e) => e.VpcEndpointId !== 'vpce-spoke-b-ssmmessages');
    const r = get(await check(s), 'ssm-reachable');
    expect(r.status).toBe('fail');
    expect(r.detail).toContain(
      'no com.amazonaws.us-east-1.ssmmessages interface endpoint in vpc-spoke-b: ssmmessages.us-east-1.amazonaws.com resolves to the service',
    );
    expect(r.decisive).toMatchObject({ kind: 'firewall', subnetId: 'subnet-spoke-b-workload-a' });
  });

  it('fails when an endpoint has no network interface (in no subnet), naming it', async () => {
    const s = fixture();
    const ep = s.VpcEndpoints!.find((e) => e.VpcEndpointId === 'vpce-spoke-a-ssm')!;
    const enis = new Set(ep.NetworkInterfaceIds);
    ep.SubnetIds = [];
    ep.NetworkInterfaceIds = [];
    s.NetworkInterfaces = s.NetworkInterfaces!.filter((n) => !enis.has(n.NetworkInterfaceId!));
    const r = get(await check(s, { checks: ['ssm-reachable'] }), 'ssm-reachable');
    expect(r.status).toBe('fail');
    expect(r.detail).toContain('ssm endpoint vpce-spoke-a-ssm has no network interface');
    expect(r.failures!.map((f) => f.subject)).toEqual(['spoke-a-probe']);
  });

  it('a snapshot without VpcAttributes (an older file) passes on no DNS grounds, with a warning', async () => {
    const s = fixture();
    delete s.VpcAttributes;
    const r = get(await check(s), 'ssm-reachable');
    expect(r.status).toBe('pass');
    expect(r.warnings).toContain(
      'DNS attributes of vpc-spoke-a are unknown (the snapshot has no VpcAttributes): private DNS of its SSM endpoints was assumed in effect',
    );
  });

  it('fails when the endpoint security group does not admit 443, naming the group', async () => {
    const s = fixture();
    const sg = s.SecurityGroups!.find((g) => g.GroupId === 'sg-spoke-a-endpoints')!;
    sg.IpPermissions = [
      { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
    ];
    const r = get(await check(s), 'ssm-reachable');
    expect(r.status).toBe('fail');
    expect(r.decisive).toMatchObject({ kind: 'security-group', id: 'sg-spoke-a-endpoints' });
  });
});

describe('inspected-egress', () => {
  it('fails when the inspection TGW subnets route straight to NAT, naming that route table per AZ', async () => {
    const r = get(await check(fixture({ bypassFirewall: true })), 'inspected-egress');
    expect(r.status).toBe('fail');
    expect(r.decisive).toMatchObject({ kind: 'route' });
    expect(r.decisive!.id).toMatch(/^rtb-inspection-tgw-[abc]$/);
    expect(new Set(r.failures!.map((f) => f.az))).toEqual(new Set(AZS));
    expect(r.detail).toContain('reaches the internet without crossing a firewall endpoint');
  });

  it('fails when a path dies before any firewall endpoint, naming the route table that has no route', async () => {
    const r = get(await check(fixture({ omitFirewallRouteAzs: ['us-east-1b'] })), 'inspected-egress');
    expect(r.status).toBe('fail');
    expect(r.detail).toMatch(/path \d\/3: dropped before any firewall endpoint/);
    expect(r.decisive).toMatchObject({ kind: 'no-route', id: 'rtb-inspection-tgw-b', az: 'us-east-1b' });
    // Only the paths through us-east-1b die: one of three per flow.
    expect(r.failures!.length * 3).toBe(r.covered);
  });

  it('fails with no spoke at all, saying so', async () => {
    const r = get(await check(fixture({ spokeCount: 0 })), 'inspected-egress');
    expect(r).toMatchObject({
      status: 'fail',
      covered: 0,
      detail: 'no spoke workload subnet found (no spoke VPC in the snapshot)',
    });
  });

  it('fails when the model returns no path for any flow', () => {
    const snapshot = fixture();
    const tracer = createTracer(snapshot);
    const noPaths = { model: tracer.model, trace: () => [] };
    const topology = new Topology(tracer.model);
    const flows = traceInternetFlows(noPaths, topology, internetTargets(parseChecks({})));
    expect(flows.length).toBeGreaterThan(0);
    expect(inspectedEgressCheck(topology, flows)).toMatchObject({
      status: 'fail',
      covered: 0,
      detail: 'the model returned no path for any flow',
    });
  });

  it('fails for the one spoke whose workload subnets route to their own IGW', async () => {
    const r = get(await check(fixture({ spokeRouteToIgw: [1] })), 'inspected-egress');
    expect(r.status).toBe('fail');
    expect(new Set(r.failures!.map((f) => f.subnetId))).toEqual(
      new Set(['subnet-spoke-b-workload-a', 'subnet-spoke-b-workload-b', 'subnet-spoke-b-workload-c']),
    );
    expect(r.decisive?.id).toBe('rtb-spoke-b-workload-a');
  });
});

describe('symmetric-return', () => {
  it('fails without appliance mode: cross-AZ east-west replies cross another endpoint', async () => {
    const r = get(await check(fixture({ applianceMode: false })), 'symmetric-return');
    expect(r.status).toBe('fail');
    expect(r.detail).toMatch(/request crosses vpce-fw-., reply crosses vpce-fw-./);
    expect(r.decisive).toMatchObject({ kind: 'tgw-attachment', id: 'tgw-attach-inspection' });
    // Same-AZ internet flows stay symmetric even without appliance mode; only cross-AZ pairs fail.
    for (const f of r.failures!) expect(f.subject).toMatch(/workload-(.).*-> .*workload-(?!\1)/);
  });

  it('fails when the request never reaches its destination on some path', async () => {
    const r = get(await check(fixture({ omitFirewallRouteAzs: ['us-east-1c'] })), 'symmetric-return');
    expect(r.status).toBe('fail');
    expect(r.detail).toContain(
      'the request never reaches its destination (and crosses no firewall endpoint)',
    );
    expect(r.decisive).toMatchObject({ kind: 'no-route', id: 'rtb-inspection-tgw-c' });
  });

  it('fails when the reply is dropped on its way back, naming the endpoint it never returns through', async () => {
    const s = fixture();
    const rt = s.RouteTables!.find((t) => t.RouteTableId === 'rtb-inspection-public-b')!;
    rt.Routes = rt.Routes!.filter((x) => x.DestinationCidrBlock !== '10.0.0.0/8');
    const r = get(await check(s, { checks: ['symmetric-return'] }), 'symmetric-return');
    expect(r.status).toBe('fail');
    expect(r.detail).toContain('the reply is dropped before returning through vpce-fw-b');
    expect(r.decisive).toMatchObject({ kind: 'internet-gateway', id: 'igw-inspection' });
    expect(r.decisive!.detail).toMatch(/^reply: /);
  });

  it('fails when routes use the endpoint of another AZ', async () => {
    const r = get(await check(fixture({ crossAzEndpoints: true })), 'symmetric-return');
    expect(r.status).toBe('fail');
    expect(r.failures!.length).toBeGreaterThan(0);
  });
});

describe('east-west:<vpcA>:<vpcB>', () => {
  it('passes "deny" when the policy drops spoke-to-spoke traffic, and fails "allow", naming the firewall', async () => {
    const results = await check(fixture(), {
      eastWest: [
        { from: 'spoke-a', to: 'spoke-b', expect: 'deny' },
        { from: 'vpc-spoke-b', to: 'spoke-a', expect: 'allow', port: 22 },
      ],
      checks: ['east-west'],
    });
    expect([...results.keys()]).toEqual(['east-west:spoke-a:spoke-b', 'east-west:vpc-spoke-b:spoke-a']);
    expect(get(results, 'east-west:spoke-a:spoke-b').status).toBe('pass');
    expect(get(results, 'east-west:spoke-a:spoke-b').covered).toBe(9 * 3);
    const allow = get(results, 'east-west:vpc-spoke-b:spoke-a');
    expect(allow.status).toBe('fail');
    expect(allow.decisive?.kind).toBe('firewall');
  });

  it('fails "deny" when spokes propagate into the spoke route table (traffic skips the firewall)', async () => {
    const results = await check(fixture({ spokesPropagateToSpokeRt: true }), {
      eastWest: [{ from: 'spoke-a', to: 'spoke-b', expect: 'deny' }],
      checks: ['east-west'],
    });
    const r = get(results, 'east-west:spoke-a:spoke-b');
    expect(r.status).toBe('fail');
    expect(r.decisive).toMatchObject({ kind: 'tgw-route', id: 'tgw-rtb-spoke' });
  });

  it('fails naming a VPC that has no workload subnet', async () => {
    const r = get(
      await check(fixture(), {
        eastWest: [{ from: 'inspection', to: 'spoke-a', expect: 'deny' }],
        checks: ['east-west'],
      }),
      'east-west:inspection:spoke-a',
    );
    expect(r).toMatchObject({ status: 'fail', covered: 0, detail: 'no workload subnet in inspection' });
  });

  it('fails naming an unknown VPC', async () => {
    const r = get(
      await check(fixture(), {
        eastWest: [{ from: 'spoke-a', to: 'spoke-zz', expect: 'deny' }],
        checks: ['east-west'],
      }),
      'east-west:spoke-a:spoke-zz',
    );
    expect(r.status).toBe('fail');
    expect(r.detail).toContain('"spoke-zz" is not in the snapshot');
  });
});

describe('probe selection', () => {
  it('falls back to instances in VPCs without IGW when none is tagged, then to stand-in workloads (stand-ins.test.ts)', async () => {
    const untagged = fixture();
    for (const i of untagged.Instances!) i.Tags = i.Tags!.filter((t) => t.Key !== 'hubspoke:role');
    expect(get(await check(untagged), 'egress-ip')).toMatchObject({ status: 'pass', covered: 2 });

    // no instance at all: a stand-in workload in each of the 2 spokes x 3 AZs workload subnets
    const none = get(await check(fixture({ probes: false })), 'egress-ip');
    expect(none).toMatchObject({ status: 'pass', covered: 6 });
    expect(none.detail).toContain('modelled from a stand-in workload');
  });

  it('uses the probes of the checks file and rejects an unknown one', async () => {
    expect(
      get(await check(fixture(), { probes: ['spoke-b-probe'] }), 'allow:www.amazon.com:443').covered,
    ).toBe(1);
    await expect(check(fixture(), { probes: ['i-nope'] })).rejects.toBeInstanceOf(UnknownProbeError);
  });
});
