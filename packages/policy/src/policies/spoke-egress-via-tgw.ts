/**
 * A spoke reaches anything outside itself through the Transit Gateway, so through inspection: no
 * internet gateway, NAT gateway, egress-only gateway or public address of its own, a default route
 * only to the TGW, and other ways out (peering, gateway endpoints, ...) only where configured.
 */
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { configSchema, HUB_PROJECTS_SCHEMA, isSpokeProject, reporter, type CommonConfig } from '../config';
import { parseUrn } from '../resources';
import { T } from '../types';

/** Ways out of a spoke other than the TGW that a team may allow in the policy config. */
export const ROUTE_TARGET_KINDS = [
  'peering',
  'gateway-endpoint',
  'vpc-endpoint',
  'network-interface',
  'vpn-gateway',
  'core-network',
  'local-gateway',
] as const;
export type RouteTargetKind = (typeof ROUTE_TARGET_KINDS)[number];

interface Config extends CommonConfig {
  allowedRouteTargets?: RouteTargetKind[];
  hubProjects?: string[];
}

/** Resource types that are a way to the internet by themselves. */
const FORBIDDEN_TYPES: Record<string, string> = {
  [T.internetGateway]: 'an internet gateway',
  [T.internetGatewayAttachment]: 'an internet gateway attachment',
  [T.egressOnlyInternetGateway]: 'an egress-only internet gateway',
  [T.natGateway]: 'a NAT gateway',
  [T.carrierGateway]: 'a carrier gateway',
  [T.eip]: 'an Elastic IP',
  [T.eipAssociation]: 'an Elastic IP association',
};

const DEFAULT_DESTINATIONS = new Set(['0.0.0.0/0', '::/0']);

type Target = { kind: RouteTargetKind | 'tgw' | 'local' | 'internet'; detail: string };

