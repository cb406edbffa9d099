/**
 * `TransitHub`: the Transit Gateway and its two route tables (docs/network-design.md).
 *
 * Default association and propagation are disabled so that no attachment lands in a table by
 * accident: spokes associate with the spoke table (whose only way out is the inspection VPC) and
 * propagate into the inspection table (so return traffic finds them).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { assertWithin, parseCidr } from './cidr';

export interface TransitHubArgs {
  /** The address space of the whole network; every VPC must be inside it. */
  supernetCidr: string;
  /** CIDRs that must never be reachable: routed to a blackhole in both route tables. Default none. */
  blackholeCidrs?: string[];
  /** Private ASN of the Amazon side of the TGW. Default 64512. */
  amazonSideAsn?: number;
  description?: string;
}

export class TransitHub extends pulumi.ComponentResource {
  public readonly transitGatewayId: pulumi.Output<string>;
  public readonly transitGatewayArn: pulumi.Output<string>;
  /** The account that owns the TGW (the network account). */
  public readonly ownerAccountId: pulumi.Output<string>;
  public readonly spokeRouteTableId: pulumi.Output<string>;
  public readonly inspectionRouteTableId: pulumi.Output<string>;

  constructor(name: string, args: TransitHubArgs, opts?: pulumi.ComponentResourceOptions) {
    super('hubspoke:network:TransitHub', name, {}, opts);
    parseCidr(args.supernetCidr, 'tgw:supernet');
    const blackholes = args.blackholeCidrs ?? [];
    blackholes.forEach((cidr, i) =>
      assertWithin(
        { name: 'tgw:supernet', cidr: args.supernetCidr },
        { name: `tgw:blackholeCidrs[${i}]`, cidr },
      ),
    );
    const asn = args.amazonSideAsn ?? 64512;
    if (!isPrivateAsn(asn)) {
      throw new Error(`tgw:amazonSideAsn ${asn} is not a private ASN (64512-65534 or 4200000000-4294967294)`);
    }

    const tgw = new aws.ec2transitgateway.TransitGateway(
      name,
      {
        description: args.description ?? 'hubspoke hub',
        amazonSideAsn: asn,
        defaultRouteTableAssociation: 'disable',
        defaultRouteTablePropagation: 'disable',
        autoAcceptSharedAttachments: 'disable',
        dnsSupport: 'enable',
        vpnEcmpSupport: 'enable',
        tags: { Name: name },
      },
      { parent: this },
    );
    const spokeRt = new aws.ec2transitgateway.RouteTable(
      `${name}-spoke`,
      { transitGatewayId: tgw.id, tags: { Name: `${name}-spoke` } },
      { parent: this },
    );
    const inspectionRt = new aws.ec2transitgateway.RouteTable(
      `${name}-inspection`,
      { transitGatewayId: tgw.id, tags: { Name: `${name}-inspection` } },
      { parent: this },
    );
    for (const [i, cidr] of blackholes.entries()) {
      for (const [label, table] of [
        ['spoke', spokeRt],
        ['inspection', inspectionRt],
      ] as const) {
        new aws.ec2transitgateway.Route(
          `${name}-${label}-blackhole-${i}`,
          { transitGatewayRouteTableId: table.id, destinationCidrBlock: cidr, blackhole: true },
          { parent: this },
        );
      }
    }

    this.transitGatewayId = tgw.id;
    this.transitGatewayArn = tgw.arn;
    this.ownerAccountId = tgw.ownerId;
    this.spokeRouteTableId = spokeRt.id;
    this.inspectionRouteTableId = inspectionRt.id;
    this.registerOutputs({
      transitGatewayId: this.transitGatewayId,
      spokeRouteTableId: this.spokeRouteTableId,
      inspectionRouteTableId: this.inspectionRouteTableId,
    });
  }
}

function isPrivateAsn(asn: number): boolean {
  return (
    Number.isInteger(asn) && ((asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294))
  );
}
