/**
 * The AWS SDK clients of the live path, built once per region and wrapped so every call (and
 * every page of a paginator) retries throttling. The SDK retries internally too, but a full
 * snapshot read or a sweep of a busy account makes hundreds of calls; an extra, slower layer keeps
 * a long run from failing on the 4th throttle of one call.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { NetworkFirewallClient } from '@aws-sdk/client-network-firewall';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { isThrottlingError } from './errors';
import { type RetryPolicy, retryWhen } from './retry';

export interface AwsClients {
  ec2: EC2Client;
  ssm: SSMClient;
  nfw: NetworkFirewallClient;
  sts: STSClient;
}

/** An account reached through a role (docs/multi-account.md), not the ambient credentials'. */
export interface AccountRole {
  accountId: string;
  roleArn: string;
}

/**
 * Where a call goes: a region, and the account when it is not the one of the ambient credentials
 * (reached through its role). Everything keyed by `locationKey` follows.
 */
export interface AwsLocation {
  region: string;
  account?: AccountRole;
}

export function locationKey(location: AwsLocation): string {
  return location.account ? `${location.region}@${location.account.accountId}` : location.region;
}

/** One set of clients per location, built on first use. */
export function clientsByLocation(
  create: (region: string, account?: AccountRole) => AwsClients,
): (location: AwsLocation) => AwsClients {
  const cache = new Map<string, AwsClients>();
  return (location) => {
    const key = locationKey(location);
    let clients = cache.get(key);
    if (!clients) cache.set(key, (clients = create(location.region, location.account)));
    return clients;
  };
}

/** Credentials the SDK clients accept (the SDK's Credentials, structurally). */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}
export type CredentialsProvider = () => Promise<Credentials>;

export const THROTTLE_RETRY: RetryPolicy = { attempts: 6, startingDelayMs: 500, maxDelayMs: 20_000 };

type Sendable = { send: (...args: never[]) => Promise<unknown> };

/**
 * Returns a view of `client` whose `send` retries throttling errors. It is a Proxy, so it is still
 * `instanceof` the client class, which the SDK paginators require.
 */
export function withThrottleRetry<C extends Sendable>(client: C, policy: RetryPolicy = THROTTLE_RETRY): C {
  return new Proxy(client, {
    get(target, prop) {
      if (prop === 'send') {
        return (...args: never[]) => retryWhen(() => target.send(...args), isThrottlingError, policy);
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * Clients for `region` (else the SDK's default region chain: AWS_REGION, profile...), with the
 * ambient credentials (the SDK's default chain) unless `credentials` says otherwise.
 */
export function createAwsClients(
  region?: string,
  policy: RetryPolicy = THROTTLE_RETRY,
  credentials?: CredentialsProvider,
): AwsClients {
  const config = { ...(region ? { region } : {}), ...(credentials ? { credentials } : {}) };
  return {
    ec2: withThrottleRetry(new EC2Client(config), policy),
    ssm: withThrottleRetry(new SSMClient(config), policy),
    nfw: withThrottleRetry(new NetworkFirewallClient(config), policy),
    sts: withThrottleRetry(new STSClient(config), policy),
  };
}

export interface AssumedRoleOptions {
  region?: string;
  /** Shows in the role's CloudTrail entries (`hubspoke-verify`, `hubspoke-e2e`...). */
  sessionName: string;
  /** The STS client to assume with (default: one with the ambient credentials). */
  sts?: STSClient;
  now?: () => number;
}

/** Renew assumed credentials this long before they expire. */
const RENEW_BEFORE_MS = 5 * 60_000;

/**
 * Credentials of `roleArn`, assumed from the ambient credentials (STS AssumeRole) and renewed
 * before they expire, so a run longer than one session (e2e) keeps its access to the account.
 * A refusal (no such role, a trust policy that does not name the caller) is the AssumeRole
 * error, raised where the credentials are first needed.
 */
export function assumedRoleCredentials(roleArn: string, o: AssumedRoleOptions): CredentialsProvider {
  const sts = o.sts ?? withThrottleRetry(new STSClient(o.region ? { region: o.region } : {}));
  const now = o.now ?? Date.now;
  let current: Credentials | undefined;
  let pending: Promise<Credentials> | undefined;
  return () => {
    if (current?.expiration && current.expiration.getTime() - now() > RENEW_BEFORE_MS) {
      return Promise.resolve(current);
    }
    pending ??= (async () => {
      const r = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: o.sessionName }));
      const c = r.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey)
        throw new Error(`AssumeRole ${roleArn} returned no credentials`);
      current = {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
        ...(c.Expiration ? { expiration: c.Expiration } : {}),
      };
      return current;
    })().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}

/** The account of the credentials `sts` signs with (GetCallerIdentity needs no permission). */
export async function callerAccount(sts: STSClient): Promise<string> {
  const account = (await sts.send(new GetCallerIdentityCommand({}))).Account;
  if (!account) throw new Error('GetCallerIdentity returned no account');
  return account;
}
