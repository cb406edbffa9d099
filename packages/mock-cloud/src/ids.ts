/**
 * Deterministic AWS-like identifiers: the same program and config always yield the same ids, so
 * snapshots, traces and reports are stable across runs and machines.
 */
import { createHash } from 'crypto';
import { crc32 } from 'zlib';

/**
 * The account of the ambient credentials: the default provider and every explicit provider that
 * assumes no role act in it (the network account of a multi-account environment).
 */
export const ACCOUNT_ID = '123456789012';

/** Hex digest of `seed`, `length` characters long. */
export function shortHash(seed: string, length = 17): string {
  return createHash('sha1').update(seed).digest('hex').slice(0, length);
}

/** An EC2-style id such as `vpc-0a1b2c3d4e5f60718` (17 hex digits, as AWS uses today). */
export function awsId(prefix: string, seed: string): string {
  return `${prefix}-${shortHash(seed)}`;
}

/** `arn:aws:<service>:<region>:<account>:<resource>`; region empty for global services (IAM). */
export function arn(service: string, region: string, account: string, resource: string): string {
  return `arn:aws:${service}:${region}:${account}:${resource}`;
}

/** The account field of an ARN (`arn:partition:service:region:account:...`). */
export function arnAccount(value: string): string | undefined {
  return value.split(':')[4] || undefined;
}

/** A UUID-shaped deterministic token (Network Firewall update tokens, ids). */
export function uuidFrom(seed: string): string {
  const h = shortHash(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * Hands out seeds that are unique within the mock cloud, so ids are unique across its accounts as
 * AWS's are. Pulumi URNs may repeat a type+name under different parents, so a repeated seed gets
 * a counter suffix instead of colliding ids.
 */
export class SeedRegistry {
  private readonly used = new Map<string, number>();
  unique(seed: string): string {
    const n = this.used.get(seed);
    if (n === undefined) {
      this.used.set(seed, 1);
      return seed;
    }
    this.used.set(seed, n + 1);
    return `${seed}#${n}`;
  }
}

/** The id the AWS provider gives an `aws.ec2.Route`: `r-<table id><crc32 of destination>`. */
export function routeId(routeTableId: string, destination: string): string {
  return `r-${routeTableId}${crc32(destination)}`;
}
