/**
 * Stack contracts (docs/contracts.md): project names, environment naming, tags and the typed
 * outputs every project exports. Programs export exactly these shapes, and downstream stacks read
 * them through `readStackOutputs`, so renaming an output breaks the build instead of a deploy.
 */
import { PROBE_TAG } from '@hubspoke/netmodel';

/** Pulumi project names. Spoke projects are named after the spoke (`spoke-a`, `spoke-b`, ...). */
export const TGW_PROJECT = 'tgw';
export const INSPECTION_PROJECT = 'inspection';
/** What a stack project is: the shared TGW, the inspection VPC, or one spoke. */
export type ProjectRole = 'tgw' | 'inspection' | 'spoke';

/** Tag keys every taggable resource carries (docs/contracts.md "Tags"). */
export const TAG_ENV = 'hubspoke:env';
export const TAG_STACK = 'hubspoke:stack';
export const TAG_EPHEMERAL = 'hubspoke:ephemeral';
export const TAG_EXPIRES_AT = 'hubspoke:expires-at';
/** `hubspoke:role=probe` marks a probe instance; the model finds probes by the same tag. */
export const TAG_ROLE = PROBE_TAG.key;
export const PROBE_ROLE = PROBE_TAG.value;

/** Outputs of the `tgw` project. */
export interface TgwOutputs {
  transitGatewayId: string;
  /** TGW route table the spoke attachments are associated with (static 0.0.0.0/0 -> inspection). */
  spokeRouteTableId: string;
  /** TGW route table the inspection attachment is associated with (spokes propagate into it). */
  inspectionRouteTableId: string;
  /** The address space every VPC of the network lives in; HOME_NET of the firewall. */
  supernetCidr: string;
  /** CIDRs routed to a blackhole in both TGW route tables. */
  blackholeCidrs: string[];
  /**
   * The network account: the one that owns the TGW. Optional because stacks deployed before
   * multi-account support lack it; a spoke in an account of its own requires it.
   */
  accountId?: string;
  /** `tgw:shareWith`: the RAM principals the TGW is shared with (optional, as `accountId`). */
  shareWith?: string[];
}

/** Outputs of the `inspection` project. */
export interface InspectionOutputs {
  vpcId: string;
  vpcCidr: string;
  availabilityZones: string[];
  /** Public IPs of the NAT gateways (one per AZ): the egress IPs of every spoke. */
  natPublicIps: string[];
  natGatewayIds: string[];
  firewallArn: string;
  firewallPolicyArn: string;
  /** Firewall endpoint id per AZ, keyed by AZ name. */
  firewallEndpointIds: Record<string, string>;
  tgwAttachmentId: string;
  /** Domains the firewall allows (TLS SNI and HTTP Host). */
  allowedDomains: string[];
}

/** Outputs of a spoke project. */
export interface SpokeOutputs {
  vpcId: string;
  vpcCidr: string;
  availabilityZones: string[];
  workloadSubnetIds: string[];
  tgwAttachmentId: string;
  /** Present when the probe workload is enabled. */
  probeInstanceId?: string;
  probePrivateIp?: string;
  /** The spoke's own account, when it names one (`<spoke>:accountId`). */
  accountId?: string;
}

/** Output names of each contract, used to validate a StackReference before it is read. */
export const TGW_OUTPUT_KEYS: readonly (keyof TgwOutputs)[] = [
  'transitGatewayId',
  'spokeRouteTableId',
  'inspectionRouteTableId',
  'supernetCidr',
  'blackholeCidrs',
];
/** Outputs of `tgw` a reader takes when present (older stacks lack them). */
export const TGW_OPTIONAL_OUTPUT_KEYS: readonly (keyof TgwOutputs)[] = ['accountId', 'shareWith'];
export const INSPECTION_OUTPUT_KEYS: readonly (keyof InspectionOutputs)[] = [
  'vpcId',
  'vpcCidr',
  'availabilityZones',
  'natPublicIps',
  'natGatewayIds',
  'firewallArn',
  'firewallPolicyArn',
  'firewallEndpointIds',
  'tgwAttachmentId',
  'allowedDomains',
];
export const SPOKE_OUTPUT_KEYS: readonly (keyof SpokeOutputs)[] = [
  'vpcId',
  'vpcCidr',
  'availabilityZones',
  'workloadSubnetIds',
  'tgwAttachmentId',
];

/** Ephemeral environments are `it-<id>`; `dev` and `prod` are the long-lived ones. */
export const EPHEMERAL_ENV_PATTERN = /^it-[a-z0-9][a-z0-9-]{0,40}$/;
export function isEphemeralEnv(env: string): boolean {
  return EPHEMERAL_ENV_PATTERN.test(env);
}
