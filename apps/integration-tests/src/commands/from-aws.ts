import type { NetworkSnapshot } from '@hubspoke/netmodel';

export interface FromAwsOptions {
  env: string;
  region?: string;
}

/** Reads a deployed env through the AWS SDK into a snapshot. Placeholder until the live path lands. */
export async function loadSnapshotFromAws(_options: FromAwsOptions): Promise<NetworkSnapshot> {
  throw new Error('verify --from-aws is not implemented yet');
}
