/**
 * The Transit Gateway's default route table association and propagation stay off, on the gateway
 * and on every VPC attachment. With them on, a new attachment lands in the default table and is
 * routed by it, not by the spoke / inspection tables (docs/network-design.md). AWS turns both on
 * unless told otherwise (Amazon VPC Transit Gateways, "Transit gateway route tables",
 * https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html), as does the provider for
 * attachments and accepters, so unset is a violation.
 *
 * A stack-level rule because of attachments to a gateway of another account: there the requester
 * cannot set the two flags, and the owner's `VpcAttachmentAccepter` does (docs/multi-account.md).
 * An attachment some accepter of the stack accepts is judged by that accepter.
 */
import type { PolicyResource, StackValidationPolicy } from '@pulumi/policy';
import { configSchema, reporter, type CommonConfig } from '../config';
import { known, label, ofType, refersTo } from '../resources';
import { T } from '../types';

const ATTACHMENT_FLAGS = [
  'transitGatewayDefaultRouteTableAssociation',
  'transitGatewayDefaultRouteTablePropagation',
];
const GATEWAY_FLAGS = ['defaultRouteTableAssociation', 'defaultRouteTablePropagation'];

export const tgwNoDefaultRouteTables: StackValidationPolicy = {
  name: 'tgw-no-default-route-tables',
  description:
    'Transit Gateway default route table association and propagation are off, on the gateway and on every attachment (or its accepter).',
  enforcementLevel: 'mandatory',
  severity: 'high',
  configSchema: configSchema(),
  validateStack: (args, reportViolation) => {
    const gateways = ofType(args.resources, T.transitGateway);
    const attachments = ofType(args.resources, T.tgwVpcAttachment);
    const accepters = ofType(args.resources, T.tgwVpcAttachmentAccepter);
    if (gateways.length + attachments.length + accepters.length === 0) {
      args.notApplicable('no Transit Gateway, attachment or accepter in this stack');
    }
    const config = args.getConfig<CommonConfig>();
    const report = reporter(reportViolation, config.exemptions);
    const check = (r: PolicyResource, keys: string[], expected: string | boolean, unset: string) => {
      for (const key of keys) {
        const value = known(r.props, key);
        if (value !== expected) {
          report(
            r.urn,
            `${label(r)}: ${key} is ${JSON.stringify(value ?? unset)}: set ${JSON.stringify(expected)}`,
          );
        }
      }
    };
    for (const g of gateways) check(g, GATEWAY_FLAGS, 'disable', 'unset (AWS default: enable)');
    for (const a of accepters) check(a, ATTACHMENT_FLAGS, false, 'unset (default: true)');
    for (const a of attachments) {
      if (accepters.some((acc) => refersTo(acc, 'transitGatewayAttachmentId', a))) continue;
      check(a, ATTACHMENT_FLAGS, false, 'unset (default: true)');
    }
  },
};
