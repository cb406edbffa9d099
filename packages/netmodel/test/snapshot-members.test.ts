/**
 * The snapshot members VpcAttributes, ManagedPrefixLists/Entries and VpcPeeringConnections: what
 * the model reads from them, and the errors that name what is wrong.
 */
import { buildNetworkModel } from '../src/model/build';
import { resolveServiceName } from '../src/model/dns';
import { SnapshotError } from '../src/model/errors';
import {
  SNAPSHOT_KEYED_BY,
  SNAPSHOT_KEYED_MEMBERS,
  SNAPSHOT_LIST_MEMBERS,
  SNAPSHOT_MEMBER_SHAPES,
  SNAPSHOT_MEMBERS,
  snapshotElementId,
  type NetworkSnapshot,
} from '../src/snapshot';
import { buildHubSpokeSnapshot } from '../testing/fixture-builder';
import { lookupRoute } from '../src/routing/vpc-routing';
import { natPortRanges } from '../src/trace/walker';
import { routeTable } from './helpers';

const withList = (s: NetworkSnapshot, id = 'pl-1', cidrs = ['198.18.0.0/15']): void => {
  s.ManagedPrefixLists!.push({ PrefixListId: id, PrefixListName: 'corp', AddressFamily: 'IPv4' });
  s.ManagedPrefixListEntries![id] = cidrs.map((Cidr) => ({ Cidr }));
};

describe('VpcAttributes', () => {
  it('are read per VPC; absent, they are unknown (not false)', () => {
    const s = buildHubSpokeSnapshot();
    s.VpcAttributes![1] = {
      VpcId: 'vpc-spoke-a',
      EnableDnsSupport: { Value: true },
      EnableDnsHostnames: { Value: false },
    };
    const m = buildNetworkModel(s);
    expect(m.vpcs.get('vpc-spoke-a')!.dns).toEqual({ support: true, hostnames: false });
    delete s.VpcAttributes;
    expect(buildNetworkModel(s).vpcs.get('vpc-spoke-a')!.dns).toBeUndefined();
  });

  it('decide how a service name resolves; unknown attributes assume private DNS and say so', () => {
    const s = buildHubSpokeSnapshot();
    const m = buildNetworkModel(s);
    expect(resolveServiceName(m, 'vpc-spoke-a', 'ssm.us-east-1.amazonaws.com')).toMatchObject({
      kind: 'private',
      endpointId: 'vpce-spoke-a-ssm',
      addresses: ['10.1.0.20', '10.1.1.20'],
    });
    delete s.VpcAttributes;
    const unknown = resolveServiceName(buildNetworkModel(s), 'vpc-spoke-a', 'ssm.us-east-1.amazonaws.com');
    expect(unknown).toMatchObject({ kind: 'private', warning: expect.stringContaining('no VpcAttributes') });
    expect(resolveServiceName(m, 'vpc-spoke-a', 'sts.us-east-1.amazonaws.com')).toMatchObject({
      kind: 'public',
    });
  });

  it('a value missing is an error naming it', () => {
    const s = buildHubSpokeSnapshot();
    s.VpcAttributes![0]!.EnableDnsHostnames = {};
    expect(() => buildNetworkModel(s)).toThrow(
      'VpcAttributes[0] (vpc-inspection): EnableDnsHostnames.Value missing',
    );
  });
});

