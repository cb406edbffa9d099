/**
 * Every spoke of the environment is checked or named: which VPCs are spokes (stack outputs, tags,
 * attachments), `spoke-attachment` with each way a spoke can fall out of the hub's routing,
 * `inspected-egress` on a spoke's own way to the internet, and `inspected-east-west` on paths
 * between spokes. Each failure branch has a fixture that reaches it and asserts its message.
 */
import type { Route } from '@aws-sdk/client-ec2';
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import {
  buildHubSpokeSnapshot,
  type HubSpokeFixtureOptions,
} from '@hubspoke/netmodel/testing/fixture-builder';
import { parseChecks } from '../../src/checks/expectations';
import { classifyVpcs, type NetworkScope } from '../../src/checks/network-scope';
import { runPassed } from '../../src/checks/evaluated';
import { runChecks } from '../../src/checks/run';
import { ownInternetGateway } from '../../src/checks/spoke-checks';
import { createTracer } from '../../src/checks/tracer';
import type { CheckResult } from '../../src/checks/types';

const AZS = ['us-east-1a', 'us-east-1b'];
const fixture = (o: HubSpokeFixtureOptions = {}): NetworkSnapshot =>
  buildHubSpokeSnapshot({ azs: AZS, ...o });

async function check(
  snapshot: NetworkSnapshot,
  id: string,
  scope: NetworkScope = {},
  checks: Record<string, unknown> = {},
): Promise<CheckResult> {
  const results = await runChecks({ snapshot, expectations: parseChecks(checks), scope });
  const r = results.find((x) => x.id === id);
  if (!r) throw new Error(`no result ${id}; have ${results.map((x) => x.id).join(', ')}`);
  return r;
}

function addRoute(s: NetworkSnapshot, tableId: string, route: Route): void {
  s.RouteTables!.find((t) => t.RouteTableId === tableId)!.Routes!.push({
    Origin: 'CreateRoute',
    State: 'active',
    ...route,
  });
}

describe('the environment of a snapshot', () => {
  it('spokes by tags, the hub by its firewall, the default VPC outside; the env from the hub', () => {
    const env = classifyVpcs(createTracer(fixture({ defaultVpc: true })).model);
    expect(env).toMatchObject({
      env: 'dev',
      hubVpcIds: ['vpc-inspection'],
      spokes: [
        { vpcId: 'vpc-spoke-a', name: 'spoke-a', source: 'tags' },
        { vpcId: 'vpc-spoke-b', name: 'spoke-b', source: 'tags' },
      ],
      outside: [
        { vpcId: 'vpc-default', cidr: '172.31.0.0/16', why: 'the default VPC, no project tag, not attached' },
      ],
    });
  });

  it('an untagged VPC attached to the TGW is a spoke; one tagged for another env is outside', () => {
    const s = fixture({ spokeCount: 3, detachedSpokes: [2] });
    s.Vpcs!.find((v) => v.VpcId === 'vpc-spoke-a')!.Tags = [];
    s.Vpcs!.find((v) => v.VpcId === 'vpc-spoke-c')!.Tags = [
      { Key: 'hubspoke:env', Value: 'prod' },
      { Key: 'hubspoke:stack', Value: 'spoke-c' },
    ];
    const env = classifyVpcs(createTracer(s).model);
    expect(env.spokes.map((x) => [x.vpcId, x.source])).toEqual([
      ['vpc-spoke-b', 'tags'],
      ['vpc-spoke-a', 'tgw attachment'],
    ]);
    expect(env.outside).toEqual([
      { vpcId: 'vpc-spoke-c', cidr: '10.3.0.0/16', why: 'hubspoke:stack=spoke-c of env prod' },
    ]);
  });

  it('spokes named by the stack outputs count even without tags, under their project name', () => {
    const s = fixture();
    s.Vpcs!.find((v) => v.VpcId === 'vpc-spoke-b')!.Tags = [];
    const env = classifyVpcs(createTracer(s).model, {
      env: 'dev',
      spokes: [{ name: 'team-b', vpcId: 'vpc-spoke-b' }],
    });
    expect(env.spokes.find((x) => x.vpcId === 'vpc-spoke-b')).toMatchObject({
      name: 'team-b',
      source: 'stack outputs',
      inSnapshot: true,
    });
  });
});