/** What a route sends traffic to, from the target argument it sets (aws.ec2.Route / inline route). */
function routeTarget(route: Record<string, unknown>): Target | undefined {
  const set = (key: string): string | undefined => {
    const v = route[key];
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  if (set('transitGatewayId')) return { kind: 'tgw', detail: `transitGatewayId ${set('transitGatewayId')}` };
  for (const key of ['natGatewayId', 'egressOnlyGatewayId', 'carrierGatewayId']) {
    if (set(key)) return { kind: 'internet', detail: `${key} ${set(key)}` };
  }
  const gateway = set('gatewayId');
  if (gateway) {
    // gatewayId names an internet gateway (igw-), a virtual private gateway (vgw-), a gateway
    // endpoint (vpce-) or the VPC itself (local).
    if (gateway === 'local') return { kind: 'local', detail: 'local' };
    if (gateway.startsWith('vgw-')) return { kind: 'vpn-gateway', detail: `gatewayId ${gateway}` };
    if (gateway.startsWith('vpce-')) return { kind: 'gateway-endpoint', detail: `gatewayId ${gateway}` };
    return { kind: 'internet', detail: `gatewayId ${gateway}` };
  }
  const kinds: [string, RouteTargetKind][] = [
    ['vpcPeeringConnectionId', 'peering'],
    ['vpcEndpointId', 'vpc-endpoint'],
    ['networkInterfaceId', 'network-interface'],
    ['coreNetworkArn', 'core-network'],
    ['localGatewayId', 'local-gateway'],
  ];
  for (const [key, kind] of kinds) if (set(key)) return { kind, detail: `${key} ${set(key)}` };
  return undefined;
}

/** The violation of one route, if any. `destination` as written (CIDR or prefix list). */
function routeProblem(
  destination: string,
  target: Target | undefined,
  allowed: readonly string[],
): string | undefined {
  if (!target) return `route ${destination} has no target this policy recognises`;
  if (target.kind === 'tgw' || target.kind === 'local') return undefined;
  if (DEFAULT_DESTINATIONS.has(destination)) {
    return `default route ${destination} goes to ${target.detail}; a spoke's default route must go to the Transit Gateway (transitGatewayId)`;
  }
  if (target.kind === 'internet') {
    return `route ${destination} goes to ${target.detail}: a spoke has no way to the internet of its own`;
  }
  if (!allowed.includes(target.kind)) {
    return `route ${destination} goes to ${target.detail} (${target.kind}), which bypasses inspection; allow it with allowedRouteTargets: ["${target.kind}"] if intended`;
  }
  return undefined;
}

function destinationOf(route: Record<string, unknown>, ...keys: string[]): string {
  for (const k of keys) if (typeof route[k] === 'string' && route[k] !== '') return route[k] as string;
  return '(no destination)';
}

export const spokeEgressViaTgw: ResourceValidationPolicy = {
  name: 'spoke-egress-via-tgw',
  description:
    'Spokes leave only through the Transit Gateway: no internet, NAT or egress-only gateway, no public IP, default route to the TGW, other routes out only where configured.',
  enforcementLevel: 'mandatory',
  severity: 'critical',
  configSchema: configSchema({
    allowedRouteTargets: {
      type: 'array',
      description:
        'Ways out of a spoke besides the TGW that are allowed (never internet, NAT or egress-only gateways).',
      items: { type: 'string', enum: [...ROUTE_TARGET_KINDS] },
      uniqueItems: true,
      default: [],
    },
    hubProjects: HUB_PROJECTS_SCHEMA,
  }),
  validateResource: (args, reportViolation) => {
    const config = args.getConfig<Config>();
    const { project } = parseUrn(args.urn);
    if (!isSpokeProject(project, config.hubProjects)) args.notApplicable(`${project} is a hub project`);
    const report = reporter(reportViolation, config.exemptions);
    const violation = (message: string) => report(args.urn, message);
    const props = args.props;
    const allowed = config.allowedRouteTargets ?? [];

    const forbidden = FORBIDDEN_TYPES[args.type];
    if (forbidden)
      return violation(
        `spoke ${project} creates ${forbidden}: a spoke has no way to the internet of its own`,
      );
    switch (args.type) {
      case T.instance:
      case T.spotInstanceRequest:
        if (props.associatePublicIpAddress === true)
          violation('associatePublicIpAddress is true: a spoke instance gets no public IP');
        return;
      case T.launchTemplate:
        for (const ni of (props.networkInterfaces as Record<string, unknown>[] | undefined) ?? []) {
          if (String(ni.associatePublicIpAddress) === 'true') {
            violation(
              'networkInterfaces[].associatePublicIpAddress is true: a spoke instance gets no public IP',
            );
          }
        }
        return;
      case T.subnet:
        if (props.mapPublicIpOnLaunch === true)
          violation('mapPublicIpOnLaunch is true: instances in a spoke subnet get no public IP');
        return;
      case T.route: {
        const destination = destinationOf(
          props,
          'destinationCidrBlock',
          'destinationIpv6CidrBlock',
          'destinationPrefixListId',
        );
        const problem = routeProblem(destination, routeTarget(props), allowed);
        if (problem) violation(problem);
        return;
      }
      case T.routeTable:
      case T.defaultRouteTable:
        for (const route of (props.routes as Record<string, unknown>[] | undefined) ?? []) {
          const destination = destinationOf(route, 'cidrBlock', 'ipv6CidrBlock', 'destinationPrefixListId');
          const problem = routeProblem(destination, routeTarget(route), allowed);
          if (problem) violation(`inline ${problem}`);
        }
        return;
      case T.vpcEndpoint:
        if (props.vpcEndpointType === 'Gateway' && !allowed.includes('gateway-endpoint')) {
          violation(
            `gateway endpoint to ${String(props.serviceName)} adds routes that bypass inspection; allow it with allowedRouteTargets: ["gateway-endpoint"] if intended`,
          );
        }
        return;
      case T.vpcEndpointRouteTableAssociation:
        if (!allowed.includes('gateway-endpoint')) {
          violation(
            'routes a gateway endpoint, which bypasses inspection; allow it with allowedRouteTargets: ["gateway-endpoint"] if intended',
          );
        }
        return;
      case T.vpcPeeringConnection:
      case T.vpcPeeringConnectionAccepter:
        if (!allowed.includes('peering')) {
          violation(
            'VPC peering bypasses inspection; allow it with allowedRouteTargets: ["peering"] if intended',
          );
        }
        return;
      default:
        args.notApplicable('not a gateway, address, instance, subnet, route or peering resource');
    }
  },
};
