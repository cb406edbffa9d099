/**
 * `awsx:ec2:Vpc` is a remote component: under mocks it is a single registration and its provider
 * plugin never runs, so nothing it would create exists. This module does what pulumi-awsx
 * `awsx/ec2/vpc.ts` + `subnetDistributorNew.ts` do for an explicit layout (every subnet spec has
 * per-AZ `cidrBlocks`): the same validations with the same messages, then the VPC, IGW, subnets,
 * route tables, associations, routes, EIPs and NAT gateways, named as awsx names them, each
 * recorded with the inputs, parent and dependencies awsx registers it with (for the policy pack).
 *
 * Only explicit layouts are emulated. awsx's own allocators (no cidrBlocks, or subnetStrategy
 * "Legacy", which ignores explicit blocks) pick CIDRs by rules we would have to re-implement
 * bit-for-bit; a program relying on them is rejected with a message saying so, not guessed at.
 *
 * Outputs: the scalar outputs awsx has (vpcId, public/private/isolatedSubnetIds, subnetLayout).
 * awsx has no internetGatewayId output. Resource-reference outputs (vpc, subnets, routeTables,
 * natGateways, eips, internetGateway, ...) are left unset: returning them would need resources
 * the SDK can rehydrate by URN, which the mock monitor never registers; unset (rather than empty
 * lists) makes a program that reads them fail loudly instead of silently seeing "none".
 */
import type { Account, SubnetState } from './account';
import { fail } from './errors';
import { routeId } from './ids';
import { cidrOverlaps, cidrSize, parseCidr } from './ip';
import type { Inputs, ResourceRequest, ResourceResult } from './handler';
import { requireAz } from './regions';
import { TagMap, tagMap } from './tags';

type SubnetType = 'Public' | 'Private' | 'Isolated' | 'Unused';

/** The awsx args `aws.ec2.Vpc` takes (awsx passes `...args`; the VPC keeps the keys it knows). */
const VPC_ARG_KEYS = [
  'assignGeneratedIpv6CidrBlock',
  'enableDnsHostnames',
  'enableDnsSupport',
  'enableNetworkAddressUsageMetrics',
  'instanceTenancy',
  'ipv4IpamPoolId',
  'ipv4NetmaskLength',
  'ipv6CidrBlock',
  'ipv6CidrBlockNetworkBorderGroup',
  'ipv6IpamPoolId',
  'ipv6NetmaskLength',
] as const;

function pickVpcArgs(args: Inputs): Inputs {
  return Object.fromEntries(VPC_ARG_KEYS.filter((k) => args[k] !== undefined).map((k) => [k, args[k]]));
}

interface SubnetSpecInput {
  type: SubnetType;
  name?: string;
  cidrBlocks?: string[];
  cidrMask?: number;
  size?: number;
  tags?: TagMap;
}

interface ExplicitSpec extends SubnetSpecInput {
  cidrBlocks: string[];
}

/** awsx SubnetSpec: one subnet of one AZ. */
interface SubnetSpec {
  cidrBlock: string;
  type: SubnetType;
  azName: string;
  resourceName: string;
  tags?: TagMap;
}

// awsx: the index of the array is the corresponding netmask.
const VALID_SUBNET_SIZES: readonly number[] = Array.from({ length: 31 }, (_, i) => 2 ** (32 - i));

function lower(t: string): string {
  return t.toLowerCase();
}