describe('spoke-attachment', () => {
  it('passes naming the spokes and the TGW, and lists the VPCs outside the network', async () => {
    const r = await check(fixture({ defaultVpc: true }), 'spoke-attachment');
    expect(r).toMatchObject({
      status: 'pass',
      covered: 2,
      detail:
        '2 spoke VPC(s) attached to tgw-hub and associated: spoke-a, spoke-b; outside the network, not checked: ' +
        'vpc-default (172.31.0.0/16, the default VPC, no project tag, not attached)',
    });
  });

  it('fails for a spoke that is not attached, naming it', async () => {
    const r = await check(fixture({ detachedSpokes: [1] }), 'spoke-attachment');
    expect(r.status).toBe('fail');
    expect(r.detail).toBe(
      '1/2 spoke(s) failed: spoke-b (vpc-spoke-b, found by tags): is not attached to a transit gateway: ' +
        'nothing it sends reaches the inspection VPC',
    );
    expect(r.decisive).toMatchObject({ kind: 'vpc', id: 'vpc-spoke-b' });
  });

  it('fails for a spoke whose attachment is associated with no TGW route table, naming the attachment', async () => {
    const r = await check(fixture({ unassociatedSpokes: [0] }), 'spoke-attachment');
    expect(r.status).toBe('fail');
    expect(r.detail).toContain(
      'spoke-a (vpc-spoke-a, found by tags): attachment tgw-attach-spoke-a is associated with no transit gateway route table',
    );
    expect(r.decisive).toMatchObject({ kind: 'tgw-attachment', id: 'tgw-attach-spoke-a' });
  });

  it('fails for a spoke attached to another transit gateway', async () => {
    const s = fixture();
    s.TransitGateways!.push({ TransitGatewayId: 'tgw-other', State: 'available' });
    for (const a of [...s.TransitGatewayVpcAttachments!, ...s.TransitGatewayAttachments!])
      if (a.TransitGatewayAttachmentId === 'tgw-attach-spoke-b') a.TransitGatewayId = 'tgw-other';
    const r = await check(s, 'spoke-attachment', {}, { checks: ['spoke-attachment'] });
    expect(r.status).toBe('fail');
    expect(r.detail).toContain(
      "spoke-b (vpc-spoke-b, found by tags): is attached only to tgw-other, not to the inspection VPC's transit gateway tgw-hub",
    );
  });

  it('fails for a spoke the stack outputs name but the snapshot lacks', async () => {
    const r = await check(fixture(), 'spoke-attachment', {
      spokes: [{ name: 'spoke-c', vpcId: 'vpc-0c0c0c0c' }],
    });
    expect(r.status).toBe('fail');
    expect(r.detail).toContain(
      'spoke-c (vpc-0c0c0c0c, found by stack outputs): named by the stack outputs (vpc-0c0c0c0c) but not in the snapshot',
    );
  });

  it('fails when there is no spoke at all', async () => {
    const r = await check(fixture({ spokeCount: 0 }), 'spoke-attachment');
    expect(r).toMatchObject({
      status: 'fail',
      covered: 0,
      detail:
        'no spoke VPC found (none named by the stack outputs, tagged hubspoke:stack, or attached to a transit gateway)',
    });
  });
});

describe('inspected-egress: a spoke with a way to the internet of its own', () => {
  it.each([
    ['an internet gateway', { GatewayId: 'igw-rogue' }, 'igw-rogue'],
    ['a NAT gateway', { NatGatewayId: 'nat-rogue' }, 'nat-rogue'],
    ['an egress-only internet gateway', { EgressOnlyInternetGatewayId: 'eigw-rogue' }, 'eigw-rogue'],
  ])('fails for a route to %s, whatever destination it covers', async (_what, target, gateway) => {
    const s = fixture();
    addRoute(s, 'rtb-spoke-b-workload-b', { DestinationCidrBlock: '198.18.0.0/15', ...target });
    if (gateway === 'igw-rogue')
      s.InternetGateways!.push({ InternetGatewayId: 'igw-rogue', Attachments: [{ VpcId: 'vpc-spoke-b' }] });
    if (gateway === 'nat-rogue')
      s.NatGateways!.push({
        NatGatewayId: 'nat-rogue',
        VpcId: 'vpc-spoke-b',
        SubnetId: 'subnet-spoke-b-workload-b',
        State: 'available',
        ConnectivityType: 'private',
        NatGatewayAddresses: [{ PrivateIp: '10.2.1.99' }],
      });
    const r = await check(s, 'inspected-egress');
    expect(r.status).toBe('fail');
    expect(r.detail).toBe(
      `1 spoke subnet(s) route to the internet on their own: spoke-b subnet-spoke-b-workload-b (us-east-1b) ` +
        `has a way to the internet of its own: 198.18.0.0/15 -> ${gateway} in rtb-spoke-b-workload-b`,
    );
    expect(r.decisive).toMatchObject({ kind: 'route', id: 'rtb-spoke-b-workload-b', az: 'us-east-1b' });
  });

  it.each<[string, Route]>([
    ['a peering connection', { DestinationCidrBlock: '172.20.0.0/16', VpcPeeringConnectionId: 'pcx-1' }],
    ['a gateway endpoint', { DestinationPrefixListId: 'pl-63a5400a', GatewayId: 'vpce-0s3' }],
    ['the transit gateway', { DestinationCidrBlock: '0.0.0.0/0', TransitGatewayId: 'tgw-hub' }],
    ['the VPC itself', { DestinationCidrBlock: '10.2.0.0/16', GatewayId: 'local' }],
    [
      'a blackholed IGW',
      { DestinationCidrBlock: '198.18.0.0/15', GatewayId: 'igw-gone', State: 'blackhole' },
    ],
  ])('a route to %s is not a way out of its own', (_what, route) => {
    expect(ownInternetGateway({ State: 'active', ...route })).toBeUndefined();
  });
});

