/**
 * The snapshot members that describe VPC DNS attributes, managed prefix lists and VPC peering,
 * read through the SDK for `--from-aws` (docs/snapshot-format.md), all pages:
 *
 * - `VpcAttributes`: two DescribeVpcAttribute calls per VPC (enableDnsSupport, enableDnsHostnames),
 *   merged into one object per VPC;
 * - `ManagedPrefixLists` / `ManagedPrefixListEntries`: every prefix list the routes, TGW routes and
 *   security-group rules reference (AWS-managed ones included: DescribeManagedPrefixLists returns
 *   them by id), with GetManagedPrefixListEntries keyed by list id;
 * - `VpcPeeringConnections`: those whose requester or accepter VPC is one of the env's.
 */
import {
  DescribeVpcAttributeCommand,
  type EC2Client,
  type Filter,
  paginateDescribeManagedPrefixLists,
  paginateDescribeVpcPeeringConnections,
  paginateGetManagedPrefixListEntries,
  type VpcPeeringConnection,
} from '@aws-sdk/client-ec2';
import type { NetworkSnapshot, VpcAttributes } from '@hubspoke/netmodel';

type Extras = Pick<
  NetworkSnapshot,
  'VpcAttributes' | 'ManagedPrefixLists' | 'ManagedPrefixListEntries' | 'VpcPeeringConnections'
>;

/** Filter values per request are capped by EC2; id lists are chunked to stay under it. */
const CHUNK = 100;
/** DescribeVpcAttribute is one call per VPC and attribute: a few at a time, not a thousand at once. */
const PARALLEL = 8;

async function collect<P, T>(pages: AsyncIterable<P>, pick: (page: P) => T[] | undefined): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...(pick(page) ?? []));
  return out;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function readVpcAttributes(ec2: EC2Client, vpcIds: string[]): Promise<VpcAttributes[]> {
  const out: VpcAttributes[] = [];
  for (const batch of chunks(vpcIds, PARALLEL)) {
    out.push(
      ...(await Promise.all(
        batch.map(async (VpcId) => {
          const [support, hostnames] = await Promise.all([
            ec2.send(new DescribeVpcAttributeCommand({ VpcId, Attribute: 'enableDnsSupport' })),
            ec2.send(new DescribeVpcAttributeCommand({ VpcId, Attribute: 'enableDnsHostnames' })),
          ]);
          return {
            VpcId,
            EnableDnsSupport: { Value: support.EnableDnsSupport?.Value ?? false },
            EnableDnsHostnames: { Value: hostnames.EnableDnsHostnames?.Value ?? false },
          };
        }),
      )),
    );
  }
  return out;
}

/** Prefix-list ids the snapshot's routes and security-group rules reference. */
export function referencedPrefixLists(s: NetworkSnapshot): string[] {
  const ids = new Set<string>();
  for (const rt of s.RouteTables ?? [])
    for (const r of rt.Routes ?? []) if (r.DestinationPrefixListId) ids.add(r.DestinationPrefixListId);
  for (const routes of Object.values(s.TransitGatewayRoutes ?? {}))
    for (const r of routes) if (r.PrefixListId) ids.add(r.PrefixListId);
  for (const sg of s.SecurityGroups ?? [])
    for (const p of [...(sg.IpPermissions ?? []), ...(sg.IpPermissionsEgress ?? [])])
      for (const pl of p.PrefixListIds ?? []) if (pl.PrefixListId) ids.add(pl.PrefixListId);
  return [...ids].sort();
}

export async function readPrefixLists(
  ec2: EC2Client,
  ids: string[],
): Promise<Pick<Extras, 'ManagedPrefixLists' | 'ManagedPrefixListEntries'>> {
  const client = { client: ec2 };
  const lists = [];
  for (const chunk of chunks(ids, CHUNK))
    lists.push(
      ...(await collect(
        paginateDescribeManagedPrefixLists(client, { PrefixListIds: chunk }),
        (p) => p.PrefixLists,
      )),
    );
  const entries: NonNullable<Extras['ManagedPrefixListEntries']> = {};
  for (const l of lists) {
    if (!l.PrefixListId) continue;
    entries[l.PrefixListId] = await collect(
      paginateGetManagedPrefixListEntries(client, { PrefixListId: l.PrefixListId }),
      (p) => p.Entries,
    );
  }
  return { ManagedPrefixLists: lists, ManagedPrefixListEntries: entries };
}

export async function readPeerings(ec2: EC2Client, vpcIds: string[]): Promise<VpcPeeringConnection[]> {
  const client = { client: ec2 };
  const byId = new Map<string, VpcPeeringConnection>();
  for (const side of ['requester-vpc-info.vpc-id', 'accepter-vpc-info.vpc-id'])
    for (const chunk of chunks(vpcIds, CHUNK)) {
      const filter: Filter = { Name: side, Values: chunk };
      for (const p of await collect(
        paginateDescribeVpcPeeringConnections(client, { Filters: [filter] }),
        (page) => page.VpcPeeringConnections,
      ))
        if (p.VpcPeeringConnectionId) byId.set(p.VpcPeeringConnectionId, p);
    }
  return [...byId.values()];
}

/** The four members, for the VPCs read and the snapshot so far (whose references they resolve). */
export async function readNetworkExtras(
  ec2: EC2Client,
  vpcIds: string[],
  snapshot: NetworkSnapshot,
): Promise<Extras> {
  const [VpcAttributes, prefixLists, VpcPeeringConnections] = await Promise.all([
    readVpcAttributes(ec2, vpcIds),
    readPrefixLists(ec2, referencedPrefixLists(snapshot)),
    vpcIds.length > 0 ? readPeerings(ec2, vpcIds) : Promise.resolve([]),
  ]);
  return { VpcAttributes, ...prefixLists, VpcPeeringConnections };
}