/** awsx validateAndNormalizeSubnetInputs, restricted to what decides an explicit layout. */
export function validateAndNormalizeSubnetInputs(specs: SubnetSpecInput[], azCount: number): ExplicitSpec[] {
  const issues: string[] = [];
  const byType = new Map<string, SubnetSpecInput[]>();
  for (const spec of specs) {
    const key = lower(spec.type);
    byType.set(key, [...(byType.get(key) ?? []), spec]);
  }
  for (const [type, group] of byType) {
    if (group.length > 1) {
      const names = group.map((s) => s.name);
      const unnamed = names.filter((n) => n === undefined).length;
      const named = names.filter((n) => n !== undefined);
      if (unnamed > 1 || new Set(named).size < named.length) {
        issues.push(
          `Multiple subnet specs of type "${type}" require unique names. ` +
            `You can have at most one unnamed subnet per type. All other subnets of the same type must have unique "name" properties to avoid duplicate resource names.`,
        );
      }
    }
  }
  const invalidSizes = specs.filter((s) => s.size !== undefined && !VALID_SUBNET_SIZES.includes(s.size));
  if (invalidSizes.length > 0) {
    issues.push(
      `The following subnet sizes are invalid: ${invalidSizes.map((s) => s.size).join(', ')}. ` +
        `Valid sizes are: ${VALID_SUBNET_SIZES.join(', ')}.`,
    );
  }
  const explicit: ExplicitSpec[] = [];
  if (!specs.some((s) => s.cidrBlocks !== undefined)) {
    fail(
      'awsx:ec2:Vpc: the mock cloud emulates only explicit subnet layouts; give every subnet spec ' +
        'cidrBlocks (one per availability zone) so the layout is given, not computed by awsx allocators',
    );
  }
  specs.forEach((spec, i) => {
    if (spec.cidrBlocks === undefined) {
      issues.push('If any subnet spec has explicit cidrBlocks, all subnets must have explicit cidrBlocks.');
      return;
    }
    if (spec.cidrBlocks.length !== azCount) {
      issues.push(
        `The number of CIDR blocks in subnetSpecs[${i}] must match the number of availability zones (${azCount}).`,
      );
      return;
    }
    const masks = spec.cidrBlocks.map((b) => parseCidr(b, `subnetSpecs[${i}].cidrBlocks`));
    if (spec.cidrMask !== undefined && !masks.every((m) => m.prefix === spec.cidrMask)) {
      issues.push(`The cidrMask in subnetSpecs[${i}] must match all cidrBlocks or be left undefined.`);
      return;
    }
    if (spec.size !== undefined && !masks.every((m) => cidrSize(m) === spec.size)) {
      issues.push(`The size in subnetSpecs[${i}] must match all cidrBlocks or be left undefined.`);
      return;
    }
    explicit.push({ ...spec, cidrBlocks: spec.cidrBlocks });
  });
  if (issues.length > 0) fail(`Invalid subnet specifications:\n - ${issues.join('\n - ')}`);
  return explicit;
}

/** awsx getSubnetSpecsExplicit: AZ-major order, legacy (index-based) resource names. */
export function explicitSubnetSpecs(vpcName: string, azNames: string[], specs: ExplicitSpec[]): SubnetSpec[] {
  return azNames.flatMap((azName, azIndex) =>
    specs.map((spec) => ({
      cidrBlock: spec.cidrBlocks[azIndex],
      type: spec.type,
      azName,
      resourceName: `${vpcName}-${spec.name ?? lower(spec.type)}-${azIndex + 1}`,
      tags: spec.tags,
    })),
  );
}

/** awsx validateSubnets + getOverlappingSubnets. */
export function validateNoOverlaps(specs: SubnetSpec[]): void {
  const cidrs = specs.map((s) => parseCidr(s.cidrBlock));
  const overlapping = specs.filter((_, i) => cidrs.some((c, j) => i !== j && cidrOverlaps(c, cidrs[i])));
  if (overlapping.length > 0) {
    let msg =
      'The following subnets overlap with at least one other subnet. Make the CIDR for the VPC larger, reduce the size of the subnets per AZ, or use less Availability Zones:\n\n';
    overlapping.forEach((s, i) => (msg += `${i + 1}. ${s.resourceName}: ${s.cidrBlock}\n`));
    fail(msg);
  }
}

/**
 * awsx validateNoGaps: walks the specs in their AZ-major order; each must start where the previous
 * one ended, the first at the VPC base and the last must end at the VPC end.
 */
