/**
 * `SpokeVpc`: a workload VPC with no way out of its own (docs/network-design.md).
 *
 * Isolated subnets only: no internet gateway, no NAT, no public IPs. The VPC is built from plain
 * EC2 resources rather than `awsx.ec2.Vpc` because awsx always attaches an internet gateway, and a
 * spoke must not have one: it is one route away from bypassing inspection, and the verifier finds
 * probes by "instances in a VPC without an IGW". Workload subnets send everything that is not
 * local to the TGW; the attachment is associated with the spoke route table (0.0.0.0/0 ->
 * inspection) and propagated into the inspection route table (so replies find the way back).
 * SSM interface endpoints let operators and the probe reach Systems Manager without internet.
 *
 * When the TGW belongs to another account (docs/multi-account.md), the attachment is requested from
 * the spoke's account and, as only the TGW's owner can, accepted, associated and propagated
 * through a provider of the network account; routes to the TGW wait for the acceptance, because a
 * pendingAcceptance attachment forwards nothing. Amazon VPC Transit Gateways, "Transit gateway
 * sharing considerations": https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-share.html
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { SSM_SERVICES } from '@hubspoke/netmodel';
import { assertVpcCidr, assertWithin, planSpokeSubnets } from './cidr';
import { createVpcFlowLog } from './flow-logs';

export interface SpokeVpcArgs {
  /** CIDR of the spoke, inside the supernet and disjoint from every other VPC. */
  vpcCidr: string;
  /** AZ names, explicit so the layout is given, not guessed. */
  availabilityZones: string[];
  supernetCidr: string;
  /** AWS region, for the endpoint service names. */
  region: string;
  transitGatewayId: pulumi.Input<string>;
  /** The attachment is associated with this table (0.0.0.0/0 -> inspection). */
  spokeRouteTableId: pulumi.Input<string>;
  /** The attachment propagates its CIDR into this table. */
  inspectionRouteTableId: pulumi.Input<string>;
  /** Retention of the VPC flow log group, in days. Default 30. */
  flowLogRetentionDays?: number;
  /**
   * Set when the TGW belongs to another account: a provider of that account, which accepts the
   * attachment and associates and propagates it.
   */
  transitGatewayAccount?: { provider: pulumi.ProviderResource };
}

