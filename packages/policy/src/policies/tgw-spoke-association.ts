/**
 * A spoke's Transit Gateway attachment is associated with the spoke route table (whose only way
 * out is the inspection attachment) and with nothing else, and does not propagate into it: a
 * propagated spoke CIDR in the spoke table lets spokes reach each other without inspection
 * (docs/network-design.md). The spoke route table is the one the tgw stack exports, read from the
 * spoke stack's StackReference to it.
 */
import type { PolicyResource, StackValidationPolicy } from '@pulumi/policy';
import { configSchema, HUB_PROJECTS_SCHEMA, isSpokeProject, reporter, type CommonConfig } from '../config';
import { known, label, ofType, projectOf, refersTo } from '../resources';
import { T } from '../types';

interface Config extends CommonConfig {
  hubProjects?: string[];
  tgwProject?: string;
  spokeRouteTableOutput?: string;
}

/** The spoke route table id from the StackReference to `<org>/<tgwProject>/<stack>`. */
function spokeRouteTableId(
  resources: PolicyResource[],
  tgwProject: string,
  output: string,
): string | undefined {
  for (const ref of ofType(resources, T.stackReference)) {
    const parts = String(known(ref.props, 'name') ?? '').split('/');
    if (parts.length >= 2 && parts[parts.length - 2] === tgwProject) {
      const outputs = (known<Record<string, unknown>>(ref.props, 'outputs') ?? {}) as Record<string, unknown>;
      const id = outputs[output];
      if (typeof id === 'string' && id !== '') return id;
    }
  }
  return undefined;
}

export const tgwSpokeAssociation: StackValidationPolicy = {
  name: 'tgw-spoke-association',
  description:
    "A spoke's Transit Gateway attachments are associated with the spoke route table only and do not propagate into it.",
  enforcementLevel: 'mandatory',
  severity: 'critical',
  configSchema: configSchema({
    hubProjects: HUB_PROJECTS_SCHEMA,
    tgwProject: {
      type: 'string',
      minLength: 1,
      default: 'tgw',
      description: 'project that owns the Transit Gateway',
    },
    spokeRouteTableOutput: {
      type: 'string',
      minLength: 1,
      default: 'spokeRouteTableId',
      description: 'stack output of the tgw project naming the spoke route table',
    },
  }),
  validateStack: (args, reportViolation) => {
    const config = args.getConfig<Config>();
    const project = projectOf(args.resources) ?? '';
    if (!isSpokeProject(project, config.hubProjects)) args.notApplicable(`${project} is a hub project`);
    const attachments = ofType(args.resources, T.tgwVpcAttachment);
    if (attachments.length === 0) args.notApplicable('no Transit Gateway attachment in this stack');
    const report = reporter(reportViolation, config.exemptions);
    const tgwProject = config.tgwProject ?? 'tgw';
    const output = config.spokeRouteTableOutput ?? 'spokeRouteTableId';
    const spokeTable = spokeRouteTableId(args.resources, tgwProject, output);
    const accepters = ofType(args.resources, T.tgwVpcAttachmentAccepter);
    for (const attachment of attachments) {
      // The TGW owner of another account associates the attachment through its accepter, whose id
      // is the attachment's ("id - EC2 Transit Gateway Attachment identifier", Terraform AWS
      // provider, aws_ec2_transit_gateway_vpc_attachment_accepter:
      // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ec2_transit_gateway_vpc_attachment_accepter).
      // In a preview neither id is known: only the property dependencies relate them.
      const handles = [
        attachment,
        ...accepters.filter((a) => refersTo(a, 'transitGatewayAttachmentId', attachment)),
      ];
      const namesAttachment = (r: PolicyResource) =>
        handles.some((h) => refersTo(r, 'transitGatewayAttachmentId', h));
      if (spokeTable === undefined) {
        report(
          attachment.urn,
          `cannot tell the spoke route table: no StackReference to the ${tgwProject} stack with output ${output} in this stack`,
        );
        continue;
      }
      const associations = ofType(args.resources, T.tgwRouteTableAssociation).filter(namesAttachment);
      if (associations.length === 0) {
        report(
          attachment.urn,
          `${label(attachment)} is associated with no route table; associate it with the spoke route table ${spokeTable}`,
        );
      }
      for (const a of associations) {
        const table = known(a.props, 'transitGatewayRouteTableId');
        if (table !== spokeTable) {
          report(
            a.urn,
            `${label(attachment)} is associated with route table ${JSON.stringify(table ?? 'unknown')}, not the spoke route table ${spokeTable}`,
          );
        }
      }
      for (const p of ofType(args.resources, T.tgwRouteTablePropagation)) {
        if (namesAttachment(p) && known(p.props, 'transitGatewayRouteTableId') === spokeTable) {
          report(
            p.urn,
            `${label(attachment)} propagates into the spoke route table ${spokeTable}: spokes would reach each other without inspection`,
          );
        }
      }
    }
  },
};