export function validateNoGaps(vpcCidr: string, specs: SubnetSpec[]): void {
  const vpc = parseCidr(vpcCidr);
  const vpcLast = vpc.base + cidrSize(vpc) - 2; // netmask's `last` is the last host address
  const ip = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
  const gaps: string[] = [];
  let prev: SubnetSpec | undefined;
  for (const spec of specs) {
    const cur = parseCidr(spec.cidrBlock);
    if (prev === undefined) {
      if (cur.base !== vpc.base) {
        gaps.push(
          `${spec.resourceName} (${spec.cidrBlock}) does not start at the beginning of the VPC (${vpcCidr})`,
        );
      }
    } else {
      const p = parseCidr(prev.cidrBlock);
      // netmask's next(): the block of the same size right after the previous one
      if (cur.base !== (p.base + cidrSize(p)) % 2 ** 32) {
        gaps.push(`${prev.resourceName} (${prev.cidrBlock}) <=> ${spec.resourceName} (${spec.cidrBlock})`);
      }
    }
    prev = spec;
  }
  const last = parseCidr(prev!.cidrBlock);
  const lastHost = last.base + cidrSize(last) - 2;
  if (lastHost !== vpcLast) {
    gaps.push(`${prev!.resourceName} (ending ${ip(lastHost)}) ends before VPC ends (at ${ip(vpcLast)}})`);
  }
  if (gaps.length > 0)
    fail(`There are gaps in the subnet ranges. Please fix the following gaps: ${gaps.join(', ')}`);
}

/** awsx validateNatGatewayStrategy. */
export function validateNatGatewayStrategy(strategy: string, specs: SubnetSpec[]): void {
  const t = lower(strategy);
  if (t === 'none') return;
  if (t !== 'oneperaz' && t !== 'single') fail(`Unknown NAT Gateway strategy '${strategy}'`);
  const hasPublic = specs.some((s) => lower(s.type) === 'public');
  const hasInner = specs.some((s) => lower(s.type) === 'private' || lower(s.type) === 'isolated');
  if (!hasPublic || !hasInner) {
    fail(
      "If NAT Gateway strategy is 'OnePerAz' or 'Single', public subnets must be declared to host the NAT Gateway resource, along with private or isolated subnets to route through it.",
    );
  }
}

/** awsx validateEips. */
function validateEips(strategy: string, eips: string[], azCount: number): void {
  switch (lower(strategy)) {
    case 'none':
      if (eips.length !== 0)
        fail(`Elastic IP allocation IDs cannot be specified when NAT Gateway strategy is '${strategy}'.`);
      return;
    case 'single':
      if (eips.length > 1)
        fail(`Exactly one Elastic IP may be specified when NAT Gateway strategy is '${strategy}'.`);
      return;
    case 'oneperaz':
      if (eips.length > 0 && eips.length !== azCount) {
        fail(
          `The number of Elastic IPs, if specified, must match the number of availability zones for the VPC (${azCount}) when NAT Gateway strategy is '${strategy}'`,
        );
      }
      return;
    default:
      fail(`Unknown NatGatewayStrategy '${strategy}'`);
  }
}

function shouldCreateNatGateway(strategy: string, numGateways: number, azIndex: number): boolean {
  switch (lower(strategy)) {
    case 'single':
      return numGateways < 1;
    case 'oneperaz':
      return numGateways < azIndex + 1;
    default:
      return false;
  }
}

/** awsx compareSubnetSpecs: public, then private, then isolated (stable within a type). */
function subnetTypeRank(type: string): number {
  const t = lower(type);
  return t === 'public' ? 0 : t === 'private' ? 1 : 2;
}

