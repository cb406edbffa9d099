/**
 * Small programs that break one guardrail each, built from the real components where one exists
 * (a spoke is the real SpokeVpc; the violation is added to it) and from plain resources otherwise.
 * They run after the repository's tgw stack, whose outputs they read like a real spoke.
 */
import * as aws from '@pulumi/aws';
import * as awsx from '@pulumi/awsx';
import * as pulumi from '@pulumi/pulumi';
import { AL2023_AMI_PARAMETER, SpokeVpc, stackTags } from '@hubspoke/network';
import { AZS } from './support';

/** An explicit provider with the contract's default tags, as the real programs use. */
export function taggedProvider(): aws.Provider {
  return new aws.Provider('aws', {
    region: 'us-east-1',
    defaultTags: { tags: stackTags({ env: pulumi.getStack(), project: pulumi.getProject() }) },
  });
}

export interface SpokeOptions {
  cidr?: string;
  /** Swap the TGW route tables the attachment is associated with / propagates into. */
  swapRouteTables?: boolean;
}

/** The real SpokeVpc, attached to the repository's TGW. */
export function spoke(name: string, options: SpokeOptions = {}): SpokeVpc {
  const ref = new pulumi.StackReference(`organization/tgw/${pulumi.getStack()}`);
  const out = (key: string) => ref.requireOutput(key) as pulumi.Output<string>;
  const [spokeTable, inspectionTable] = options.swapRouteTables
    ? [out('inspectionRouteTableId'), out('spokeRouteTableId')]
    : [out('spokeRouteTableId'), out('inspectionRouteTableId')];
  return new SpokeVpc(
    name,
    {
      vpcCidr: options.cidr ?? '10.20.0.0/16',
      availabilityZones: AZS,
      supernetCidr: '10.16.0.0/12',
      region: 'us-east-1',
      transitGatewayId: out('transitGatewayId'),
      spokeRouteTableId: spokeTable,
      inspectionRouteTableId: inspectionTable,
    },
    { providers: [taggedProvider()] },
  );
}

export interface InstanceOptions {
  associatePublicIpAddress?: boolean;
  httpTokens?: string;
  encrypted?: boolean;
  keyName?: string;
}

/** An instance in `subnetId`; hardened like the probe unless told otherwise. */
export function instance(
  name: string,
  subnetId: pulumi.Input<string>,
  o: InstanceOptions = {},
): aws.ec2.Instance {
  return new aws.ec2.Instance(name, {
    ami: aws.ssm.getParameterOutput({ name: AL2023_AMI_PARAMETER }).value,
    instanceType: 't3.micro',
    subnetId,
    ...('associatePublicIpAddress' in o
      ? { associatePublicIpAddress: o.associatePublicIpAddress }
      : { associatePublicIpAddress: false }),
    metadataOptions: { httpTokens: o.httpTokens ?? 'required', httpEndpoint: 'enabled' },
    rootBlockDevice: { encrypted: o.encrypted ?? true },
    ...(o.keyName ? { keyName: o.keyName } : {}),
  });
}

/** A spoke built with awsx: awsx always adds an internet gateway, and public subnets with NAT. */
export function awsxSpoke(name: string): awsx.ec2.Vpc {
  return new awsx.ec2.Vpc(
    name,
    {
      cidrBlock: '10.21.0.0/24',
      availabilityZoneNames: AZS,
      subnetStrategy: 'Exact',
      natGateways: { strategy: 'OnePerAz' },
      subnetSpecs: [
        // awsx's Exact strategy tiles the VPC AZ by AZ: public then private in each.
        { type: 'Public', name: 'public', cidrBlocks: ['10.21.0.0/26', '10.21.0.128/26'] },
        { type: 'Private', name: 'private', cidrBlocks: ['10.21.0.64/26', '10.21.0.192/26'] },
      ],
    },
    { providers: [taggedProvider()] },
  );
}

/** A VPC with one subnet and nothing else. */
export function bareVpc(name: string, cidr = '10.30.0.0/24'): { vpc: aws.ec2.Vpc; subnet: aws.ec2.Subnet } {
  const vpc = new aws.ec2.Vpc(name, { cidrBlock: cidr });
  const subnet = new aws.ec2.Subnet(name, { vpcId: vpc.id, cidrBlock: cidr, availabilityZone: AZS[0] });
  return { vpc, subnet };
}

export interface FirewallOptions {
  /** Log types of the logging configuration; none = no logging configuration. */
  logTypes?: ('ALERT' | 'FLOW')[];
  deleteProtection?: boolean;
  firewallPolicyChangeProtection?: boolean;
  ruleOrder?: 'STRICT_ORDER' | 'DEFAULT_ACTION_ORDER';
  statefulDefaultActions?: string[];
  statelessDefaultActions?: string[];
  tags?: Record<string, string>;
}

/** A Network Firewall in its own VPC: strict drop, logged and protected unless told otherwise. */
export function firewall(name: string, o: FirewallOptions = {}): aws.networkfirewall.Firewall {
  const { vpc, subnet } = bareVpc(name, '10.31.0.0/24');
  const strict = (o.ruleOrder ?? 'STRICT_ORDER') === 'STRICT_ORDER';
  const policy = new aws.networkfirewall.FirewallPolicy(name, {
    firewallPolicy: {
      statelessDefaultActions: o.statelessDefaultActions ?? ['aws:forward_to_sfe'],
      statelessFragmentDefaultActions: o.statelessDefaultActions ?? ['aws:forward_to_sfe'],
      ...(strict
        ? {
            statefulEngineOptions: { ruleOrder: 'STRICT_ORDER' },
            statefulDefaultActions: o.statefulDefaultActions ?? ['aws:drop_strict', 'aws:alert_strict'],
          }
        : {}),
    },
  });
  const fw = new aws.networkfirewall.Firewall(name, {
    firewallPolicyArn: policy.arn,
    vpcId: vpc.id,
    subnetMappings: [{ subnetId: subnet.id }],
    deleteProtection: o.deleteProtection ?? true,
    firewallPolicyChangeProtection: o.firewallPolicyChangeProtection ?? true,
    ...(o.tags ? { tags: o.tags } : {}),
  });
  const logTypes = o.logTypes ?? ['ALERT', 'FLOW'];
  if (logTypes.length > 0) {
    new aws.networkfirewall.LoggingConfiguration(name, {
      firewallArn: fw.arn,
      loggingConfiguration: {
        logDestinationConfigs: logTypes.map((logType) => ({
          logType,
          logDestinationType: 'CloudWatchLogs',
          logDestination: { logGroup: new aws.cloudwatch.LogGroup(`${name}-${logType.toLowerCase()}`).name },
        })),
      },
    });
  }
  return fw;
}
