/**
 * Where a spoke lives relative to the Transit Gateway (docs/multi-account.md): in the network
 * account (single-account, the default), or in an account of its own that the TGW must be shared
 * with. Checked before anything is registered, so a spoke in an account the TGW is not shared
 * with fails naming the account and the share instead of half-deploying and then meeting AWS's
 * "Transit Gateway ... does not exist".
 */
import { isAccountId, type SpokeAccount } from './accounts';
import { TGW_PROJECT, type TgwOutputs } from './contracts';
import { stackReferenceName } from './stack-reference';

export type SpokePlacement =
  /** Everything through one provider: the spoke is in the network account. */
  | { kind: 'network-account' }
  /** The spoke's own provider (a role in its account) for everything, TGW owner included. */
  | { kind: 'own-account'; account: SpokeAccount }
  /** The spoke's own provider for its resources, the network account's for the TGW owner's part. */
  | { kind: 'cross-account'; account: SpokeAccount; networkAccountId: string };

export function spokePlacement(
  project: string,
  account: SpokeAccount | undefined,
  tgw: Pick<TgwOutputs, 'accountId' | 'shareWith'>,
): SpokePlacement {
  if (!account) return { kind: 'network-account' };
  const tgwStack = stackReferenceName(TGW_PROJECT);
  const networkAccountId =
    tgw.accountId ??
    fail(
      `stack ${tgwStack} has no output accountId (deployed before multi-account support): ` +
        `update it (pulumi up in apps/tgw) before deploying ${project} into account ${account.accountId}`,
    );
  if (account.accountId === networkAccountId) return { kind: 'own-account', account };
  const principals = tgw.shareWith ?? [];
  // An organization or OU share cannot be checked here (its members are not known); AWS decides.
  if (principals.every(isAccountId) && !principals.includes(account.accountId)) {
    fail(
      `${project}:accountId ${account.accountId} is not among tgw:shareWith of stack ${tgwStack} ` +
        `(${principals.length > 0 ? principals.join(', ') : 'empty: the transit gateway is shared with nobody'}): ` +
        `the transit gateway of account ${networkAccountId} is not shared with it; add the account to ` +
        'tgw:shareWith and update the tgw stack first',
    );
  }
  return { kind: 'cross-account', account, networkAccountId };
}

function fail(message: string): never {
  throw new Error(message);
}
