/**
 * The accounts of the mock cloud. Every resource belongs to the account of the provider that
 * created it, and a provider acts in the account the AWS provider would: the account of the last
 * role it assumes (`assumeRoles`), else the account of the ambient credentials; when
 * `allowedAccountIds` is set, that account must be in it, or the provider refuses to run
 * ("AWS account ID not allowed", as the AWS provider reports it). Pulumi AWS provider, "Provider"
 * configuration (`assumeRoles`, `allowedAccountIds`, `forbiddenAccountIds`):
 * https://www.pulumi.com/registry/packages/aws/api-docs/provider/
 */
import { fail } from './errors';

export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
/** An IAM role ARN; group 1 is its account. */
const ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::(\d{12}):role\/[\w+=,.@/-]+$/;
/** AWS Organizations principals a resource share accepts besides account ids. */
const ORGANIZATION_ARN = /^arn:aws(?:-[a-z]+)*:organizations::\d{12}:organization\/o-[a-z0-9]{10,32}$/;
const OU_ARN =
  /^arn:aws(?:-[a-z]+)*:organizations::\d{12}:ou\/o-[a-z0-9]{10,32}\/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$/;

export type Principal = { kind: 'account'; id: string } | { kind: 'organization' | 'ou'; arn: string };

/** Provider inputs arrive JSON-encoded when they are structured (lists, objects). */
function decoded(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function listOf(value: unknown): unknown[] {
  const v = decoded(value);
  if (v === undefined || v === null || v === '') return [];
  return Array.isArray(v) ? v : [v];
}

function accountIds(providerName: string, key: string, value: unknown): string[] {
  return listOf(value).map((v) => {
    const id = String(v);
    if (!ACCOUNT_ID_PATTERN.test(id)) {
      fail(
        `aws provider '${providerName}': ${key} has ${JSON.stringify(v)}, which is not a 12-digit account id`,
      );
    }
    return id;
  });
}

/** The account id in an IAM role ARN, or undefined when it is not one. */
export function roleAccount(roleArn: string): string | undefined {
  return ROLE_ARN.exec(roleArn)?.[1];
}

/**
 * The account a provider acts in (see the module comment). `credentialsAccount` is the account
 * of the ambient credentials, which a provider uses when it assumes no role.
 */
export function providerAccount(
  providerName: string,
  inputs: Record<string, unknown>,
  credentialsAccount: string,
): string {
  if (inputs.assumeRole !== undefined || inputs.assumeRoleWithWebIdentity !== undefined) {
    fail(`aws provider '${providerName}': only assumeRoles is emulated by the mock cloud`);
  }
  const roles = listOf(inputs.assumeRoles);
  let account = credentialsAccount;
  roles.forEach((role, i) => {
    const roleArn = (role as { roleArn?: unknown } | null)?.roleArn;
    if (typeof roleArn !== 'string' || roleArn === '') {
      fail(
        `aws provider '${providerName}': Cannot assume IAM Role: IAM Role ARN not set in assume role ${i + 1} of ${roles.length}`,
      );
    }
    account =
      roleAccount(roleArn) ??
      fail(`aws provider '${providerName}': Cannot assume IAM Role: ${roleArn} is not an IAM role ARN`);
  });
  const allowed = accountIds(providerName, 'allowedAccountIds', inputs.allowedAccountIds);
  const forbidden = accountIds(providerName, 'forbiddenAccountIds', inputs.forbiddenAccountIds);
  if ((allowed.length > 0 && !allowed.includes(account)) || forbidden.includes(account)) {
    fail(`aws provider '${providerName}': AWS account ID not allowed: ${account}`);
  }
  return account;
}

/** A RAM principal (account id, organization ARN or OU ARN), or undefined when it is none. */
export function parsePrincipal(value: string): Principal | undefined {
  if (ACCOUNT_ID_PATTERN.test(value)) return { kind: 'account', id: value };
  if (ORGANIZATION_ARN.test(value)) return { kind: 'organization', arn: value };
  if (OU_ARN.test(value)) return { kind: 'ou', arn: value };
  return undefined;
}

/**
 * Whether a share with `principal` reaches `account`. The mock cloud does not know the
 * organization's members: an organization or OU principal is taken to cover every account
 * (docs/multi-account.md, "What is checked offline"); an account id covers that account only.
 */
export function principalCovers(principal: Principal, account: string): boolean {
  return principal.kind === 'account' ? principal.id === account : true;
}
