/**
 * `SpokeWorkload`: the probe. An Amazon Linux 2023 instance reachable only through Session Manager:
 * no public IP, no SSH, no inbound rules, IMDSv2 required, encrypted root volume, and an instance
 * profile holding AmazonSSMManagedInstanceCore and nothing else.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { PROBE_ROLE, TAG_ROLE } from './contracts';

/** Public SSM parameter that always names the latest AL2023 AMI. */
export const AL2023_AMI_PARAMETER = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';
export const SSM_CORE_POLICY_ARN = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';

export interface SpokeWorkloadArgs {
  vpcId: pulumi.Input<string>;
  subnetId: pulumi.Input<string>;
  /** Default t3.micro. */
  instanceType?: string;
  /**
   * What the SSM agent needs before it can register: the VPC's SSM interface endpoints and the
   * subnet's route. The instance is created after them, so the agent's first registration
   * attempts do not fail into its back-off.
   */
  startAfter?: pulumi.Resource[];
}

export class SpokeWorkload extends pulumi.ComponentResource {
  public readonly instanceId: pulumi.Output<string>;
  public readonly privateIp: pulumi.Output<string>;

  constructor(name: string, args: SpokeWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    super('hubspoke:network:SpokeWorkload', name, {}, opts);
    const role = new aws.iam.Role(
      name,
      {
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        }),
      },
      { parent: this },
    );
    const ssmCore = new aws.iam.RolePolicyAttachment(
      name,
      { role: role.name, policyArn: SSM_CORE_POLICY_ARN },
      { parent: this },
    );
    const profile = new aws.iam.InstanceProfile(name, { role: role.name }, { parent: this });
    const sg = new aws.ec2.SecurityGroup(
      name,
      {
        vpcId: args.vpcId,
        description: 'probe: no inbound; outbound anywhere (the firewall decides)',
        ingress: [],
        egress: [
          { protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'], description: 'all outbound' },
        ],
        tags: { Name: name },
      },
      { parent: this },
    );
    const ami = aws.ssm.getParameterOutput({ name: AL2023_AMI_PARAMETER }, { parent: this }).value;
    const instance = new aws.ec2.Instance(
      name,
      {
        ami,
        instanceType: args.instanceType ?? 't3.micro',
        subnetId: args.subnetId,
        vpcSecurityGroupIds: [sg.id],
        iamInstanceProfile: profile.name,
        associatePublicIpAddress: false,
        metadataOptions: { httpTokens: 'required', httpEndpoint: 'enabled', httpPutResponseHopLimit: 1 },
        rootBlockDevice: { encrypted: true, volumeType: 'gp3' },
        tags: { Name: name, [TAG_ROLE]: PROBE_ROLE },
      },
      {
        parent: this,
        // Without the policy on its role the agent's first registration fails.
        dependsOn: [ssmCore, ...(args.startAfter ?? [])],
        // The AMI is looked up at every deploy: a new Amazon Linux release must not replace a
        // long-lived probe (its id and IP would change under the checks). Ephemeral envs get the
        // latest image anyway; `pulumi up --replace <urn>` moves a long-lived one.
        ignoreChanges: ['ami'],
      },
    );
    this.instanceId = instance.id;
    this.privateIp = instance.privateIp;
    this.registerOutputs({ instanceId: this.instanceId, privateIp: this.privateIp });
  }
}
