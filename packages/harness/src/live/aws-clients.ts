/**
 * The AWS SDK clients of the live path, built once per region and wrapped so every call (and
 * every page of a paginator) retries throttling. The SDK retries internally too, but a full
 * snapshot read or a sweep of a busy account makes hundreds of calls; an extra, slower layer keeps
 * a long run from failing on the 4th throttle of one call.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { NetworkFirewallClient } from '@aws-sdk/client-network-firewall';
import { SSMClient } from '@aws-sdk/client-ssm';
import { isThrottlingError } from './errors';
import { type RetryPolicy, retryWhen } from './retry';

export interface AwsClients {
  ec2: EC2Client;
  ssm: SSMClient;
  nfw: NetworkFirewallClient;
}

/**
 * Where a call goes. Today a region; a multi-account live path adds the account (a role to
 * assume) here, and everything keyed by `locationKey` follows.
 */
export interface AwsLocation {
  region: string;
}

export function locationKey(location: AwsLocation): string {
  return location.region;
}

/** One set of clients per location, built on first use. */
export function clientsByLocation(
  create: (region: string) => AwsClients,
): (location: AwsLocation) => AwsClients {
  const cache = new Map<string, AwsClients>();
  return (location) => {
    const key = locationKey(location);
    let clients = cache.get(key);
    if (!clients) cache.set(key, (clients = create(location.region)));
    return clients;
  };
}

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

/** Clients for `region` (else the SDK's default region chain: AWS_REGION, profile...). */
export function createAwsClients(region?: string, policy: RetryPolicy = THROTTLE_RETRY): AwsClients {
  const config = region ? { region } : {};
  return {
    ec2: withThrottleRetry(new EC2Client(config), policy),
    ssm: withThrottleRetry(new SSMClient(config), policy),
    nfw: withThrottleRetry(new NetworkFirewallClient(config), policy),
  };
}
