/**
 * `InspectionVpc`: the hub's egress and inspection VPC (docs/network-design.md).
 *
 * Per AZ x: a public subnet (NAT gateway + EIP, route to the IGW), a firewall subnet (Network
 * Firewall endpoint; awsx routes its 0.0.0.0/0 to the NAT in x because it is "Private"), and a TGW
 * subnet (attachment ENIs). Routing keeps a flow in one AZ:
 *   TGW subnet (x):      0.0.0.0/0 -> firewall endpoint (x)
 *   firewall subnet (x): supernet  -> TGW,  0.0.0.0/0 -> NAT (x)
 *   public subnet (x):   supernet  -> firewall endpoint (x), 0.0.0.0/0 -> IGW
 * The TGW attachment has appliance mode on, so both directions of a flow use the same AZ and so the
 * same stateful endpoint.
 */
import * as aws from '@pulumi/aws';
import * as awsx from '@pulumi/awsx';
import * as pulumi from '@pulumi/pulumi';
import { assertVpcCidr, assertWithin, planExactSubnets } from './cidr';
import { FirewallPolicy } from './firewall-policy';
import { createVpcFlowLog } from './flow-logs';
import type { FirewallPlan } from './firewall-plan';
import { describeSubnets, endpointIdForAz, findSubnet, routeTableIdOf } from './lookups';

export const INSPECTION_SUBNET_ROLES = ['public', 'firewall', 'tgw'] as const;

export interface InspectionVpcArgs {
  /** CIDR of the inspection VPC, inside the supernet; carved into 3 subnets per AZ that tile it. */
  vpcCidr: string;
  /** AZ names, explicit so the layout is given, not guessed. One NAT and one endpoint per AZ. */
  availabilityZones: string[];
  /** The network's supernet: routed back to the TGW from the firewall subnets. */
  supernetCidr: string;
  transitGatewayId: pulumi.Input<string>;
  /** TGW route table of the spokes: gets 0.0.0.0/0 -> this VPC's attachment. */
  spokeRouteTableId: pulumi.Input<string>;
  /** TGW route table this VPC's attachment is associated with. */
  inspectionRouteTableId: pulumi.Input<string>;
  /** Rule groups and default actions of the firewall policy. */
  firewallPlan: FirewallPlan;
  /** Appliance mode on the TGW attachment. Default true; turning it off breaks cross-AZ symmetry. */
  applianceMode?: boolean;
  /** Retention of the firewall's ALERT and FLOW log groups and of the VPC flow logs, in days. Default 30. */
  logRetentionDays?: number;
  /** Where the firewall log groups are named; default `/aws/vendedlogs/hubspoke/<env>/network-firewall/`. */
  logGroupNamePrefix?: string;
  /**
   * Delete protection and firewall-policy change protection on the firewall. Default true; off
   * only in ephemeral environments, which e2e destroys (policy `firewall-protection`).
   */
  protection?: boolean;
}

