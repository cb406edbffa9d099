/**
 * A deployed environment read from every account it spans into one snapshot (docs/contracts.md
 * "Network snapshot": several accounts merge into one snapshot; every resource keeps the OwnerId
 * AWS reports). Each account is read like a single-account env (readAwsSnapshot: its VPCs by the
 * `hubspoke:env` tag, and the transit gateways it owns with their attachments, route tables and
 * routes), then the parts are merged. An account that cannot be read, or that holds an attached
 * VPC nobody reads, fails the read naming it: a snapshot missing a spoke would judge a network
 * that does not exist.
 */
import { SNAPSHOT_KEYED_MEMBERS, SNAPSHOT_LIST_MEMBERS, type NetworkSnapshot } from '@hubspoke/netmodel';
import type { AwsClients } from './aws-clients';
import { readAwsSnapshot } from './aws-snapshot';
import { errorMessage } from './errors';

export interface AccountReader {
  accountId: string;
  /** How the account is reached, for messages: `the ambient credentials` or a role ARN. */
  via: string;
  /** Spokes the config places in the account (for messages). */
  spokes?: string[];
  clients: Pick<AwsClients, 'ec2' | 'nfw'>;
}

/** An account of the environment that could not be read. */
export class AccountReadError extends Error {
  override name = 'AccountReadError';
  constructor(
    readonly accountId: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ReadAccountsOptions {
  env: string;
  region: string;
  /** The ambient credentials' account first (it owns the transit gateway), then the others. */
  readers: AccountReader[];
  onAccount?: (reader: AccountReader) => void;
}

export async function readAccountsSnapshot(o: ReadAccountsOptions): Promise<NetworkSnapshot> {
  const parts: NetworkSnapshot[] = [];
  for (const reader of o.readers) {
    o.onAccount?.(reader);
    const where = `account ${reader.accountId}${reader.spokes?.length ? ` (${reader.spokes.join(', ')})` : ''}`;
    try {
      // Resolve the credentials first, so a role that cannot be assumed is named as such.
      await reader.clients.ec2.config.credentials();
    } catch (err) {
      throw new AccountReadError(
        reader.accountId,
        `cannot reach ${where} through ${reader.via}: ${errorMessage(err)}`,
      );
    }
    try {
      parts.push(await readAwsSnapshot({ env: o.env, region: o.region, clients: reader.clients }));
    } catch (err) {
      throw new AccountReadError(
        reader.accountId,
        `cannot read ${where} through ${reader.via}: ${errorMessage(err)}`,
      );
    }
  }
  const snapshot = mergeSnapshots(parts);
  const unread = attachedAccountsNotRead(snapshot, new Set(o.readers.map((r) => r.accountId)));
  if (unread.length > 0) {
    const first = unread[0]!;
    throw new AccountReadError(
      first.accountId,
      unread
        .map(
          (u) =>
            `${u.attachmentId} attaches VPC ${u.vpcId} of account ${u.accountId}, which is not read (no role for it)`,
        )
        .join('; ') +
        `: name the account in the spoke's config (<spoke>:accountId) or pass --account-role ${first.accountId}=<role ARN>`,
    );
  }
  return snapshot;
}

/**
 * What identifies an element of each list member, so an element two accounts describe (a shared
 * attachment) is kept once, as the first account read describes it. Members not listed here
 * (added later) are deduplicated by their whole content.
 */
const IDENTITY: Partial<Record<(typeof SNAPSHOT_LIST_MEMBERS)[number], (x: never) => string | undefined>> = {
  Vpcs: (x: { VpcId?: string }) => x.VpcId,
  Subnets: (x: { SubnetId?: string }) => x.SubnetId,
  RouteTables: (x: { RouteTableId?: string }) => x.RouteTableId,
  InternetGateways: (x: { InternetGatewayId?: string }) => x.InternetGatewayId,
  NatGateways: (x: { NatGatewayId?: string }) => x.NatGatewayId,
  Addresses: (x: { AllocationId?: string; PublicIp?: string }) => x.AllocationId ?? x.PublicIp,
  VpcEndpoints: (x: { VpcEndpointId?: string }) => x.VpcEndpointId,
  SecurityGroups: (x: { GroupId?: string }) => x.GroupId,
  NetworkAcls: (x: { NetworkAclId?: string }) => x.NetworkAclId,
  NetworkInterfaces: (x: { NetworkInterfaceId?: string }) => x.NetworkInterfaceId,
  Instances: (x: { InstanceId?: string }) => x.InstanceId,
  TransitGateways: (x: { TransitGatewayId?: string }) => x.TransitGatewayId,
  TransitGatewayAttachments: (x: { TransitGatewayAttachmentId?: string }) => x.TransitGatewayAttachmentId,
  TransitGatewayVpcAttachments: (x: { TransitGatewayAttachmentId?: string }) => x.TransitGatewayAttachmentId,
  TransitGatewayRouteTables: (x: { TransitGatewayRouteTableId?: string }) => x.TransitGatewayRouteTableId,
  Firewalls: (x: { Firewall?: { FirewallArn?: string } }) => x.Firewall?.FirewallArn,
  FirewallPolicies: (x: { FirewallPolicyResponse?: { FirewallPolicyArn?: string } }) =>
    x.FirewallPolicyResponse?.FirewallPolicyArn,
  RuleGroups: (x: { RuleGroupResponse?: { RuleGroupArn?: string } }) => x.RuleGroupResponse?.RuleGroupArn,
  VpcAttributes: (x: { VpcId?: string }) => x.VpcId,
  // AWS-managed prefix lists are seen from every account: kept once.
  ManagedPrefixLists: (x: { PrefixListId?: string }) => x.PrefixListId,
  // A peering between two accounts' VPCs is described by both.
  VpcPeeringConnections: (x: { VpcPeeringConnectionId?: string }) => x.VpcPeeringConnectionId,
};

function dedupe<T>(items: T[], identity: ((x: T) => string | undefined) | undefined): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = identity?.(item) ?? JSON.stringify(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** One snapshot of several accounts' reads (the first part's Region). */
export function mergeSnapshots(parts: NetworkSnapshot[]): NetworkSnapshot {
  const merged: Record<string, unknown> = {};
  const region = parts.find((p) => p.Region)?.Region;
  if (region) merged.Region = region;
  for (const member of SNAPSHOT_LIST_MEMBERS) {
    const items = parts.flatMap((p) => (p[member] as unknown[] | undefined) ?? []);
    if (parts.some((p) => p[member] !== undefined))
      merged[member] = dedupe(items, IDENTITY[member] as ((x: unknown) => string | undefined) | undefined);
  }
  for (const member of SNAPSHOT_KEYED_MEMBERS) {
    if (!parts.some((p) => p[member] !== undefined)) continue;
    const byKey: Record<string, unknown[]> = {};
    for (const p of parts) {
      for (const [key, values] of Object.entries((p[member] as Record<string, unknown[]> | undefined) ?? {}))
        byKey[key] = dedupe([...(byKey[key] ?? []), ...values], undefined);
    }
    merged[member] = byKey;
  }
  return merged as NetworkSnapshot;
}

/** VPC attachments whose VPC lives in an account no reader covers. */
export function attachedAccountsNotRead(
  snapshot: NetworkSnapshot,
  read: Set<string>,
): { accountId: string; attachmentId: string; vpcId: string }[] {
  return (snapshot.TransitGatewayVpcAttachments ?? []).flatMap((a) =>
    a.VpcOwnerId && !read.has(a.VpcOwnerId)
      ? [
          {
            accountId: a.VpcOwnerId,
            attachmentId: a.TransitGatewayAttachmentId ?? '?',
            vpcId: a.VpcId ?? '?',
          },
        ]
      : [],
  );
}
