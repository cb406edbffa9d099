/**
 * Reads a deployed environment into a NetworkSnapshot (docs/snapshot-format.md) through the AWS SDK: every
 * Describe call the contract lists, all pages, scoped to the env. VPCs and transit gateways are
 * found by their `hubspoke:env` tag; everything inside them by VPC / TGW id, because not every
 * child resource carries tags (awsx does not tag route-table associations, AWS-managed ENIs are
 * never tagged) and the model needs all of them.
 */
import {
  DescribeAddressesCommand,
  type Filter,
  paginateDescribeInstances,
  paginateDescribeInternetGateways,
  paginateDescribeNatGateways,
  paginateDescribeNetworkAcls,
  paginateDescribeNetworkInterfaces,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeTransitGatewayAttachments,
  paginateDescribeTransitGatewayRouteTables,
  paginateDescribeTransitGatewayVpcAttachments,
  paginateDescribeTransitGateways,
  paginateDescribeVpcEndpoints,
  paginateDescribeVpcs,
  paginateGetTransitGatewayRouteTableAssociations,
  paginateGetTransitGatewayRouteTablePropagations,
  paginateSearchTransitGatewayRoutes,
} from '@aws-sdk/client-ec2';
import {
  DescribeFirewallCommand,
  DescribeFirewallPolicyCommand,
  DescribeRuleGroupCommand,
  type NetworkFirewallClient,
  paginateListFirewalls,
} from '@aws-sdk/client-network-firewall';
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import { TAG_ENV } from '@hubspoke/network/src/contracts';
import { type AwsClients, createAwsClients } from './aws-clients';
import { readNetworkExtras } from './aws-network-extras';

export interface ReadAwsSnapshotOptions {
  env: string;
  region?: string;
  /** Clients to use (tests pass mocked ones); default: new clients for `region`. */
  clients?: Pick<AwsClients, 'ec2' | 'nfw'>;
}

/** Filter values per request are capped by EC2 (200); id lists are chunked to stay under it. */
const MAX_FILTER_VALUES = 100;

async function collect<P, T>(pages: AsyncIterable<P>, pick: (page: P) => T[] | undefined): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...(pick(page) ?? []));
  return out;
}

function chunks<T>(items: T[], size = MAX_FILTER_VALUES): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs a filtered read once per chunk of ids; no ids means no call (an empty filter is an error). */
async function byIds<T>(ids: string[], read: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (const chunk of chunks([...new Set(ids)])) out.push(...(await read(chunk)));
  return out;
}

function f(name: string, values: string[]): Filter {
  return { Name: name, Values: values };
}

