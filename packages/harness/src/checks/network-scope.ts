/**
 * Which VPCs of a snapshot belong to the environment, and as what (docs/contracts.md "Tags"):
 *  - the hub: VPCs holding a Network Firewall, and the `inspection` project's VPC;
 *  - spokes: VPCs the stack outputs name (offline run, live e2e), VPCs tagged `hubspoke:stack`
 *    with the environment's `hubspoke:env`, and any other VPC attached to a transit gateway;
 *  - outside the network: VPCs with no project tag and no attachment (an account's default VPC),
 *    or tagged for another environment. They are listed in the report, never checked.
 * A spoke is checked whether or not it is attached, so a detached spoke fails a check instead of
 * silently dropping out of the enumeration.
 */
import type { Tag } from '@aws-sdk/client-ec2';
import { firewallVpcIds, type NetworkModel } from '@hubspoke/netmodel';
import { INSPECTION_PROJECT, TAG_ENV, TAG_STACK } from '@hubspoke/network/src/contracts';

/** A spoke VPC named by a stack output (`vpcId` of a spoke project). */
export interface DeclaredSpoke {
  /** The spoke project, e.g. `spoke-a`. */
  name: string;
  vpcId: string;
}

/** What the caller knows about the environment beyond the snapshot. */
export interface NetworkScope {
  /**
   * Environment name; VPCs tagged with another `hubspoke:env` are outside. Default: the env tag
   * of the VPC holding the firewall (a snapshot file does not say which env it is).
   */
  env?: string;
  /** Spoke VPCs from the stack outputs (offline run, live e2e); tags find the others. */
  spokes?: DeclaredSpoke[];
}

export interface SpokeVpc {
  vpcId: string;
  name: string;
  /** Why it counts as a spoke, for messages. */
  source: 'stack outputs' | 'tags' | 'tgw attachment';
  /** False when the stack outputs name it but the snapshot has no such VPC. */
  inSnapshot: boolean;
}

export interface OutsideVpc {
  vpcId: string;
  cidr: string;
  why: string;
}

export interface EnvironmentVpcs {
  env?: string;
  hubVpcIds: string[];
  spokes: SpokeVpc[];
  outside: OutsideVpc[];
}

export function tag(tags: Tag[] | undefined, key: string): string | undefined {
  return tags?.find((t) => t.Key === key)?.Value;
}

export function classifyVpcs(model: NetworkModel, scope: NetworkScope = {}): EnvironmentVpcs {
  const vpcs = model.snapshot.Vpcs ?? [];
  const firewall = new Set(firewallVpcIds(model));
  const hub = new Set(
    vpcs
      .filter((v) => v.VpcId && (firewall.has(v.VpcId) || tag(v.Tags, TAG_STACK) === INSPECTION_PROJECT))
      .map((v) => v.VpcId!),
  );
  const env =
    scope.env ??
    vpcs.map((v) => (v.VpcId && firewall.has(v.VpcId) ? tag(v.Tags, TAG_ENV) : undefined)).find(Boolean);
  const declared = new Map((scope.spokes ?? []).map((s) => [s.vpcId, s.name]));
  const spokes: SpokeVpc[] = [];
  const outside: OutsideVpc[] = [];
  for (const v of vpcs) {
    const id = v.VpcId;
    if (!id || hub.has(id)) continue;
    const stack = tag(v.Tags, TAG_STACK);
    const vpcEnv = tag(v.Tags, TAG_ENV);
    const attached = (model.vpcs.get(id)?.tgwAttachmentIds.length ?? 0) > 0;
    const name = declared.get(id) ?? stack ?? tag(v.Tags, 'Name') ?? id;
    const tagged = stack !== undefined && (!env || !vpcEnv || vpcEnv === env);
    if (declared.has(id)) spokes.push({ vpcId: id, name, source: 'stack outputs', inSnapshot: true });
    else if (tagged) spokes.push({ vpcId: id, name, source: 'tags', inSnapshot: true });
    else if (attached) spokes.push({ vpcId: id, name, source: 'tgw attachment', inSnapshot: true });
    else
      outside.push({
        vpcId: id,
        cidr: v.CidrBlock ?? '?',
        why: stack
          ? `${TAG_STACK}=${stack} of env ${vpcEnv}`
          : v.IsDefault
            ? 'the default VPC, no project tag, not attached'
            : 'no project tag, not attached',
      });
  }
  const inSnapshot = new Set(vpcs.map((v) => v.VpcId));
  for (const s of scope.spokes ?? [])
    if (!inSnapshot.has(s.vpcId))
      spokes.push({ vpcId: s.vpcId, name: s.name, source: 'stack outputs', inSnapshot: false });
  spokes.sort((a, b) => a.name.localeCompare(b.name) || a.vpcId.localeCompare(b.vpcId));
  outside.sort((a, b) => a.vpcId.localeCompare(b.vpcId));
  return { ...(env ? { env } : {}), hubVpcIds: [...hub].sort(), spokes, outside };
}

/** `vpc-default (172.31.0.0/16, the default VPC, no project tag, not attached)`, for report lines. */
export function outsideText(o: OutsideVpc): string {
  return `${o.vpcId} (${o.cidr}, ${o.why})`;
}