describe('inspected-east-west', () => {
  it('fails when spokes reach each other straight through the TGW, naming the TGW route table', async () => {
    const r = await check(fixture({ spokesPropagateToSpokeRt: true }), 'inspected-east-west');
    expect(r.status).toBe('fail');
    expect(r.detail).toBe(
      '8/8 path(s) failed: spoke-a subnet-spoke-a-workload-a (us-east-1a) -> spoke-b subnet-spoke-b-workload-a (us-east-1a) ' +
        'path 1/1: reaches the other spoke without crossing a firewall endpoint (+7 more)',
    );
    expect(r.decisive).toMatchObject({ kind: 'tgw-route', id: 'tgw-rtb-spoke' });
  });

  it('fails when a path between spokes is dropped before any firewall endpoint', async () => {
    const r = await check(fixture({ unassociatedSpokes: [1] }), 'inspected-east-west');
    expect(r.status).toBe('fail');
    expect(r.detail).toContain(
      'spoke-b subnet-spoke-b-workload-a (us-east-1a) -> spoke-a subnet-spoke-a-workload-a (us-east-1a) path 1/1: dropped before any firewall endpoint',
    );
    expect(r.decisive).toMatchObject({ kind: 'no-route', id: 'tgw-attach-spoke-b' });
  });

  it('covers every AZ combination, same-AZ pairs included', async () => {
    const r = await check(fixture(), 'inspected-east-west');
    // 2 spokes x 2 AZs sources, each to the other spoke's 2 subnets, on each of 2 inspection AZs.
    expect(r).toMatchObject({ status: 'pass', covered: 4 * 2 * 2 });
  });

  it('is not applicable by default in a one-spoke environment, and does not fail the run', async () => {
    const snapshot = fixture({ spokeCount: 1 });
    const results = await runChecks({ snapshot, expectations: parseChecks({}) });
    const r = results.find((x) => x.id === 'inspected-east-west')!;
    expect(r).toMatchObject({
      status: 'not-applicable',
      covered: 0,
      detail: 'not applicable: one spoke (spoke-a), so no spoke-to-spoke path exists',
    });
    expect(results.filter((x) => x.status !== 'not-applicable').every((x) => x.status === 'pass')).toBe(true);
    expect(runPassed(results)).toBe(true);
  });

  it('fails in a one-spoke environment when the checks file asks for it: never passes on nothing', async () => {
    const r = await check(
      fixture({ spokeCount: 1 }),
      'inspected-east-west',
      {},
      { checks: ['inspected-east-west'] },
    );
    expect(r).toMatchObject({ status: 'fail', covered: 0 });
    expect(r.detail).toBe(
      'requested by the checks file, but the environment has one spoke (spoke-a): there is no spoke-to-spoke path to check, so it cannot pass',
    );
  });

  it('fails in a one-spoke environment when the checks file lists east-west pairs', async () => {
    const results = await runChecks({
      snapshot: fixture({ spokeCount: 1 }),
      expectations: parseChecks({ eastWest: [{ from: 'spoke-a', to: 'spoke-b', expect: 'deny' }] }),
    });
    expect(results.find((x) => x.id === 'inspected-east-west')).toMatchObject({ status: 'fail', covered: 0 });
    expect(results.find((x) => x.id === 'east-west:spoke-a:spoke-b')).toMatchObject({
      status: 'fail',
      detail: 'VPC "spoke-b" is not in the snapshot (by id, hubspoke:stack or Name tag)',
    });
    expect(runPassed(results)).toBe(false);
  });

  it('still fails when the environment has two spokes but one is not in the network', async () => {
    // The stack outputs name two spokes; only spoke-a made it into the snapshot. That is a broken
    // environment, not a one-spoke one.
    const scope = {
      spokes: [
        { vpcId: 'vpc-spoke-a', name: 'spoke-a' },
        { vpcId: 'vpc-0missing', name: 'spoke-b' },
      ],
    };
    const r = await check(fixture({ spokeCount: 1 }), 'inspected-east-west', scope);
    expect(r).toMatchObject({ status: 'fail', covered: 0 });
    expect(r.detail).toBe(
      "no two spokes with workload subnets (spoke-a) among the environment's 2 spoke(s): no east-west path to check",
    );
  });
});

describe('symmetric-return: no inspection is not symmetric inspection', () => {
  it('fails a path whose request and reply both skip the firewall, naming the route that sent them', async () => {
    const r = await check(fixture({ spokesPropagateToSpokeRt: true }), 'symmetric-return');
    expect(r.status).toBe('fail');
    expect(r.detail).toContain('neither the request nor the reply crosses a firewall endpoint');
    expect(r.decisive).toMatchObject({ kind: 'tgw-route', id: 'tgw-rtb-spoke' });
  });
});
