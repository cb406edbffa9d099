/**
 * `aws:ec2/flowLog:FlowLog`: the logged resource must exist; CloudWatch delivery needs an
 * existing role.
 */
import { accountKey, type Account } from './account';
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
  const caller = req.accountId;
  switch (targets[0]) {
    case 'vpcId':
      account.vpc(resourceId, caller);
      break;
    case 'subnetId':
      account.subnet(resourceId, caller);
      break;
    case 'eniId':
      if (!account.ownedBy(caller, resourceId, account.networkInterfaces.get(resourceId)))
        fail(`InvalidNetworkInterfaceID.NotFound: ${resourceId}`);
      break;
    case 'transitGatewayId':
      if (!account.ownedBy(caller, resourceId, account.transitGateways.get(resourceId)))
        fail(`InvalidTransitGatewayID.NotFound: ${resourceId}`);
      break;
    default: {
      // Both ends see an attachment: the VPC's account and the transit gateway's.
      const a = account.tgwAttachments.get(resourceId);
      if (!a || (a.attachment.VpcOwnerId !== caller && a.transitGatewayOwnerId !== caller))
        fail(`InvalidTransitGatewayAttachmentID.NotFound: ${resourceId}`);
    }
  }
  const destinationType = optString(req, 'logDestinationType') ?? 'cloud-watch-logs';
  if (destinationType === 'cloud-watch-logs') {
    const roleArn =
      optString(req, 'iamRoleArn') ??
      fail(
        `InvalidParameter: ${req.type} '${req.name}': iamRoleArn (DeliverLogsPermissionArn) is required for cloud-watch-logs`,
      );
    const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
    if (account.iamRoles.get(accountKey(caller, roleName))?.arn !== roleArn) {
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
  account.own(id, caller);
  return {
    id,
    state: {
      ...req.inputs,
      logDestinationType: destinationType,
      trafficType: optString(req, 'trafficType') ?? 'ALL',
      arn: arn('ec2', account.region, caller, `vpc-flow-log/${id}`),
      tagsAll: tagsAll(req),
    },
  };
}
