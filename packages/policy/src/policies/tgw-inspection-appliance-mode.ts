/**
 * The Transit Gateway attachment of the VPC that holds the Network Firewall has appliance mode
 * on. Without it the TGW may send the two directions of a flow through different AZs, so through
 * different stateful endpoints, and the reply is dropped (Amazon VPC Transit Gateways, "Appliance
 * in a shared services VPC", https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-appliance-scenario.html).
 * A stack-level rule: "the inspection attachment" is the attachment whose vpcId is the firewall's.
 */
import type { StackValidationPolicy } from '@pulumi/policy';
import { configSchema, reporter, type CommonConfig } from '../config';
import { known, label, ofType, sameReference } from '../resources';
import { T } from '../types';

export const tgwInspectionApplianceMode: StackValidationPolicy = {
  name: 'tgw-inspection-appliance-mode',
  description:
    'The Transit Gateway attachment of the VPC holding the Network Firewall has appliance mode on.',
  enforcementLevel: 'mandatory',
  severity: 'critical',
  configSchema: configSchema(),
  validateStack: (args, reportViolation) => {
    const firewalls = ofType(args.resources, T.firewall);
    if (firewalls.length === 0) args.notApplicable('no Network Firewall in this stack');
    const config = args.getConfig<CommonConfig>();
    const report = reporter(reportViolation, config.exemptions);
    for (const attachment of ofType(args.resources, T.tgwVpcAttachment)) {
      const firewall = firewalls.find((f) => sameReference(attachment, 'vpcId', f, 'vpcId'));
      if (!firewall) continue;
      const mode = known(attachment.props, 'applianceModeSupport');
      if (mode !== 'enable') {
        report(
          attachment.urn,
          `${label(attachment)} attaches the VPC of ${label(firewall)} with applianceModeSupport ${JSON.stringify(mode ?? 'unset (disable)')}: set "enable" so both directions of a flow use the same firewall endpoint`,
        );
      }
    }
  },
};
