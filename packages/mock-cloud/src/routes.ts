/** `aws:ec2/route:Route`: exactly one target, checked and applied by `Account.createRoute`. */
import type { Account, RouteTarget } from './account';
import { optString, reqString, ResourceRequest, ResourceResult } from './handler';
import { routeId } from './ids';
import { fail } from './errors';

const ROUTE_TARGETS = [
  'transitGatewayId',
  'vpcEndpointId',
  'natGatewayId',
  'gatewayId',
  'networkInterfaceId',
] as const;
const UNSUPPORTED_ROUTE_INPUTS = [
  'carrierGatewayId',
  'coreNetworkArn',
  'egressOnlyGatewayId',
  'localGatewayId',
  'vpcPeeringConnectionId',
  'destinationIpv6CidrBlock',
  'destinationPrefixListId',
];

export function createRoute(account: Account, req: ResourceRequest): ResourceResult {
  for (const key of UNSUPPORTED_ROUTE_INPUTS) {
    if (req.inputs[key] !== undefined && req.inputs[key] !== '') {
      fail(`${req.type} '${req.name}': input '${key}' is not emulated by the mock cloud`);
    }
  }
  const routeTableId = reqString(req, 'routeTableId');
  const destination = reqString(req, 'destinationCidrBlock');
  const given = ROUTE_TARGETS.filter((k) => optString(req, k) !== undefined);
  if (given.length !== 1) {
    fail(
      `${req.type} '${req.name}': exactly one of ${ROUTE_TARGETS.join(', ')} must be set ` +
        `(got ${given.length === 0 ? 'none' : given.join(', ')}) for ${destination} in ${routeTableId}`,
    );
  }
  const target = { kind: given[0], id: optString(req, given[0])! } as RouteTarget;
  const route = account.createRoute(req.accountId, routeTableId, destination, target);
  return {
    id: routeId(routeTableId, route.DestinationCidrBlock!),
    state: { ...req.inputs, origin: 'CreateRoute', state: 'active', instanceId: route.InstanceId ?? '' },
  };
}