function parseSpecs(value: unknown): SubnetSpecInput[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) fail('awsx:ec2:Vpc: subnetSpecs must be a list');
  return value.map((raw, i) => {
    const s = raw as Record<string, unknown>;
    const type = s.type as SubnetType;
    if (!['Public', 'Private', 'Isolated', 'Unused'].includes(type)) {
      fail(
        `awsx:ec2:Vpc: subnetSpecs[${i}].type must be Public, Private, Isolated or Unused, got ${JSON.stringify(s.type)}`,
      );
    }
    return {
      type,
      name: typeof s.name === 'string' ? s.name : undefined,
      cidrBlocks: Array.isArray(s.cidrBlocks) ? (s.cidrBlocks as string[]) : undefined,
      cidrMask: typeof s.cidrMask === 'number' ? s.cidrMask : undefined,
      size: typeof s.size === 'number' ? s.size : undefined,
      tags: s.tags === undefined ? undefined : tagMap(s.tags),
    };
  });
}

const UNSUPPORTED_INPUTS = [
  'ipv4IpamPoolId',
  'ipv4NetmaskLength',
  'vpcEndpointSpecs',
  'assignGeneratedIpv6CidrBlock',
  'ipv6IpamPoolId',
];

export function createAwsxVpc(account: Account, req: ResourceRequest): ResourceResult {
  const args: Inputs = req.inputs;
  const name = req.name;
  for (const key of UNSUPPORTED_INPUTS) {
    const v = args[key];
    if (v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0)) {
      fail(`awsx:ec2:Vpc '${name}': input '${key}' is not emulated by the mock cloud`);
    }
  }
  if (args.availabilityZoneNames !== undefined && args.numberOfAvailabilityZones !== undefined) {
    fail('Only one of [availabilityZoneNames] and [numberOfAvailabilityZones] can be specified');
  }
  let azNames: string[];
  if (Array.isArray(args.availabilityZoneNames)) {
    azNames = args.availabilityZoneNames as string[];
    azNames.forEach((az) => requireAz(account.region, az));
  } else {
    const count = typeof args.numberOfAvailabilityZones === 'number' ? args.numberOfAvailabilityZones : 3;
    if (account.azs.length < count) {
      fail(
        `The configured region for this provider does not have at least ${count} Availability Zones. Either specify an explicit list of zones in availabilityZoneNames or choose a region with at least ${count} AZs.`,
      );
    }
    azNames = account.azs.slice(0, count).map((z) => z.name);
  }
  const natArgs = (args.natGateways ?? {}) as { strategy?: string; elasticIpAllocationIds?: string[] };
  const natStrategy = natArgs.strategy ?? 'OnePerAz';
  const allocationIds = natArgs.elasticIpAllocationIds ?? [];
  validateEips(natStrategy, allocationIds, azNames.length);

  const subnetStrategy = (args.subnetStrategy as string | undefined) ?? 'Legacy';
  const specInputs = parseSpecs(args.subnetSpecs);
  if (specInputs === undefined || subnetStrategy === 'Legacy') {
    fail(
      `awsx:ec2:Vpc '${name}': the mock cloud emulates only explicit layouts: set subnetStrategy "Exact" or "Auto" ` +
        `and give every subnet spec cidrBlocks (awsx's "Legacy" strategy ignores explicit cidrBlocks)`,
    );
  }
  const sharedTags: TagMap = { Name: name, ...tagMap(args.tags) };
  const userTags = tagMap(args.tags);
  const cidrBlock = (args.cidrBlock as string | undefined) ?? '10.0.0.0/16';

  const explicit = validateAndNormalizeSubnetInputs(specInputs, azNames.length);
  const subnetSpecs = explicitSubnetSpecs(name, azNames, explicit);
  validateNoOverlaps(subnetSpecs);
  if (subnetStrategy === 'Exact') validateNoGaps(cidrBlock, subnetSpecs);
  validateNatGatewayStrategy(natStrategy, subnetSpecs);

  // Children get the provider's default tags like every resource of that provider.
  const withDefaults = (tags: TagMap): TagMap => ({ ...req.defaultTags, ...tags });
  const child = (type: string, childName: string) => `${req.seed}/${type}/${childName}`;
  const owner = req.accountId;

  const vpc = account.createVpc({
    seed: account.seeds.unique(child('vpc', name)),
    owner,
    cidrBlock,
    tags: withDefaults(sharedTags),
    enableDnsHostnames: args.enableDnsHostnames as boolean | undefined,
    enableDnsSupport: args.enableDnsSupport as boolean | undefined,
  });
  const vpcId = vpc.vpc.VpcId!;
  const vpcKey = { type: 'aws:ec2/vpc:Vpc', name };
  req.recordChild(vpcKey.type, name, vpcId, {
    inputs: { ...pickVpcArgs(args), cidrBlock, tags: sharedTags },
    outputs: { tagsAll: withDefaults(sharedTags) },
  });
  const igw = account.createInternetGateway({
    seed: account.seeds.unique(child('igw', name)),
    owner,
    vpcId,
    tags: withDefaults(sharedTags),
  });
  req.recordChild('aws:ec2/internetGateway:InternetGateway', name, igw.InternetGatewayId!, {
    parent: vpcKey,
    inputs: { vpcId, tags: sharedTags },
    outputs: { tagsAll: withDefaults(sharedTags) },
    propertyDependencies: { vpcId: [vpcKey] },
  });
  const igwKey = { type: 'aws:ec2/internetGateway:InternetGateway', name };
  const natKeys: { type: string; name: string }[] = [];

  const publicSubnetIds: string[] = [];
  const privateSubnetIds: string[] = [];
  const isolatedSubnetIds: string[] = [];
  const natGatewayIds: string[] = [];
  const eipAllocations: string[] = [];

  azNames.forEach((azName, i) => {
    const specs = subnetSpecs
      .filter((s) => s.azName === azName && s.type !== 'Unused')
      .sort((a, b) => subnetTypeRank(a.type) - subnetTypeRank(b.type));
    for (const spec of specs) {
      const type = lower(spec.type);
      const subnetTags = { ...sharedTags, ...spec.tags, Name: spec.resourceName, SubnetType: spec.type };
      const subnet: SubnetState = account.createSubnet({
        seed: account.seeds.unique(child('subnet', spec.resourceName)),
        owner,
        vpcId,
        cidrBlock: spec.cidrBlock,
        availabilityZone: azName,
        mapPublicIpOnLaunch: type === 'public',
        tags: withDefaults(subnetTags),
      });
      const subnetId = subnet.subnet.SubnetId!;
      const subnetKey = { type: 'aws:ec2/subnet:Subnet', name: spec.resourceName };
      req.recordChild(subnetKey.type, spec.resourceName, subnetId, {
        parent: vpcKey,
        inputs: {
          vpcId,
          availabilityZone: azName,
          mapPublicIpOnLaunch: type === 'public',
          cidrBlock: spec.cidrBlock,
          tags: subnetTags,
        },
        outputs: { tagsAll: withDefaults(subnetTags) },
        propertyDependencies: { vpcId: [vpcKey] },
      });
      (type === 'public' ? publicSubnetIds : type === 'private' ? privateSubnetIds : isolatedSubnetIds).push(
        subnetId,
      );

      const tableTags = { ...sharedTags, Name: spec.resourceName, SubnetType: spec.type };
      const table = account.createRouteTable({
        seed: account.seeds.unique(child('rtb', spec.resourceName)),
        owner,
        vpcId,
        tags: withDefaults(tableTags),
      });
      const tableId = table.RouteTableId!;
      const tableKey = { type: 'aws:ec2/routeTable:RouteTable', name: spec.resourceName };
      req.recordChild(tableKey.type, spec.resourceName, tableId, {
        parent: subnetKey,
        inputs: { vpcId, tags: tableTags },
        outputs: { tagsAll: withDefaults(tableTags) },
        propertyDependencies: { vpcId: [vpcKey] },
      });
      const assocId = account.associateRouteTable({
        seed: account.seeds.unique(child('rtbassoc', spec.resourceName)),
        caller: owner,
        routeTableId: tableId,
        subnetId,
      });
      req.recordChild('aws:ec2/routeTableAssociation:RouteTableAssociation', spec.resourceName, assocId, {
        parent: tableKey,
        inputs: { routeTableId: tableId, subnetId },
        propertyDependencies: { routeTableId: [tableKey], subnetId: [subnetKey] },
      });

      if (type === 'public' && shouldCreateNatGateway(natStrategy, natGatewayIds.length, i)) {
        const natName = `${name}-${i + 1}`;
        const natInputTags = { ...userTags, Name: natName };
        const natTags = withDefaults(natInputTags);
        let allocationId = allocationIds[i];
        if (allocationIds.length === 0) {
          const eip = account.allocateAddress({
            seed: account.seeds.unique(child('eip', natName)),
            owner,
            tags: natTags,
          });
          allocationId = eip.AllocationId!;
          eipAllocations.push(allocationId);
          req.recordChild('aws:ec2/eip:Eip', natName, allocationId, {
            parent: subnetKey,
            inputs: { tags: natInputTags },
            outputs: { tagsAll: natTags, allocationId },
          });
        }
        const nat = account.createNatGateway({
          seed: account.seeds.unique(child('nat', natName)),
          owner,
          subnetId,
          allocationId,
          tags: natTags,
        });
        natGatewayIds.push(nat.NatGatewayId!);
        const eipKey = { type: 'aws:ec2/eip:Eip', name: natName };
        const natKey = { type: 'aws:ec2/natGateway:NatGateway', name: natName };
        natKeys.push(natKey);
        req.recordChild(natKey.type, natName, nat.NatGatewayId!, {
          parent: subnetKey,
          inputs: { subnetId, allocationId, tags: natInputTags },
          outputs: { tagsAll: natTags },
          propertyDependencies: {
            subnetId: [subnetKey],
            ...(allocationIds.length === 0 ? { allocationId: [eipKey] } : {}),
          },
        });
      }
      if (type === 'public') {
        account.createRoute(owner, tableId, '0.0.0.0/0', { kind: 'gatewayId', id: igw.InternetGatewayId! });
        req.recordChild('aws:ec2/route:Route', spec.resourceName, routeId(tableId, '0.0.0.0/0'), {
          parent: tableKey,
          inputs: {
            routeTableId: tableId,
            gatewayId: igw.InternetGatewayId!,
            destinationCidrBlock: '0.0.0.0/0',
          },
          propertyDependencies: { routeTableId: [tableKey], gatewayId: [igwKey] },
        });
      } else if (type === 'private' && lower(natStrategy) !== 'none') {
        const single = lower(natStrategy) === 'single';
        const natId = single ? natGatewayIds[0] : natGatewayIds[i];
        if (natId === undefined) {
          // awsx would dereference a missing NAT here (natGateways[i].id) and crash.
          fail(`awsx:ec2:Vpc '${name}': no NAT gateway for private subnet ${spec.resourceName} in ${azName}`);
        }
        account.createRoute(owner, tableId, '0.0.0.0/0', { kind: 'natGatewayId', id: natId });
        const natKey = single ? natKeys[0] : natKeys[i];
        req.recordChild('aws:ec2/route:Route', spec.resourceName, routeId(tableId, '0.0.0.0/0'), {
          parent: tableKey,
          inputs: { routeTableId: tableId, natGatewayId: natId, destinationCidrBlock: '0.0.0.0/0' },
          propertyDependencies: { routeTableId: [tableKey], ...(natKey ? { natGatewayId: [natKey] } : {}) },
        });
      }
    }
  });

  const subnetLayout = explicit.map((s) => ({
    type: s.type,
    ...(s.name !== undefined ? { name: s.name } : {}),
    cidrBlocks: s.cidrBlocks,
    ...(s.cidrMask !== undefined ? { cidrMask: s.cidrMask } : {}),
    ...(s.size !== undefined ? { size: s.size } : {}),
  }));
  return {
    id: '',
    state: {
      vpcId,
      publicSubnetIds,
      privateSubnetIds,
      isolatedSubnetIds,
      subnetLayout,
    },
  };
}
