/**
 * Availability zones per region (names and zone ids), so programs that name AZs explicitly are
 * checked against the region they deploy to, as AWS would.
 */
import { fail } from './errors';

const AZ_LETTERS: Record<string, string> = {
  'us-east-1': 'abcdef',
  'us-east-2': 'abc',
  'us-west-1': 'ac',
  'us-west-2': 'abcd',
  'ca-central-1': 'abd',
  'eu-west-1': 'abc',
  'eu-west-2': 'abc',
  'eu-west-3': 'abc',
  'eu-central-1': 'abc',
  'eu-central-2': 'abc',
  'eu-north-1': 'abc',
  'eu-south-1': 'abc',
  'ap-south-1': 'abc',
  'ap-southeast-1': 'abc',
  'ap-southeast-2': 'abc',
  'ap-northeast-1': 'acd',
  'ap-northeast-2': 'abcd',
  'ap-northeast-3': 'abc',
  'sa-east-1': 'abc',
};

/** Region-specific prefix of zone ids (`use1-az1`). */
function zoneIdPrefix(region: string): string {
  const [geo, dir, num] = region.split('-');
  const d = dir === 'central' ? 'c' : dir === 'southeast' ? 'se' : dir === 'northeast' ? 'ne' : dir[0];
  return `${geo}${d}${num}`;
}

export interface AvailabilityZone {
  name: string;
  zoneId: string;
}

export function knownRegions(): string[] {
  return Object.keys(AZ_LETTERS);
}

/** The AZs of `region`, in name order. Unknown regions are an error naming them. */
export function availabilityZones(region: string): AvailabilityZone[] {
  const letters = AZ_LETTERS[region];
  if (letters === undefined) {
    fail(`mock cloud: unknown region '${region}' (known: ${knownRegions().join(', ')})`);
  }
  const prefix = zoneIdPrefix(region);
  return [...letters].map((l, i) => ({ name: `${region}${l}`, zoneId: `${prefix}-az${i + 1}` }));
}

/** Looks up an AZ of `region` by name; an AZ outside the region is an error naming both. */
export function requireAz(region: string, name: string): AvailabilityZone {
  const az = availabilityZones(region).find((z) => z.name === name);
  if (!az) {
    fail(
      `InvalidParameterValue: availability zone '${name}' is not in region ${region} ` +
        `(valid: ${availabilityZones(region)
          .map((z) => z.name)
          .join(', ')})`,
    );
  }
  return az;
}
