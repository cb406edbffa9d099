/**
 * The Transit Gateway's default route table association and propagation stay off, on the gateway
 * and on every VPC attachment. With them on, a new attachment lands in the default table and is
 * routed by it, not by the spoke / inspection tables (docs/network-design.md). AWS turns both on
 * unless told otherwise (Amazon VPC Transit Gateways, "Transit gateway route tables",
 * https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html), as does the provider for
 * attachments, so unset is a violation.
 */
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { configSchema, reporter, type CommonConfig } from '../config';
import { T } from '../types';

export const tgwNoDefaultRouteTables: ResourceValidationPolicy = {
  name: 'tgw-no-default-route-tables',
  description:
    'Transit Gateway default route table association and propagation are off, on the gateway and on every attachment.',
  enforcementLevel: 'mandatory',
  severity: 'high',
  configSchema: configSchema(),
  validateResource: (args, reportViolation) => {
    const config = args.getConfig<CommonConfig>();
    const violation = (message: string) => reporter(reportViolation, config.exemptions)(args.urn, message);
    const props = args.props;
    if (args.type === T.transitGateway) {
      for (const key of ['defaultRouteTableAssociation', 'defaultRouteTablePropagation']) {
        if (props[key] !== 'disable') {
          violation(
            `${key} is ${JSON.stringify(props[key] ?? 'unset (AWS default: enable)')}: set "disable"`,
          );
        }
      }
      return;
    }
    if (args.type === T.tgwVpcAttachment) {
      for (const key of [
        'transitGatewayDefaultRouteTableAssociation',
        'transitGatewayDefaultRouteTablePropagation',
      ]) {
        if (props[key] !== false) {
          violation(`${key} is ${JSON.stringify(props[key] ?? 'unset (default: true)')}: set false`);
        }
      }
      return;
    }
    args.notApplicable('not a Transit Gateway or VPC attachment');
  },
};
