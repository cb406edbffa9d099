/**
 * Finding what `awsx.ec2.Vpc` created. Its subnet id lists are ordered by awsx's own rules, so we
 * never index them by position: each subnet is looked up (AZ and CIDR) and matched against the plan,
 * which also proves awsx built the layout we asked for.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface SubnetInfo {
  id: string;
  availabilityZone: string;
  cidrBlock: string;
}

export function describeSubnets(
  ids: pulumi.Input<pulumi.Input<string>[]>,
  opts: pulumi.InvokeOutputOptions,
): pulumi.Output<SubnetInfo[]> {
  return pulumi
    .output(ids)
    .apply((list) =>
      pulumi.all(
        list.map((id) =>
          aws.ec2
            .getSubnetOutput({ id }, opts)
            .apply((s) => ({ id: s.id, availabilityZone: s.availabilityZone, cidrBlock: s.cidrBlock })),
        ),
      ),
    );
}

/** The subnet of the plan in `az` with `cidr`; throws naming both when awsx did not create it. */
export function findSubnet(subnets: SubnetInfo[], az: string, cidr: string, role: string): SubnetInfo {
  const found = subnets.find((s) => s.availabilityZone === az && s.cidrBlock === cidr);
  if (!found) {
    const seen = subnets.map((s) => `${s.cidrBlock}@${s.availabilityZone}`).join(', ');
    throw new Error(`no ${role} subnet ${cidr} in ${az} among the VPC's subnets (${seen || 'none'})`);
  }
  return found;
}

export function routeTableIdOf(
  subnetId: pulumi.Input<string>,
  opts: pulumi.InvokeOutputOptions,
): pulumi.Output<string> {
  return aws.ec2.getRouteTableOutput({ subnetId }, opts).routeTableId;
}

/**
 * The firewall endpoint serving `az`, from `firewallStatuses[].syncStates[]`. Keyed by the AZ of
 * the subnet being routed: keying by anything else sends traffic across AZs and times out.
 */
export function endpointIdForAz(
  statuses:
    { syncStates?: { availabilityZone?: string; attachments?: { endpointId?: string }[] }[] }[] | undefined,
  az: string,
): string {
  for (const status of statuses ?? []) {
    for (const sync of status.syncStates ?? []) {
      const endpoint =
        sync.availabilityZone === az ? sync.attachments?.find((a) => a.endpointId)?.endpointId : undefined;
      if (endpoint) return endpoint;
    }
  }
  throw new Error(
    `the firewall reports no endpoint in ${az}; every AZ of the inspection VPC needs a subnet mapping`,
  );
}