export async function readAwsSnapshot(options: ReadAwsSnapshotOptions): Promise<NetworkSnapshot> {
  const { ec2, nfw } = options.clients ?? createAwsClients(options.region);
  const region = options.region ?? (await ec2.config.region());
  const envFilter = f(`tag:${TAG_ENV}`, [options.env]);
  const client = { client: ec2 };

  const Vpcs = await collect(paginateDescribeVpcs(client, { Filters: [envFilter] }), (p) => p.Vpcs);
  const vpcIds = Vpcs.map((v) => v.VpcId).filter((id): id is string => !!id);
  const TransitGateways = await collect(
    paginateDescribeTransitGateways(client, { Filters: [envFilter] }),
    (p) => p.TransitGateways,
  );
  const tgwIds = TransitGateways.map((t) => t.TransitGatewayId).filter((id): id is string => !!id);

  const inVpcs = <T>(read: (filter: Filter) => Promise<T[]>, name = 'vpc-id'): Promise<T[]> =>
    byIds(vpcIds, (ids) => read(f(name, ids)));
  const inTgws = <T>(read: (filter: Filter) => Promise<T[]>): Promise<T[]> =>
    byIds(tgwIds, (ids) => read(f('transit-gateway-id', ids)));

  const [
    Subnets,
    RouteTables,
    InternetGateways,
    NatGateways,
    VpcEndpoints,
    SecurityGroups,
    NetworkAcls,
    NetworkInterfaces,
    Instances,
  ] = await Promise.all([
    inVpcs((flt) => collect(paginateDescribeSubnets(client, { Filters: [flt] }), (p) => p.Subnets)),
    inVpcs((flt) => collect(paginateDescribeRouteTables(client, { Filters: [flt] }), (p) => p.RouteTables)),
    inVpcs(
      (flt) =>
        collect(paginateDescribeInternetGateways(client, { Filters: [flt] }), (p) => p.InternetGateways),
      'attachment.vpc-id',
    ),
    inVpcs((flt) => collect(paginateDescribeNatGateways(client, { Filter: [flt] }), (p) => p.NatGateways)),
    inVpcs((flt) => collect(paginateDescribeVpcEndpoints(client, { Filters: [flt] }), (p) => p.VpcEndpoints)),
    inVpcs((flt) =>
      collect(paginateDescribeSecurityGroups(client, { Filters: [flt] }), (p) => p.SecurityGroups),
    ),
    inVpcs((flt) => collect(paginateDescribeNetworkAcls(client, { Filters: [flt] }), (p) => p.NetworkAcls)),
    inVpcs((flt) =>
      collect(paginateDescribeNetworkInterfaces(client, { Filters: [flt] }), (p) => p.NetworkInterfaces),
    ),
    inVpcs((flt) =>
      collect(
        paginateDescribeInstances(client, {
          // Every state: a tagged probe that is not running fails its checks naming its state.
          Filters: [
            flt,
            f('instance-state-name', [
              'pending',
              'running',
              'stopping',
              'stopped',
              'shutting-down',
              'terminated',
            ]),
          ],
        }),
        (p) => p.Reservations?.flatMap((r) => r.Instances ?? []),
      ),
    ),
  ]);

  // EIPs: the env's tagged ones plus those held by its NAT gateways (awsx may not tag them).
  const natAllocationIds = NatGateways.flatMap((n) => n.NatGatewayAddresses ?? []).flatMap((a) =>
    a.AllocationId ? [a.AllocationId] : [],
  );
  const tagged = (await ec2.send(new DescribeAddressesCommand({ Filters: [envFilter] }))).Addresses ?? [];
  const byAllocation = await byIds(
    natAllocationIds,
    async (ids) => (await ec2.send(new DescribeAddressesCommand({ AllocationIds: ids }))).Addresses ?? [],
  );
  const Addresses = [
    ...new Map([...tagged, ...byAllocation].map((a) => [a.AllocationId ?? a.PublicIp, a])).values(),
  ];

  const [TransitGatewayAttachments, TransitGatewayVpcAttachments, TransitGatewayRouteTables] =
    await Promise.all([
      inTgws((flt) =>
        collect(
          paginateDescribeTransitGatewayAttachments(client, { Filters: [flt] }),
          (p) => p.TransitGatewayAttachments,
        ),
      ),
      inTgws((flt) =>
        collect(
          paginateDescribeTransitGatewayVpcAttachments(client, { Filters: [flt] }),
          (p) => p.TransitGatewayVpcAttachments,
        ),
      ),
      inTgws((flt) =>
        collect(
          paginateDescribeTransitGatewayRouteTables(client, { Filters: [flt] }),
          (p) => p.TransitGatewayRouteTables,
        ),
      ),
    ]);

  const TransitGatewayRouteTableAssociations: NonNullable<
    NetworkSnapshot['TransitGatewayRouteTableAssociations']
  > = {};
  const TransitGatewayRouteTablePropagations: NonNullable<
    NetworkSnapshot['TransitGatewayRouteTablePropagations']
  > = {};
  const TransitGatewayRoutes: NonNullable<NetworkSnapshot['TransitGatewayRoutes']> = {};
  for (const rt of TransitGatewayRouteTables) {
    const id = rt.TransitGatewayRouteTableId;
    if (!id) continue;
    TransitGatewayRouteTableAssociations[id] = await collect(
      paginateGetTransitGatewayRouteTableAssociations(client, { TransitGatewayRouteTableId: id }),
      (p) => p.Associations,
    );
    TransitGatewayRouteTablePropagations[id] = await collect(
      paginateGetTransitGatewayRouteTablePropagations(client, { TransitGatewayRouteTableId: id }),
      (p) => p.TransitGatewayRouteTablePropagations,
    );
    // SearchTransitGatewayRoutes requires a filter; these two states are every route that matters.
    TransitGatewayRoutes[id] = await collect(
      paginateSearchTransitGatewayRoutes(client, {
        TransitGatewayRouteTableId: id,
        Filters: [f('state', ['active', 'blackhole'])],
      }),
      (p) => p.Routes,
    );
  }

  const firewalls = await readFirewalls(nfw, vpcIds, options.env);

  const snapshot: NetworkSnapshot = {
    Region: region,
    Vpcs,
    Subnets,
    RouteTables,
    InternetGateways,
    NatGateways,
    Addresses,
    VpcEndpoints,
    SecurityGroups,
    NetworkAcls,
    NetworkInterfaces,
    Instances,
    TransitGateways,
    TransitGatewayAttachments,
    TransitGatewayVpcAttachments,
    TransitGatewayRouteTables,
    TransitGatewayRouteTableAssociations,
    TransitGatewayRouteTablePropagations,
    TransitGatewayRoutes,
    ...firewalls,
  };
  return { ...snapshot, ...(await readNetworkExtras(ec2, vpcIds, snapshot)) };
}

