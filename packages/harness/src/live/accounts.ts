/**
 * The accounts of an environment besides the one of the ambient credentials (the network account),
 * and the role the live path reads and probes each through (docs/multi-account.md): the spokes'
 * `<spoke>:accountId` / `<spoke>:roleArn` in `Pulumi.<env>.yaml`, completed or overridden by
 * `--account-role <account>=<role ARN>`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isAccountId, roleArnAccount, spokeAccountOf } from '@hubspoke/network/src/accounts';
import type { AccountRole } from './aws-clients';
import { type ProjectLayout, readTemplateConfig } from './projects';

/** An account of the env and the role assumed (from the ambient credentials) to reach it. */
export interface AccountAccess extends AccountRole {
  /** Spokes the config places in the account (none when only an option names it). */
  spokes: string[];
}

/** The spoke accounts `env` names in its stack config, in spoke order. */
export function accountsOfEnv(layout: ProjectLayout, env: string): AccountAccess[] {
  const accounts = new Map<string, AccountAccess>();
  for (const spoke of layout.spokes) {
    if (!existsSync(join(spoke.workDir, `Pulumi.${env}.yaml`))) continue;
    const config = readTemplateConfig(spoke, env);
    const value = (key: string): string | undefined => {
      const v = config[`${spoke.project}:${key}`];
      return v === undefined || v === null ? undefined : String(v);
    };
    let account;
    try {
      account = spokeAccountOf(spoke.project, value('accountId'), value('roleArn'));
    } catch (err) {
      throw new Error(`${spoke.dir}/Pulumi.${env}.yaml: ${(err as Error).message}`, { cause: err });
    }
    if (!account) continue;
    const known = accounts.get(account.accountId);
    // Two spokes in one account may name different roles; either reads the account.
    if (known) known.spokes.push(spoke.project);
    else accounts.set(account.accountId, { ...account, spokes: [spoke.project] });
  }
  return [...accounts.values()];
}

/** Every spoke account any environment of the repository names (what `sweep` must look into). */
export function accountsOfAllEnvs(layout: ProjectLayout): AccountAccess[] {
  const envs = new Set<string>();
  for (const spoke of layout.spokes) {
    for (const f of readdirSync(spoke.workDir)) {
      const m = /^Pulumi\.(.+)\.yaml$/.exec(f);
      if (m) envs.add(m[1]!);
    }
  }
  const accounts = new Map<string, AccountAccess>();
  for (const env of [...envs].sort()) {
    for (const a of accountsOfEnv(layout, env)) {
      const known = accounts.get(a.accountId);
      if (known) known.spokes.push(...a.spokes.filter((s) => !known.spokes.includes(s)));
      else accounts.set(a.accountId, { ...a, spokes: [...a.spokes] });
    }
  }
  return [...accounts.values()];
}

/**
 * `--account-role` values (`<account id>=<role ARN>`, the role in that account), by account.
 * Throws naming the value at fault.
 */
export function parseAccountRoles(values: readonly string[]): Map<string, string> {
  const roles = new Map<string, string>();
  for (const value of values) {
    const eq = value.indexOf('=');
    const accountId = eq > 0 ? value.slice(0, eq) : '';
    const roleArn = eq > 0 ? value.slice(eq + 1) : '';
    if (!isAccountId(accountId) || roleArnAccount(roleArn) === undefined) {
      throw new Error(
        `--account-role "${value}": expected <12-digit account id>=<IAM role ARN>, e.g. 222222222222=arn:aws:iam::222222222222:role/hubspoke-verify`,
      );
    }
    if (roleArnAccount(roleArn) !== accountId) {
      throw new Error(
        `--account-role "${value}": ${roleArn} is a role in account ${roleArnAccount(roleArn)}, not in ${accountId}`,
      );
    }
    if (roles.has(accountId) && roles.get(accountId) !== roleArn) {
      throw new Error(`--account-role names two roles for account ${accountId}`);
    }
    roles.set(accountId, roleArn);
  }
  return roles;
}

/** `accounts` with the roles `roles` names instead, plus the accounts only `roles` names. */
export function withAccountRoles(accounts: AccountAccess[], roles: Map<string, string>): AccountAccess[] {
  const out = accounts.map((a) => ({ ...a, roleArn: roles.get(a.accountId) ?? a.roleArn }));
  for (const [accountId, roleArn] of roles) {
    if (!out.some((a) => a.accountId === accountId)) out.push({ accountId, roleArn, spokes: [] });
  }
  return out;
}

/** `222222222222 (spoke-a, spoke-c)` for messages. */
export function describeAccount(a: Pick<AccountAccess, 'accountId' | 'spokes'>): string {
  return a.spokes.length > 0 ? `${a.accountId} (${a.spokes.join(', ')})` : a.accountId;
}
