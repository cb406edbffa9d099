/**
 * Managed prefix lists (customer-managed and AWS-managed, such as the S3 and DynamoDB lists of
 * gateway endpoints) with their entries, so routes with `DestinationPrefixListId` and security-group
 * rules with `PrefixListIds` resolve to CIDRs. Indexed before route tables and security groups.
 *
 * Amazon VPC User Guide, "Managed prefix lists":
 * https://docs.aws.amazon.com/vpc/latest/userguide/managed-prefix-lists.html
 */
import { parseCidr } from '../ip/cidr';
import type { BuildContext } from './build-context';
import { at, snapshotError } from './errors';

export function indexPrefixLists(ctx: BuildContext): void {
  const entries = ctx.s.ManagedPrefixListEntries ?? {};
  (ctx.s.ManagedPrefixLists ?? []).forEach((pl, i) => {
    const id = ctx.requireId('ManagedPrefixLists', i, pl.PrefixListId, 'PrefixListId');
    if (ctx.m.prefixLists.has(id)) throw snapshotError('ManagedPrefixLists', i, id, 'duplicate PrefixListId');
    const name = pl.PrefixListName ?? id;
    const owner = pl.OwnerId ? { ownerId: pl.OwnerId } : {};
    if (pl.AddressFamily && pl.AddressFamily.toLowerCase() !== 'ipv4') {
      // An IPv6 list matches none of the IPv4 flows the model traces.
      ctx.m.prefixLists.set(id, { id, name, ...owner, cidrs: [] });
      return;
    }
    const list = entries[id];
    if (list === undefined)
      throw snapshotError('ManagedPrefixLists', i, id, 'its entries are not in ManagedPrefixListEntries');
    if (!Array.isArray(list))
      throw snapshotError('ManagedPrefixListEntries', id, undefined, 'expected an array');
    const cidrs = list.map((e, j) =>
      at('ManagedPrefixListEntries', id, undefined, () =>
        parseCidr(e.Cidr ?? '', { hostBits: 'clear', what: `[${j}].Cidr` }),
      ),
    );
    ctx.m.prefixLists.set(id, { id, name, ...owner, cidrs });
  });
  for (const id of Object.keys(entries)) {
    const listed = (ctx.s.ManagedPrefixLists ?? []).some((pl) => pl.PrefixListId === id);
    if (!listed)
      throw snapshotError('ManagedPrefixListEntries', id, undefined, `"${id}" is not in ManagedPrefixLists`);
  }
}