async function readFirewalls(
  nfw: NetworkFirewallClient,
  vpcIds: string[],
  env: string,
): Promise<Pick<NetworkSnapshot, 'Firewalls' | 'FirewallPolicies' | 'RuleGroups'>> {
  const metadata = await byIds(vpcIds, (ids) =>
    collect(paginateListFirewalls({ client: nfw }, { VpcIds: ids }), (p) => p.Firewalls),
  );
  const Firewalls = [];
  for (const m of metadata) {
    if (!m.FirewallArn) continue;
    const r = await nfw.send(new DescribeFirewallCommand({ FirewallArn: m.FirewallArn }));
    const envTag = r.Firewall?.Tags?.find((t) => t.Key === TAG_ENV)?.Value;
    // A firewall of another env in a shared VPC is not ours; untagged ones in our VPCs are kept.
    if (envTag !== undefined && envTag !== env) continue;
    Firewalls.push(stripMetadata(r));
  }
  const policyArns = [
    ...new Set(Firewalls.map((fw) => fw.Firewall?.FirewallPolicyArn).filter((a): a is string => !!a)),
  ];
  const FirewallPolicies = [];
  for (const arn of policyArns)
    FirewallPolicies.push(
      stripMetadata(await nfw.send(new DescribeFirewallPolicyCommand({ FirewallPolicyArn: arn }))),
    );
  const groupArns = [
    ...new Set(
      FirewallPolicies.flatMap((p) => [
        ...(p.FirewallPolicy?.StatelessRuleGroupReferences ?? []),
        ...(p.FirewallPolicy?.StatefulRuleGroupReferences ?? []),
      ])
        .map((ref) => ref.ResourceArn)
        .filter((a): a is string => !!a),
    ),
  ];
  const RuleGroups = [];
  for (const arn of groupArns)
    RuleGroups.push(stripMetadata(await nfw.send(new DescribeRuleGroupCommand({ RuleGroupArn: arn }))));
  return { Firewalls, FirewallPolicies, RuleGroups };
}

/** The SDK adds `$metadata` (request ids) to every response; the snapshot keeps the API members only. */
function stripMetadata<T extends { $metadata?: unknown }>(response: T): Omit<T, '$metadata'> {
  const { $metadata: _ignored, ...rest } = response;
  return rest;
}
