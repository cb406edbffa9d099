/**
 * VPC flow logs to CloudWatch Logs: all accepted and rejected traffic of a VPC, through a role the
 * flow-logs service assumes. Every VPC of the network has one (policy `vpc-flow-logs`).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

/**
 * Creates `<name>-flow-logs` (log group, role, role policy) and the flow log `<name>` for `vpcId`,
 * as children of `parent`.
 */
export function createVpcFlowLog(
  parent: pulumi.Resource,
  name: string,
  vpcId: pulumi.Input<string>,
  retentionInDays: number,
): aws.ec2.FlowLog {
  const group = new aws.cloudwatch.LogGroup(`${name}-flow-logs`, { retentionInDays }, { parent });
  const role = new aws.iam.Role(
    `${name}-flow-logs`,
    {
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
    },
    { parent },
  );
  new aws.iam.RolePolicy(
    `${name}-flow-logs`,
    {
      role: role.id,
      policy: group.arn.apply((arn) =>
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
              Resource: [arn, `${arn}:*`],
            },
          ],
        }),
      ),
    },
    { parent },
  );
  return new aws.ec2.FlowLog(
    name,
    {
      vpcId,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: group.arn,
      iamRoleArn: role.arn,
    },
    { parent },
  );
}
