/**
 * Accounts of a multi-account environment (docs/multi-account.md): what `<spoke>:accountId`,
 * `<spoke>:roleArn` and `tgw:shareWith` may hold, and the role a spoke deploys with by default.
 * Light on purpose (no Pulumi): the programs and the live path (which reads the same
 * `Pulumi.<env>.yaml` keys to know which account to read through which role) share it.
 */

/** The role a spoke stack assumes in its account unless `<spoke>:roleArn` names another. */
export const DEFAULT_SPOKE_ROLE_NAME = 'hubspoke-deploy';

const ACCOUNT_ID = /^\d{12}$/;
/** An IAM role ARN of any partition; group 1 is its account. */
const ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::(\d{12}):role\/[\w+=,.@/-]+$/;
/** AWS RAM principals besides account ids: an organization or an organizational unit. */
const ORGANIZATION_ARN = /^arn:aws(?:-[a-z]+)*:organizations::\d{12}:organization\/o-[a-z0-9]{10,32}$/;
const OU_ARN =
  /^arn:aws(?:-[a-z]+)*:organizations::\d{12}:ou\/o-[a-z0-9]{10,32}\/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$/;

export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

/** The account of an IAM role ARN; undefined when `value` is not one. */
export function roleArnAccount(value: string): string | undefined {
  return ROLE_ARN.exec(value)?.[1];
}

/** A principal a resource share accepts: an account id, an organization ARN or an OU ARN. */
export function isRamPrincipal(value: string): boolean {
  return isAccountId(value) || ORGANIZATION_ARN.test(value) || OU_ARN.test(value);
}

export function defaultSpokeRoleArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:role/${DEFAULT_SPOKE_ROLE_NAME}`;
}

/** The account a spoke lives in and the role its stack deploys there with. */
export interface SpokeAccount {
  accountId: string;
  /** `<spoke>:roleArn`, default `defaultSpokeRoleArn(accountId)`. */
  roleArn: string;
}

/**
 * `<project>:accountId` / `<project>:roleArn` as set (undefined = unset), validated: an account id
 * is 12 digits (YAML reads an unquoted one as a number and drops a leading zero, hence the hint),
 * and the role must be in that account. Undefined when the spoke names no account.
 */
export function spokeAccountOf(
  project: string,
  accountId: string | undefined,
  roleArn: string | undefined,
): SpokeAccount | undefined {
  if (accountId === undefined) {
    if (roleArn !== undefined) {
      throw new Error(
        `config ${project}:roleArn is set, but ${project}:accountId is not: name the account too`,
      );
    }
    return undefined;
  }
  if (!isAccountId(accountId)) {
    throw new Error(
      `config ${project}:accountId must be a 12-digit AWS account id (quote it in YAML), got ${JSON.stringify(accountId)}`,
    );
  }
  const role = roleArn ?? defaultSpokeRoleArn(accountId);
  const account = roleArnAccount(role);
  if (account === undefined) {
    throw new Error(`config ${project}:roleArn must be an IAM role ARN, got ${JSON.stringify(role)}`);
  }
  if (account !== accountId) {
    throw new Error(
      `config ${project}:roleArn ${role} is a role in account ${account}, not in ${project}:accountId ${accountId}`,
    );
  }
  return { accountId, roleArn: role };
}