describe('managed prefix lists', () => {
  it('a prefix-list route becomes a route per entry, and a static route for the same block wins', () => {
    const s = buildHubSpokeSnapshot();
    withList(s, 'pl-1', ['198.18.0.0/15', '100.64.0.0/10']);
    const rt = routeTable(s, 'rtb-spoke-a-workload-a');
    rt.Routes!.push({ DestinationPrefixListId: 'pl-1', TransitGatewayId: 'tgw-hub', State: 'active' });
    rt.Routes!.push({ DestinationCidrBlock: '100.64.0.0/10', GatewayId: 'local', State: 'active' });
    const m = buildNetworkModel(s);
    const table = m.routeTables.get('rtb-spoke-a-workload-a')!;
    expect(
      table.routes
        .values()
        .filter((r) => r.prefixListId === 'pl-1')
        .map((r) => r.dest.text),
    ).toEqual(['198.18.0.0/15', '100.64.0.0/10']);
    const hit = lookupRoute(table, '100.64.1.1');
    expect(hit.kind === 'routes' && hit.routes.map((r) => [r.priority, r.target.kind])).toEqual([
      ['static', 'local'],
    ]);
    const viaList = lookupRoute(table, '198.18.0.1');
    expect(viaList.kind === 'routes' && viaList.routes.map((r) => r.text)).toEqual([
      'rtb-spoke-a-workload-a: pl-1 (corp: 198.18.0.0/15) -> tgw-hub',
    ]);
  });

  it.each<[string, (s: NetworkSnapshot) => void, string]>([
    [
      'a route to a list the snapshot does not hold',
      (s) =>
        routeTable(s, 'rtb-spoke-a-workload-a').Routes!.push({
          DestinationPrefixListId: 'pl-nope',
          GatewayId: 'local',
        }),
      'RouteTables[8] (rtb-spoke-a-workload-a): Routes[2].DestinationPrefixListId "pl-nope" is not in ManagedPrefixLists',
    ],
    [
      'a security-group rule naming an absent list',
      (s) =>
        s.SecurityGroups![0]!.IpPermissions!.push({
          IpProtocol: '-1',
          PrefixListIds: [{ PrefixListId: 'pl-nope' }],
        }),
      'IpPermissions[1].PrefixListIds[] "pl-nope" is not in ManagedPrefixLists',
    ],
    [
      'a TGW route to an absent list',
      (s) =>
        s.TransitGatewayRoutes!['tgw-rtb-spoke']!.push({
          PrefixListId: 'pl-nope',
          State: 'active',
          TransitGatewayAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-inspection' }],
        }),
      'TransitGatewayRoutes["tgw-rtb-spoke"]: [1].PrefixListId "pl-nope" is not in ManagedPrefixLists',
    ],
    [
      'a list without its entries',
      (s) => s.ManagedPrefixLists!.push({ PrefixListId: 'pl-2', AddressFamily: 'IPv4' }),
      'ManagedPrefixLists[0] (pl-2): its entries are not in ManagedPrefixListEntries',
    ],
    [
      'entries of a list that is not listed',
      (s) => (s.ManagedPrefixListEntries!['pl-3'] = [{ Cidr: '10.0.0.0/8' }]),
      'ManagedPrefixListEntries["pl-3"]: "pl-3" is not in ManagedPrefixLists',
    ],
  ])('%s is an error naming it', (_what, edit, message) => {
    const s = buildHubSpokeSnapshot();
    edit(s);
    expect(() => buildNetworkModel(s)).toThrow(SnapshotError);
    expect(() => buildNetworkModel(s)).toThrow(message);
  });
});

describe('TGW associations', () => {
  it('a VPC attachment still has one association per gateway', () => {
    const s = buildHubSpokeSnapshot();
    s.TransitGatewayRouteTableAssociations!['tgw-rtb-inspection']!.push({
      TransitGatewayAttachmentId: 'tgw-attach-spoke-a',
      State: 'associated',
    });
    expect(() => buildNetworkModel(s)).toThrow(
      'attachment is also associated with tgw-rtb-spoke on tgw-hub; an attachment has one association per transit gateway',
    );
  });
});

describe('NAT source ports', () => {
  it('the range 1024-65535 splits where the NAT subnet ACL treats ports differently', () => {
    const m = buildNetworkModel(buildHubSpokeSnapshot());
    const subnet = m.subnets.get('subnet-inspection-public-a')!;
    expect(natPortRanges(subnet)).toEqual([{ from: 1024, to: 65535 }]);
    subnet.nacl = {
      ...subnet.nacl!,
      ingress: [
        {
          ruleNumber: 100,
          protocol: '6',
          allow: true,
          cidr: subnet.cidr,
          fromPort: 32768,
          toPort: 60999,
          text: '',
        },
      ],
    };
    expect(natPortRanges(subnet)).toEqual([
      { from: 1024, to: 32767 },
      { from: 32768, to: 60999 },
      { from: 61000, to: 65535 },
    ]);
  });
});

describe('SNAPSHOT_MEMBER_SHAPES, the one list of members', () => {
  it('gives the member lists in contract order, each member of one kind', () => {
    expect(SNAPSHOT_MEMBERS[0]).toBe('Region');
    expect([...SNAPSHOT_LIST_MEMBERS, ...SNAPSHOT_KEYED_MEMBERS, 'Region'].sort()).toEqual(
      [...SNAPSHOT_MEMBERS].sort(),
    );
    expect(SNAPSHOT_KEYED_BY).toEqual({
      TransitGatewayRouteTableAssociations: 'TGW route table id',
      TransitGatewayRouteTablePropagations: 'TGW route table id',
      TransitGatewayRoutes: 'TGW route table id',
      ManagedPrefixListEntries: 'prefix-list id',
    });
    // The fixture writes every member; the model's own member check follows the same list.
    expect(Object.keys(buildHubSpokeSnapshot())).toEqual([...SNAPSHOT_MEMBERS]);
  });

  it("finds an element's id along its paths, in order of preference", () => {
    const { Addresses, Firewalls } = SNAPSHOT_MEMBER_SHAPES;
    expect(snapshotElementId(Addresses, { AllocationId: 'eipalloc-1', PublicIp: '198.51.100.1' })).toBe(
      'eipalloc-1',
    );
    expect(snapshotElementId(Addresses, { PublicIp: '198.51.100.1' })).toBe('198.51.100.1');
    expect(snapshotElementId(Firewalls, { Firewall: { FirewallArn: 'arn:fw' } })).toBe('arn:fw');
    expect(snapshotElementId(Firewalls, { Firewall: {} })).toBeUndefined();
    expect(snapshotElementId(Firewalls, { Firewall: null })).toBeUndefined();
  });
});
