/**
 * Every instance is hardened: IMDSv2 only, an encrypted root volume, no SSH key pair (access is
 * through Session Manager), and no public IP. `associatePublicIpAddress` must be false, not just
 * unset: unset, the subnet's "auto-assign public IPv4" attribute decides (Amazon EC2 User Guide,
 * "Amazon EC2 instance IP addressing", https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html).
 * Likewise `httpTokens` defaults to "optional" (IMDSv1 allowed) unless set (Amazon EC2 User Guide,
 * "Configure the instance metadata options for new instances",
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html).
 */
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { configSchema, reporter, type CommonConfig } from '../config';
import { T } from '../types';

export const instanceHardening: ResourceValidationPolicy = {
  name: 'instance-hardening',
  description: 'Instances require IMDSv2, encrypt the root volume, have no key pair and no public IP.',
  enforcementLevel: 'mandatory',
  severity: 'high',
  configSchema: configSchema(),
  validateResource: (args, reportViolation) => {
    if (args.type !== T.instance && args.type !== T.spotInstanceRequest) {
      args.notApplicable('not an EC2 instance');
    }
    const config = args.getConfig<CommonConfig>();
    const violation = (message: string) => reporter(reportViolation, config.exemptions)(args.urn, message);
    const props = args.props;
    const metadata = (props.metadataOptions ?? {}) as Record<string, unknown>;
    if (metadata.httpEndpoint !== 'disabled' && metadata.httpTokens !== 'required') {
      violation(
        `metadataOptions.httpTokens is ${JSON.stringify(metadata.httpTokens ?? 'unset (optional)')}: set "required" so only IMDSv2 is served`,
      );
    }
    const root = (props.rootBlockDevice ?? {}) as Record<string, unknown>;
    if (root.encrypted !== true)
      violation('rootBlockDevice.encrypted is not true: the root volume must be encrypted');
    if (typeof props.keyName === 'string' && props.keyName !== '') {
      violation(`keyName ${props.keyName}: no SSH key pair; use Session Manager`);
    }
    if (props.associatePublicIpAddress !== false) {
      violation(
        `associatePublicIpAddress is ${props.associatePublicIpAddress === true ? 'true' : "unset (the subnet's auto-assign setting decides)"}: set false`,
      );
    }
  },
};
