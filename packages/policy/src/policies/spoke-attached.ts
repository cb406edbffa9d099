/**
 * A rule over several resources of a spoke stack: every VPC is attached to the Transit Gateway,
 * and every subnet that is not an attachment subnet is explicitly associated with a route table
 * whose default route goes to the TGW (the main table of a spoke has none, so a subnet left on it
 * has no way out at all, and one route added to it later would decide for every such subnet).
 */
import type { PolicyResource, StackValidationPolicy } from '@pulumi/policy';
import { configSchema, HUB_PROJECTS_SCHEMA, isSpokeProject, reporter, type CommonConfig } from '../config';
import { isSet, known, label, ofType, projectOf, refersTo } from '../resources';
import { T } from '../types';

interface Config extends CommonConfig {
  hubProjects?: string[];
}

function hasDefaultRouteToTgw(table: PolicyResource, routes: PolicyResource[]): boolean {
  const viaRoute = routes.some(
    (r) =>
      refersTo(r, 'routeTableId', table) &&
      known(r.props, 'destinationCidrBlock') === '0.0.0.0/0' &&
      isSet(r.props, 'transitGatewayId'),
  );
  const inline = (
    (known<Record<string, unknown>[]>(table.props, 'routes') ?? []) as Record<string, unknown>[]
  ).some(
    (r) => r.cidrBlock === '0.0.0.0/0' && typeof r.transitGatewayId === 'string' && r.transitGatewayId !== '',
  );
  return viaRoute || inline;
}

export const spokeAttached: StackValidationPolicy = {
  name: 'spoke-attached',
  description:
    'Every VPC of a spoke is attached to the Transit Gateway, and each of its subnets outside the attachment routes 0.0.0.0/0 to the TGW through an explicitly associated route table.',
  enforcementLevel: 'mandatory',
  severity: 'high',
  configSchema: configSchema({ hubProjects: HUB_PROJECTS_SCHEMA }),
  validateStack: (args, reportViolation) => {
    const config = args.getConfig<Config>();
    const project = projectOf(args.resources) ?? '';
    if (!isSpokeProject(project, config.hubProjects)) args.notApplicable(`${project} is a hub project`);
    const vpcs = ofType(args.resources, T.vpc);
    if (vpcs.length === 0) args.notApplicable('no VPC in this stack');
    const report = reporter(reportViolation, config.exemptions);
    const attachments = ofType(args.resources, T.tgwVpcAttachment);
    const subnets = ofType(args.resources, T.subnet);
    const associations = ofType(args.resources, T.routeTableAssociation);
    const tables = [...ofType(args.resources, T.routeTable), ...ofType(args.resources, T.defaultRouteTable)];
    const routes = ofType(args.resources, T.route);

    for (const vpc of vpcs) {
      const attached = attachments.filter((a) => refersTo(a, 'vpcId', vpc));
      if (attached.length === 0) {
        report(
          vpc.urn,
          `${label(vpc)} is not attached to the Transit Gateway: no VpcAttachment takes its vpcId`,
        );
        continue;
      }
      for (const subnet of subnets.filter((s) => refersTo(s, 'vpcId', vpc))) {
        if (attached.some((a) => refersTo(a, 'subnetIds', subnet))) continue;
        const association = associations.find((a) => refersTo(a, 'subnetId', subnet));
        if (!association) {
          report(
            subnet.urn,
            `${label(subnet)} has no explicit route table association: it uses the VPC's main route table, which has no default route to the Transit Gateway`,
          );
          continue;
        }
        const table = tables.find((t) => refersTo(association, 'routeTableId', t));
        if (!table || !hasDefaultRouteToTgw(table, routes)) {
          report(
            subnet.urn,
            `${label(subnet)} is associated with ${table ? label(table) : 'a route table outside this stack'}, which has no 0.0.0.0/0 route to the Transit Gateway`,
          );
        }
      }
    }
  },
};
