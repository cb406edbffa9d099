/**
 * `aws:ec2/flowLog:FlowLog`: the logged resource must exist; CloudWatch delivery needs an
 * existing role.
 */
import type { Account } from './account';
import { optString, ResourceRequest, ResourceResult, tagsAll } from './handler';
import { arn, awsId } from './ids';
import { fail } from './errors';

export function createFlowLog(account: Account, req: ResourceRequest): ResourceResult {
  const targets = ['vpcId', 'subnetId', 'eniId', 'transitGatewayId', 'transitGatewayAttachmentId'].filter(
    (k) => optString(req, k) !== undefined,
  );
  if (targets.length !== 1)
    fail(
      `${req.type} '${req.name}': exactly one of vpcId, subnetId, eniId, transitGatewayId, transitGatewayAttachmentId must be set`,
    );
  const resourceId = optString(req, targets[0])!;
  switch (targets[0]) {
    case 'vpcId':
      account.vpc(resourceId);
      break;
    case 'subnetId':
      account.subnet(resourceId);
      break;
    case 'eniId':
      if (!account.networkInterfaces.has(resourceId))
        fail(`InvalidNetworkInterfaceID.NotFound: ${resourceId}`);
      break;
    case 'transitGatewayId':
      if (!account.transitGateways.has(resourceId)) fail(`InvalidTransitGatewayID.NotFound: ${resourceId}`);
      break;
    default:
      if (!account.tgwAttachments.has(resourceId))
        fail(`InvalidTransitGatewayAttachmentID.NotFound: ${resourceId}`);
  }
  const destinationType = optString(req, 'logDestinationType') ?? 'cloud-watch-logs';
  if (destinationType === 'cloud-watch-logs') {
    const roleArn =
      optString(req, 'iamRoleArn') ??
      fail(
        `InvalidParameter: ${req.type} '${req.name}': iamRoleArn (DeliverLogsPermissionArn) is required for cloud-watch-logs`,
      );
    if (![...account.iamRoles.values()].some((r) => r.arn === roleArn)) {
      fail(
        `InvalidParameter: ${req.type} '${req.name}': unable to assume IAM role ${roleArn} (no such role)`,
      );
    }
    const destination = optString(req, 'logDestination');
    if (destination && !destination.startsWith('arn:'))
      fail(`InvalidParameter: logDestination must be an ARN, got ${destination}`);
  }
  const id = awsId('fl', req.seed);
  account.flowLogs.set(id, { id, resourceId });
  return {
    id,
    state: {
      ...req.inputs,
      logDestinationType: destinationType,
      trafficType: optString(req, 'trafficType') ?? 'ALL',
      arn: arn('ec2', account.region, `vpc-flow-log/${id}`),
      tagsAll: tagsAll(req),
    },
  };
}
