/**
 * Typed stack configuration. Every key is read here, validated, and named in its error, so a typo
 * in `Pulumi.<env>.yaml` fails before any resource is registered. docs/configuration.md lists
 * the same keys.
 */
import * as pulumi from '@pulumi/pulumi';
import { DEFAULT_ALLOWED_DOMAINS } from '@hubspoke/netmodel';
import { isRamPrincipal, spokeAccountOf, type SpokeAccount } from './accounts';
import type { ProjectRole } from './contracts';
import { DEFAULT_STATEFUL_ACTIONS } from './firewall-plan';

/**
 * Every key a program reads, in its project's namespace, per role: the one list a new key is added
 * to. Anything else in the project's namespace, or in a namespace that is neither the project's,
 * `hubspoke`, `aws` nor `pulumi`, is a typo and fails the program before it registers anything.
 */
export const PROJECT_CONFIG_KEYS: Readonly<Record<ProjectRole, readonly string[]>> = {
  tgw: ['supernet', 'blackholeCidrs', 'amazonSideAsn', 'shareWith'],
  inspection: [
    'vpcCidr',
    'availabilityZones',
    'allowedDomains',
    'rulesFiles',
    'statefulDefaultActions',
    'homeNet',
    'applianceMode',
    'logRetentionDays',
  ],
  spoke: [
    'vpcCidr',
    'availabilityZones',
    'probe',
    'probeInstanceType',
    'flowLogRetentionDays',
    'accountId',
    'roleArn',
  ],
};
/** Keys of the `hubspoke` namespace, which every project reads (readCommonConfig). */
export const HUBSPOKE_CONFIG_KEYS: readonly string[] = ['expiresAt', 'ephemeral'];
/** Namespaces that are not ours to judge: the AWS provider's settings and Pulumi's own keys. */
const PASS_THROUGH_NAMESPACES = ['aws', 'pulumi'];

/**
 * Fails, naming every unknown key and the keys the project knows, when the stack's config holds a
 * key no program reads (`inspection:applianceMod`), so a typo cannot silently leave a default on.
 */
export function assertKnownConfigKeys(
  role: ProjectRole,
  project: string = pulumi.getProject(),
  config: Record<string, string> = pulumi.runtime.allConfig(),
): void {
  const known = [
    ...PROJECT_CONFIG_KEYS[role].map((k) => `${project}:${k}`),
    ...HUBSPOKE_CONFIG_KEYS.map((k) => `hubspoke:${k}`),
  ];
  const unknown = Object.keys(config)
    .filter((key) => !PASS_THROUGH_NAMESPACES.includes(key.split(':')[0]!) && !known.includes(key))
    .sort();
  if (unknown.length === 0) return;
  throw new Error(
    `config ${unknown.join(', ')} ${unknown.length === 1 ? 'is not a config key' : 'are not config keys'} of project ${project} ` +
      `(known: ${known.join(', ')}; ${PASS_THROUGH_NAMESPACES.map((n) => `${n}:*`).join(' and ')} keys pass through)`,
  );
}

export interface CommonConfig {
  region: string;
  env: string;
  project: string;
  /** `hubspoke:expiresAt`, required for ephemeral environments. */
  expiresAt?: string;
  /** `hubspoke:ephemeral`; `it-*` environments are ephemeral anyway. */
  ephemeral: boolean;
}

export interface TgwConfig {
  supernet: string;
  blackholeCidrs: string[];
  amazonSideAsn?: number;
  /** `tgw:shareWith`: RAM principals (account ids, organization or OU ARNs) the TGW is shared with. */
  shareWith: string[];
}

export interface InspectionConfig {
  vpcCidr: string;
  availabilityZones: string[];
  allowedDomains: string[];
  rulesFiles: string[];
  statefulDefaultActions: string[];
  /** Overrides HOME_NET (default: the supernet). Narrowing it breaks domain rules for spokes. */
  homeNet?: string[];
  applianceMode: boolean;
  logRetentionDays: number;
}

export interface SpokeConfig {
  vpcCidr: string;
  availabilityZones: string[];
  probe: boolean;
  probeInstanceType: string;
  flowLogRetentionDays: number;
  /** Set when the spoke lives in an account of its own (`<spoke>:accountId`). */
  account?: SpokeAccount;
}

export function readCommonConfig(): CommonConfig {
  const region = new pulumi.Config('aws').require('region');
  const hubspoke = new pulumi.Config('hubspoke');
  return {
    region,
    env: pulumi.getStack(),
    project: pulumi.getProject(),
    expiresAt: hubspoke.get('expiresAt'),
    ephemeral: hubspoke.getBoolean('ephemeral') ?? false,
  };
}

