/**
 * The AZs of an ephemeral env when it runs in another region than its template. AZ names are
 * per region (`us-east-1a` does not exist in `eu-west-1`), so the template's AZs are mapped, in
 * sorted order, onto the first AZs of the target region, the same map for every project (the
 * firewall must have an endpoint in every AZ a spoke uses). If the region has fewer AZs than the
 * template uses, the run is refused before any stack exists.
 */
import { DescribeAvailabilityZonesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { ConfigValues } from './stack-driver';

/** Config keys holding AZ names (`inspection:availabilityZones`, `<spoke>:availabilityZones`). */
const AZ_KEY = /:availabilityZones$/;

/**
 * The region's standard AZs that are available to the account, sorted by name. Local Zones and
 * Wavelength Zones (zone types other than `availability-zone`) are left out: Network Firewall and
 * Transit Gateway are not offered there.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeAvailabilityZones.html
 */
export async function regionAvailabilityZones(ec2: EC2Client): Promise<string[]> {
  const r = await ec2.send(
    new DescribeAvailabilityZonesCommand({
      Filters: [
        { Name: 'zone-type', Values: ['availability-zone'] },
        { Name: 'state', Values: ['available'] },
      ],
    }),
  );
  return (r.AvailabilityZones ?? [])
    .filter((z) => (z.ZoneType ?? 'availability-zone') === 'availability-zone' && z.State !== 'unavailable')
    .map((z) => z.ZoneName ?? '')
    .filter(Boolean)
    .sort();
}

export interface AzMapping {
  /** Template AZ -> target AZ; empty when the template's AZs are all available in the target region. */
  map: Map<string, string>;
  configs: Map<string, ConfigValues>;
}

export class AvailabilityZoneError extends Error {
  override name = 'AvailabilityZoneError';
}

/** Rewrites every `*:availabilityZones` list of `configs` onto `available` (the target region's AZs). */
export function mapAvailabilityZones(
  configs: Map<string, ConfigValues>,
  region: string,
  available: string[],
): AzMapping {
  const used = new Set<string>();
  for (const [project, config] of configs) {
    for (const [key, value] of Object.entries(config)) {
      if (!AZ_KEY.test(key)) continue;
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
        throw new AvailabilityZoneError(`${project}: template config ${key} must be a list of AZ names`);
      for (const az of value as string[]) used.add(az);
    }
  }
  const template = [...used].sort();
  if (template.every((az) => available.includes(az))) return { map: new Map(), configs };
  if (template.length > available.length) {
    throw new AvailabilityZoneError(
      `region ${region} has ${available.length} available AZ(s) (${available.join(', ') || 'none'}), ` +
        `but the template uses ${template.length} (${template.join(', ')}); pick a region with enough AZs or a template with fewer`,
    );
  }
  const map = new Map(template.map((az, i) => [az, available[i]!]));
  const mapped = new Map<string, ConfigValues>();
  for (const [project, config] of configs) {
    mapped.set(
      project,
      Object.fromEntries(
        Object.entries(config).map(([k, v]) => [
          k,
          AZ_KEY.test(k) ? (v as string[]).map((az) => map.get(az)!) : v,
        ]),
      ),
    );
  }
  return { map, configs: mapped };
}
