/**
 * Checks of the environment's spokes as a whole, read from the snapshot rather than traced:
 * `spoke-attachment` (every spoke is attached to the hub's transit gateway and associated with a
 * TGW route table; VPCs outside the network are listed, not checked) and the spoke routes to an
 * internet, NAT or egress-only gateway that `inspected-egress` reports as ways out of their own.
 */
import type { Route } from '@aws-sdk/client-ec2';
import { outsideText, type SpokeVpc } from './network-scope';
import { summarizeFailures } from './probe-checks';
import type { Topology } from './topology';
import type { CheckResult, DecisiveHop } from './types';

type Failure = NonNullable<CheckResult['failures']>[number];

/** Transit gateways the hub (the VPC holding the firewall) is attached to. */
function hubTransitGateways(topology: Topology): Set<string> {
  const { model } = topology;
  const out = new Set<string>();
  for (const vpcId of topology.environment.hubVpcIds)
    for (const a of model.vpcs.get(vpcId)?.tgwAttachmentIds ?? []) {
      const tgw = model.tgwAttachments.get(a)?.tgwId;
      if (tgw) out.add(tgw);
    }
  return out;
}

/** Why a spoke is not part of the hub's routing, or undefined when it is. */
function attachmentProblem(
  topology: Topology,
  spoke: SpokeVpc,
  hubTgws: Set<string>,
): { detail: string; decisive: DecisiveHop } | undefined {
  const { model } = topology;
  const vpc = { kind: 'vpc', id: spoke.vpcId };
  if (!spoke.inSnapshot)
    return {
      detail: `named by the stack outputs (${spoke.vpcId}) but not in the snapshot`,
      decisive: { ...vpc, detail: `${spoke.vpcId} is missing from Vpcs` },
    };
  const attachments = (model.vpcs.get(spoke.vpcId)?.tgwAttachmentIds ?? [])
    .map((id) => model.tgwAttachments.get(id))
    .filter((a) => a !== undefined);
  if (attachments.length === 0)
    return {
      detail: 'is not attached to a transit gateway: nothing it sends reaches the inspection VPC',
      decisive: { ...vpc, detail: `${spoke.vpcId} has no transit gateway VPC attachment` },
    };
  const onHub = attachments.filter((a) => hubTgws.size === 0 || hubTgws.has(a.tgwId));
  if (onHub.length === 0)
    return {
      detail: `is attached only to ${[...new Set(attachments.map((a) => a.tgwId))].join(', ')}, not to the inspection VPC's transit gateway ${[...hubTgws].join(', ')}`,
      decisive: {
        kind: 'tgw-attachment',
        id: attachments[0]!.id,
        detail: `attachment of ${spoke.vpcId} to ${attachments[0]!.tgwId}`,
      },
    };
  // Each attachment is associated with a single TGW route table, which decides the next hop of the
  // traffic it sends; without one the TGW has no route for it (AWS Transit Gateway guide,
  // "Transit gateways", https://docs.aws.amazon.com/vpc/latest/tgw/tgw-transit-gateways.html).
  if (!onHub.some((a) => a.routeTableId))
    return {
      detail: `attachment ${onHub.map((a) => a.id).join(', ')} is associated with no transit gateway route table: the TGW routes none of its traffic`,
      decisive: {
        kind: 'tgw-attachment',
        id: onHub[0]!.id,
        detail: `${onHub[0]!.id} has no route table association`,
      },
    };
  return undefined;
}

/** spoke-attachment: every spoke of the environment is attached to the hub's TGW and associated. */
export function spokeAttachmentCheck(topology: Topology): CheckResult {
  const id = 'spoke-attachment';
  const { spokes, outside } = topology.environment;
  const outsideNote = outside.length
    ? `; outside the network, not checked: ${outside.map(outsideText).join(', ')}`
    : '';
  if (spokes.length === 0)
    return {
      id,
      status: 'fail',
      detail: `no spoke VPC found (none named by the stack outputs, tagged hubspoke:stack, or attached to a transit gateway)${outsideNote}`,
      covered: 0,
    };
  const hubTgws = hubTransitGateways(topology);
  const failures: Failure[] = [];
  for (const spoke of spokes) {
    const problem = attachmentProblem(topology, spoke, hubTgws);
    if (problem)
      failures.push({
        subject: `${spoke.name} (${spoke.vpcId}, found by ${spoke.source})`,
        detail: problem.detail,
        decisive: problem.decisive,
      });
  }
  const names = spokes.map((s) => s.name).join(', ');
  if (failures.length === 0)
    return {
      id,
      status: 'pass',
      detail: `${spokes.length} spoke VPC(s) attached to ${[...hubTgws].join(', ') || 'a transit gateway'} and associated: ${names}${outsideNote}`,
      covered: spokes.length,
    };
  return {
    id,
    status: 'fail',
    detail: `${summarizeFailures(failures, spokes.length, 'spoke')}${outsideNote}`,
    decisive: failures[0]!.decisive!,
    failures,
    covered: spokes.length,
  };
}

/** A route of a spoke subnet that leaves the network by a gateway of the spoke's own. */
export interface OwnInternetRoute {
  spoke: string;
  vpcId: string;
  subnetId: string;
  az: string;
  routeTableId: string;
  destination: string;
  gateway: string;
}

/**
 * Routes to an internet gateway, a NAT gateway or an egress-only internet gateway in the route
 * table of any spoke subnet: each is a way to the internet that skips the firewall, whatever
 * destination it covers (Amazon VPC User Guide, "Example routing options",
 * https://docs.aws.amazon.com/vpc/latest/userguide/route-table-options.html). Routes to peering
 * connections, gateway endpoints (prefix lists) and the TGW are not internet paths and are not
 * listed. Read from the snapshot's route tables, so the answer does not depend on which
 * destinations the traces happen to try.
 */
export function ownInternetRoutes(topology: Topology): OwnInternetRoute[] {
  const raw = new Map((topology.snapshot.RouteTables ?? []).map((t) => [t.RouteTableId, t.Routes ?? []]));
  const out: OwnInternetRoute[] = [];
  for (const spoke of topology.environment.spokes) {
    const vpc = topology.model.vpcs.get(spoke.vpcId);
    for (const subnet of vpc?.subnets ?? []) {
      const table = subnet.routeTable?.id;
      if (!table) continue;
      for (const route of raw.get(table) ?? []) {
        const gateway = ownInternetGateway(route);
        if (!gateway) continue;
        out.push({
          spoke: spoke.name,
          vpcId: spoke.vpcId,
          subnetId: subnet.id,
          az: subnet.az,
          routeTableId: table,
          destination:
            route.DestinationCidrBlock ??
            route.DestinationIpv6CidrBlock ??
            route.DestinationPrefixListId ??
            '?',
          gateway,
        });
      }
    }
  }
  return out.sort(
    (a, b) =>
      a.spoke.localeCompare(b.spoke) || a.az.localeCompare(b.az) || a.subnetId.localeCompare(b.subnetId),
  );
}

/** The internet, NAT or egress-only gateway an active route sends to, if any. */
export function ownInternetGateway(route: Route): string | undefined {
  if (route.State === 'blackhole') return undefined;
  if (route.GatewayId?.startsWith('igw-')) return route.GatewayId;
  return route.NatGatewayId ?? route.EgressOnlyInternetGatewayId;
}
