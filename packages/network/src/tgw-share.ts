/**
 * `TransitGatewayShare`: the Transit Gateway shared through AWS RAM with the accounts whose spokes
 * attach to it (docs/multi-account.md). A resource share holding the TGW, with one principal
 * association per account id, organization or OU. Sharing stays inside the organization
 * (`allowExternalPrincipals: false`): an account outside it would need an invitation accepted in
 * that account, which these stacks do not do. Amazon VPC Transit Gateways, "Transit gateway
 * sharing considerations": https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-share.html
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface TransitGatewayShareArgs {
  transitGatewayArn: pulumi.Input<string>;
  /** RAM principals: account ids, organization or OU ARNs (`tgw:shareWith`). */
  principals: string[];
  /** Name of the resource share, as RAM shows it to the principals. */
  shareName: string;
}

export class TransitGatewayShare extends pulumi.ComponentResource {
  public readonly resourceShareArn: pulumi.Output<string>;

  constructor(name: string, args: TransitGatewayShareArgs, opts?: pulumi.ComponentResourceOptions) {
    super('hubspoke:network:TransitGatewayShare', name, {}, opts);
    if (args.principals.length === 0) {
      throw new Error(`${name}: a transit gateway share needs at least one principal (tgw:shareWith)`);
    }
    const share = new aws.ram.ResourceShare(
      name,
      { name: args.shareName, allowExternalPrincipals: false, tags: { Name: args.shareName } },
      { parent: this },
    );
    new aws.ram.ResourceAssociation(
      name,
      { resourceArn: args.transitGatewayArn, resourceShareArn: share.arn },
      { parent: this },
    );
    // Named after the principal, so adding or removing one leaves the others untouched.
    for (const principal of args.principals) {
      new aws.ram.PrincipalAssociation(
        `${name}-${principalLabel(principal)}`,
        { principal, resourceShareArn: share.arn },
        { parent: this },
      );
    }
    this.resourceShareArn = share.arn;
    this.registerOutputs({ resourceShareArn: this.resourceShareArn });
  }
}

/** An account id as is; an organization or OU by its id (`o-...`, `ou-...`). */
function principalLabel(principal: string): string {
  return principal.slice(principal.lastIndexOf('/') + 1);
}
