/**
 * `verify --from-aws --env <e>`: the deployed env read through the AWS SDK into a snapshot, so the
 * offline checks judge the live network without touching its instances.
 */
import type { NetworkSnapshot } from '@hubspoke/netmodel';
import type { AwsClients } from '@hubspoke/harness/src/live/aws-clients';
import { InputError } from '../errors';

export interface FromAwsOptions {
  env: string;
  region?: string;
  /** Clients to read with (tests pass mocked ones); default: new clients for `region`. */
  clients?: Pick<AwsClients, 'ec2' | 'nfw'>;
}

export async function loadSnapshotFromAws(options: FromAwsOptions): Promise<NetworkSnapshot> {
  // Loaded on use: the AWS SDK is not needed by the offline commands.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const live = require('@hubspoke/harness/src/live/all') as typeof import('@hubspoke/harness/src/live/all');
  const clients = options.clients ?? live.createAwsClients(options.region);
  let region: string;
  try {
    region = options.region ?? (await clients.ec2.config.region());
  } catch {
    throw new InputError('verify --from-aws: no AWS region; pass --region or set AWS_REGION');
  }
  try {
    await clients.ec2.config.credentials();
  } catch (err) {
    throw new InputError(
      `verify --from-aws: no AWS credentials found through the default provider chain (env vars, AWS_PROFILE/SSO, web identity, instance role): ${(err as Error).message}`,
    );
  }
  const snapshot = await live.readAwsSnapshot({ env: options.env, region, clients });
  if ((snapshot.Vpcs ?? []).length === 0 && (snapshot.TransitGateways ?? []).length === 0) {
    throw new InputError(
      `verify --from-aws: no VPC or transit gateway tagged hubspoke:env=${options.env} in ${region}`,
    );
  }
  return snapshot;
}