export function readTgwConfig(): TgwConfig {
  assertKnownConfigKeys('tgw');
  const cfg = new pulumi.Config();
  return {
    supernet: cfg.require('supernet'),
    blackholeCidrs: stringList(cfg, 'blackholeCidrs') ?? [],
    amazonSideAsn: cfg.getNumber('amazonSideAsn'),
    shareWith: shareWith(cfg),
  };
}

export function readInspectionConfig(region: string): InspectionConfig {
  assertKnownConfigKeys('inspection');
  const cfg = new pulumi.Config();
  return {
    vpcCidr: cfg.require('vpcCidr'),
    availabilityZones: availabilityZones(cfg, region),
    allowedDomains: stringList(cfg, 'allowedDomains') ?? [...DEFAULT_ALLOWED_DOMAINS],
    rulesFiles: stringList(cfg, 'rulesFiles') ?? [],
    statefulDefaultActions: stringList(cfg, 'statefulDefaultActions') ?? [...DEFAULT_STATEFUL_ACTIONS],
    homeNet: stringList(cfg, 'homeNet'),
    applianceMode: cfg.getBoolean('applianceMode') ?? true,
    logRetentionDays: retentionDays(cfg, 'logRetentionDays') ?? 30,
  };
}

export function readSpokeConfig(region: string): SpokeConfig {
  assertKnownConfigKeys('spoke');
  const cfg = new pulumi.Config();
  return {
    vpcCidr: cfg.require('vpcCidr'),
    availabilityZones: availabilityZones(cfg, region),
    probe: cfg.getBoolean('probe') ?? false,
    probeInstanceType: cfg.get('probeInstanceType') ?? 't3.micro',
    flowLogRetentionDays: retentionDays(cfg, 'flowLogRetentionDays') ?? 30,
    account: spokeAccountOf(cfg.name, cfg.get('accountId'), cfg.get('roleArn')),
  };
}

/** `tgw:shareWith`: each entry an account id, an organization ARN or an OU ARN. */
function shareWith(cfg: pulumi.Config): string[] {
  const principals = stringList(cfg, 'shareWith') ?? [];
  principals.forEach((p, i) => {
    if (!isRamPrincipal(p)) {
      throw new Error(
        `config ${cfg.name}:shareWith[${i}] is ${JSON.stringify(p)}: expected a 12-digit account id, ` +
          'an organization ARN (arn:aws:organizations::<management account>:organization/o-...) or an OU ARN (.../ou/o-.../ou-...)',
      );
    }
  });
  const seen = new Set<string>();
  for (const p of principals) {
    if (seen.has(p)) throw new Error(`config ${cfg.name}:shareWith names ${p} twice`);
    seen.add(p);
  }
  return principals;
}

function stringList(cfg: pulumi.Config, key: string): string[] | undefined {
  const value = cfg.getObject<unknown>(key);
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new Error(`config ${cfg.name}:${key} must be a list of strings, got ${JSON.stringify(value)}`);
  }
  return value as string[];
}

/**
 * The only retention periods CloudWatch Logs accepts ("retentionInDays" in
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html);
 * any other value fails the deploy halfway, after the VPC and firewall exist.
 */
export const CLOUDWATCH_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

function retentionDays(cfg: pulumi.Config, key: string): number | undefined {
  const value = cfg.getNumber(key);
  if (value !== undefined && !CLOUDWATCH_RETENTION_DAYS.includes(value)) {
    throw new Error(
      `config ${cfg.name}:${key} must be one of the retention periods CloudWatch Logs accepts (${CLOUDWATCH_RETENTION_DAYS.join(', ')}), got ${value}`,
    );
  }
  return value;
}

/** AZ names must belong to the stack's region: a typo here would only fail deep inside a deploy. */
function availabilityZones(cfg: pulumi.Config, region: string): string[] {
  const azs = stringList(cfg, 'availabilityZones');
  if (!azs || azs.length === 0) {
    throw new Error(`config ${cfg.name}:availabilityZones is required: a list of AZ names in ${region}`);
  }
  for (const az of azs) {
    if (!new RegExp(`^${region}[a-z]$`).test(az)) {
      throw new Error(
        `config ${cfg.name}:availabilityZones has ${JSON.stringify(az)}, which is not an AZ of ${region}`,
      );
    }
  }
  return azs;
}