export class SpokeVpc extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  /** Workload subnet ids in the order of `availabilityZones`. */
  public readonly workloadSubnetIds: pulumi.Output<string>[];
  /** The `0.0.0.0/0 -> TGW` route of each workload subnet, in the order of `availabilityZones`. */
  public readonly workloadDefaultRoutes: aws.ec2.Route[];
  /** The ssm, ssmmessages and ec2messages interface endpoints Session Manager needs. */
  public readonly ssmEndpoints: aws.ec2.VpcEndpoint[];
  public readonly tgwAttachmentId: pulumi.Output<string>;

  constructor(name: string, args: SpokeVpcArgs, opts?: pulumi.ComponentResourceOptions) {
    super('hubspoke:network:SpokeVpc', name, {}, opts);
    assertVpcCidr(args.vpcCidr, `${name}:vpcCidr`);
    assertWithin(
      { name: 'supernet', cidr: args.supernetCidr },
      { name: `${name}:vpcCidr`, cidr: args.vpcCidr },
    );
    const azs = args.availabilityZones;
    const plan = planSpokeSubnets(args.vpcCidr, azs);

    const vpc = new aws.ec2.Vpc(
      name,
      { cidrBlock: args.vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: name } },
      { parent: this },
    );
    const subnet = (role: 'workload' | 'tgw', i: number) =>
      new aws.ec2.Subnet(
        `${name}-${role}-${azs[i]}`,
        {
          vpcId: vpc.id,
          cidrBlock: plan[role][i],
          availabilityZone: azs[i],
          mapPublicIpOnLaunch: false,
          tags: { Name: `${name}-${role}-${azs[i]}` },
        },
        { parent: this },
      );
    const workloadSubnets = azs.map((_, i) => subnet('workload', i));
    const tgwSubnets = azs.map((_, i) => subnet('tgw', i));

    // TGW subnets get a table of their own (local route only) instead of the main table, so a
    // route added to the main table later never changes how the attachment ENIs forward.
    const tgwTable = new aws.ec2.RouteTable(
      `${name}-tgw`,
      { vpcId: vpc.id, tags: { Name: `${name}-tgw` } },
      { parent: this },
    );
    tgwSubnets.forEach(
      (s, i) =>
        new aws.ec2.RouteTableAssociation(
          `${name}-tgw-${azs[i]}`,
          { routeTableId: tgwTable.id, subnetId: s.id },
          { parent: this },
        ),
    );

    const owner = args.transitGatewayAccount;
    const attachment = new aws.ec2transitgateway.VpcAttachment(
      name,
      {
        transitGatewayId: args.transitGatewayId,
        vpcId: vpc.id,
        subnetIds: tgwSubnets.map((s) => s.id),
        // On a TGW of another account the provider can neither set nor read these (they read
        // back as true); the owner's associations below do the job.
        ...(owner
          ? {}
          : {
              transitGatewayDefaultRouteTableAssociation: false,
              transitGatewayDefaultRouteTablePropagation: false,
            }),
        dnsSupport: 'enable',
        tags: { Name: name },
      },
      { parent: this, deleteBeforeReplace: true },
    );
    // The TGW owner accepts the attachment (it stays pendingAcceptance until then). The TGW has no
    // default route tables, which the accepter reads back as "not associated": hence false.
    const accepted = owner
      ? new aws.ec2transitgateway.VpcAttachmentAccepter(
          `${name}-accept`,
          {
            transitGatewayAttachmentId: attachment.id,
            transitGatewayDefaultRouteTableAssociation: false,
            transitGatewayDefaultRouteTablePropagation: false,
            tags: { Name: name },
          },
          { parent: this, provider: owner.provider },
        )
      : undefined;
    const usableAttachmentId = accepted ? accepted.id : attachment.id;
    const ownerOptions = { parent: this, ...(owner ? { provider: owner.provider } : {}) };
    new aws.ec2transitgateway.RouteTableAssociation(
      `${name}-spoke`,
      { transitGatewayAttachmentId: usableAttachmentId, transitGatewayRouteTableId: args.spokeRouteTableId },
      ownerOptions,
    );
    new aws.ec2transitgateway.RouteTablePropagation(
      `${name}-inspection`,
      {
        transitGatewayAttachmentId: usableAttachmentId,
        transitGatewayRouteTableId: args.inspectionRouteTableId,
      },
      ownerOptions,
    );
    const routesAfter = accepted ? [attachment, accepted] : [attachment];
    const workloadDefaultRoutes = workloadSubnets.map((s, i) => {
      const az = azs[i];
      const table = new aws.ec2.RouteTable(
        `${name}-workload-${az}`,
        { vpcId: vpc.id, tags: { Name: `${name}-workload-${az}` } },
        { parent: this },
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-workload-${az}`,
        { routeTableId: table.id, subnetId: s.id },
        { parent: this },
      );
      return new aws.ec2.Route(
        `${name}-workload-${az}-default-to-tgw`,
        {
          routeTableId: table.id,
          destinationCidrBlock: '0.0.0.0/0',
          transitGatewayId: args.transitGatewayId,
        },
        { parent: this, dependsOn: routesAfter },
      );
    });
    const workloadSubnetIds = workloadSubnets.map((s) => s.id);
    const vpcId = vpc.id;

    this.ssmEndpoints = this.createSsmEndpoints(name, args, vpcId, workloadSubnetIds);
    createVpcFlowLog(this, name, vpcId, args.flowLogRetentionDays ?? 30);

    this.vpcId = vpcId;
    this.workloadSubnetIds = workloadSubnetIds;
    this.workloadDefaultRoutes = workloadDefaultRoutes;
    this.tgwAttachmentId = attachment.id;
    this.registerOutputs({ vpcId: this.vpcId, tgwAttachmentId: this.tgwAttachmentId });
  }

  private createSsmEndpoints(
    name: string,
    args: SpokeVpcArgs,
    vpcId: pulumi.Output<string>,
    subnetIds: pulumi.Output<string>[],
  ): aws.ec2.VpcEndpoint[] {
    const sg = new aws.ec2.SecurityGroup(
      `${name}-endpoints`,
      {
        vpcId,
        description: 'HTTPS from the VPC to the SSM interface endpoints',
        ingress: [
          {
            protocol: 'tcp',
            fromPort: 443,
            toPort: 443,
            cidrBlocks: [args.vpcCidr],
            description: 'HTTPS from the VPC',
          },
        ],
        egress: [],
        tags: { Name: `${name}-endpoints` },
      },
      { parent: this },
    );
    return SSM_SERVICES.map(
      (service) =>
        new aws.ec2.VpcEndpoint(
          `${name}-${service}`,
          {
            vpcId,
            serviceName: `com.amazonaws.${args.region}.${service}`,
            vpcEndpointType: 'Interface',
            privateDnsEnabled: true,
            subnetIds,
            securityGroupIds: [sg.id],
            tags: { Name: `${name}-${service}` },
          },
          { parent: this },
        ),
    );
  }
}