export class InspectionVpc extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  public readonly natPublicIps: pulumi.Output<string[]>;
  public readonly natGatewayIds: pulumi.Output<string[]>;
  public readonly firewallArn: pulumi.Output<string>;
  public readonly firewallPolicyArn: pulumi.Output<string>;
  public readonly firewallEndpointIds: pulumi.Output<Record<string, string>>;
  public readonly tgwAttachmentId: pulumi.Output<string>;

  constructor(name: string, args: InspectionVpcArgs, opts?: pulumi.ComponentResourceOptions) {
    super('hubspoke:network:InspectionVpc', name, {}, opts);
    assertVpcCidr(args.vpcCidr, 'inspection:vpcCidr');
    assertWithin(
      { name: 'supernet', cidr: args.supernetCidr },
      { name: 'inspection:vpcCidr', cidr: args.vpcCidr },
    );
    const azs = args.availabilityZones;
    const plan = planExactSubnets(args.vpcCidr, azs, INSPECTION_SUBNET_ROLES);

    const vpc = new awsx.ec2.Vpc(
      name,
      {
        cidrBlock: args.vpcCidr,
        availabilityZoneNames: azs,
        subnetStrategy: 'Exact',
        subnetSpecs: [
          { type: 'Public', name: 'public', cidrBlocks: plan.public },
          { type: 'Private', name: 'firewall', cidrBlocks: plan.firewall },
          { type: 'Isolated', name: 'tgw', cidrBlocks: plan.tgw },
        ],
        natGateways: { strategy: 'OnePerAz' },
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: { Name: name },
      },
      { parent: this },
    );
    const lookup = { parent: this, dependsOn: [vpc] };
    const subnets = describeSubnets(
      pulumi.all([vpc.publicSubnetIds, vpc.privateSubnetIds, vpc.isolatedSubnetIds]).apply((l) => l.flat()),
      lookup,
    );
    const subnetId = (role: (typeof INSPECTION_SUBNET_ROLES)[number], i: number) =>
      subnets.apply((s) => findSubnet(s, azs[i], plan[role][i], role).id);

    const policy = new FirewallPolicy(`${name}-policy`, { plan: args.firewallPlan }, { parent: this });
    const firewall = new aws.networkfirewall.Firewall(
      name,
      {
        firewallPolicyArn: policy.policyArn,
        vpcId: vpc.vpcId,
        subnetMappings: azs.map((_, i) => ({ subnetId: subnetId('firewall', i) })),
        deleteProtection: args.protection ?? true,
        firewallPolicyChangeProtection: args.protection ?? true,
        description: 'hubspoke centralized inspection',
      },
      { parent: this },
    );
    this.logFirewall(
      name,
      firewall,
      args.logRetentionDays ?? 30,
      args.logGroupNamePrefix ?? `/aws/vendedlogs/hubspoke/${pulumi.getStack()}/network-firewall/`,
    );
    createVpcFlowLog(this, `${name}-vpc`, vpc.vpcId, args.logRetentionDays ?? 30);

    const attachment = new aws.ec2transitgateway.VpcAttachment(
      name,
      {
        transitGatewayId: args.transitGatewayId,
        vpcId: vpc.vpcId,
        subnetIds: azs.map((_, i) => subnetId('tgw', i)),
        applianceModeSupport: args.applianceMode === false ? 'disable' : 'enable',
        transitGatewayDefaultRouteTableAssociation: false,
        transitGatewayDefaultRouteTablePropagation: false,
        dnsSupport: 'enable',
        tags: { Name: name },
      },
      { parent: this },
    );
    new aws.ec2transitgateway.RouteTableAssociation(
      `${name}-inspection`,
      { transitGatewayAttachmentId: attachment.id, transitGatewayRouteTableId: args.inspectionRouteTableId },
      { parent: this },
    );
    new aws.ec2transitgateway.Route(
      `${name}-spoke-default`,
      {
        transitGatewayRouteTableId: args.spokeRouteTableId,
        destinationCidrBlock: '0.0.0.0/0',
        transitGatewayAttachmentId: attachment.id,
      },
      { parent: this },
    );

    const endpoints: pulumi.Output<string>[] = [];
    const nats: pulumi.Output<{ id: string; publicIp: string }>[] = [];
    azs.forEach((az, i) => {
      const endpoint = firewall.firewallStatuses.apply((st) => endpointIdForAz(st, az));
      endpoints.push(endpoint);
      const route = (
        suffix: string,
        role: (typeof INSPECTION_SUBNET_ROLES)[number],
        args2: aws.ec2.RouteArgs,
      ) =>
        new aws.ec2.Route(`${name}-${role}-${az}-${suffix}`, args2, {
          parent: this,
          dependsOn: [attachment],
        });
      route('default-to-firewall', 'tgw', {
        routeTableId: routeTableIdOf(subnetId('tgw', i), lookup),
        destinationCidrBlock: '0.0.0.0/0',
        vpcEndpointId: endpoint,
      });
      route('supernet-to-tgw', 'firewall', {
        routeTableId: routeTableIdOf(subnetId('firewall', i), lookup),
        destinationCidrBlock: args.supernetCidr,
        transitGatewayId: args.transitGatewayId,
      });
      route('supernet-to-firewall', 'public', {
        routeTableId: routeTableIdOf(subnetId('public', i), lookup),
        destinationCidrBlock: args.supernetCidr,
        vpcEndpointId: endpoint,
      });
      nats.push(
        aws.ec2
          .getNatGatewayOutput({ subnetId: subnetId('public', i), state: 'available' }, lookup)
          .apply((n) => ({ id: n.id, publicIp: n.publicIp })),
      );
    });

    this.vpcId = vpc.vpcId;
    this.natPublicIps = pulumi.all(nats).apply((n) => n.map((x) => x.publicIp));
    this.natGatewayIds = pulumi.all(nats).apply((n) => n.map((x) => x.id));
    this.firewallArn = firewall.arn;
    this.firewallPolicyArn = policy.policyArn;
    this.firewallEndpointIds = pulumi
      .all(endpoints)
      .apply((ids) => Object.fromEntries(azs.map((az, i) => [az, ids[i]])));
    this.tgwAttachmentId = attachment.id;
    this.registerOutputs({
      vpcId: this.vpcId,
      natPublicIps: this.natPublicIps,
      firewallArn: this.firewallArn,
      tgwAttachmentId: this.tgwAttachmentId,
    });
  }

  /**
   * ALERT (what the rules dropped or alerted on) and FLOW logs to CloudWatch Logs. The groups are
   * named under `/aws/vendedlogs/`: for any other name, log delivery adds the group to the
   * account's CloudWatch Logs resource policy, which is capped at 5,120 characters, so a few dozen
   * environments (nightly runs) would exhaust it and every later firewall would fail to log.
   * "Logging that requires additional permissions [V1]" in
   * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html
   */
  private logFirewall(
    name: string,
    firewall: aws.networkfirewall.Firewall,
    retentionInDays: number,
    namePrefix: string,
  ): void {
    const groups = (['alert', 'flow'] as const).map(
      (kind) =>
        new aws.cloudwatch.LogGroup(
          `${name}-${kind}`,
          { name: `${namePrefix}${kind}`, retentionInDays, tags: { Name: `${name}-${kind}` } },
          { parent: this },
        ),
    );
    new aws.networkfirewall.LoggingConfiguration(
      name,
      {
        firewallArn: firewall.arn,
        loggingConfiguration: {
          logDestinationConfigs: [
            {
              logType: 'ALERT',
              logDestinationType: 'CloudWatchLogs',
              logDestination: { logGroup: groups[0].name },
            },
            {
              logType: 'FLOW',
              logDestinationType: 'CloudWatchLogs',
              logDestination: { logGroup: groups[1].name },
            },
          ],
        },
      },
      { parent: this },
    );
  }
}
