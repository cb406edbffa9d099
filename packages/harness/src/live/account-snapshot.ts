/**
 * A deployed environment read from every account it spans into one snapshot (docs/contracts.md
 * "Network snapshot": several accounts merge into one snapshot; every resource keeps the OwnerId
 * AWS reports). Each account is read like a single-account env (readAwsSnapshot: its VPCs by the
 * `hubspoke:env` tag, and the transit gateways it owns with their attachments, route tables and
 * routes), then the parts are merged. An account that cannot be read, or that holds an attached
 * VPC nobody reads, fails the read naming it: a snapshot missing a spoke would judge a network
 * that does not exist.
 */
import {
  SNAPSHOT_MEMBER_SHAPES,
  snapshotElementId,
  type NetworkSnapshot,
  type SnapshotMemberShape,
} from '@hubspoke/netmodel';
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

/** Keeps the first of the items with the same identity (the whole content when it has none). */
function dedupe<T>(items: T[], identity: (x: T) => string | undefined): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = identity(item) ?? JSON.stringify(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * One snapshot of several accounts' reads, member by member in contract order: the first part's
 * Region; list elements two accounts describe (a shared attachment, an AWS-managed prefix list)
 * kept once by their id, as the first account read describes them; keyed members joined per key.
 */
export function mergeSnapshots(parts: NetworkSnapshot[]): NetworkSnapshot {
  const merged: Record<string, unknown> = {};
  const shapes: Readonly<Record<string, SnapshotMemberShape>> = SNAPSHOT_MEMBER_SHAPES;
  for (const [member, shape] of Object.entries(shapes)) {
    const present = parts.map((p) => (p as Record<string, unknown>)[member]).filter((v) => v !== undefined);
    if (present.length === 0) continue;
    if (shape.kind === 'string') {
      const first = present.find(Boolean);
      if (first) merged[member] = first;
    } else if (shape.kind === 'list')
      merged[member] = dedupe((present as unknown[][]).flat(), (x) => snapshotElementId(shape, x));
    else {
      const byKey: Record<string, unknown[]> = {};
      for (const part of present as Record<string, unknown[]>[]) {
        for (const [key, values] of Object.entries(part))
          byKey[key] = dedupe([...(byKey[key] ?? []), ...values], () => undefined);
      }
      merged[member] = byKey;
    }
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
