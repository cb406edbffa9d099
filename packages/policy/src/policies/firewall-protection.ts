/**
 * Outside ephemeral environments a Network Firewall has delete protection and firewall-policy
 * change protection on, so neither a stray `pulumi destroy` nor a policy swap takes inspection
 * away (AWS Network Firewall Developer Guide, "Firewall settings",
 * https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-settings.html).
 * Ephemeral means docs/contracts.md "Tags": tagged `hubspoke:ephemeral=true`, or a stack name the
 * policy config marks ephemeral (default `it-*`).
 */
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { configSchema, reporter, type CommonConfig } from '../config';
import { parseUrn } from '../resources';
import { T } from '../types';

interface Config extends CommonConfig {
  ephemeralStackPattern?: string;
}

export const firewallProtection: ResourceValidationPolicy = {
  name: 'firewall-protection',
  description:
    'Network Firewalls have delete protection and firewall-policy change protection on, except in ephemeral environments.',
  enforcementLevel: 'mandatory',
  severity: 'high',
  configSchema: configSchema({
    ephemeralStackPattern: {
      type: 'string',
      minLength: 1,
      format: 'regex',
      default: '^it-',
      description:
        'regular expression of stack names that are ephemeral (besides the hubspoke:ephemeral tag)',
    },
  }),
  validateResource: (args, reportViolation) => {
    if (args.type !== T.firewall) args.notApplicable('not a Network Firewall');
    const config = args.getConfig<Config>();
    const tags = (args.props.tagsAll ?? args.props.tags ?? {}) as Record<string, unknown>;
    const { stack } = parseUrn(args.urn);
    const ephemeral =
      tags['hubspoke:ephemeral'] === 'true' || new RegExp(config.ephemeralStackPattern ?? '^it-').test(stack);
    if (ephemeral) args.notApplicable(`stack ${stack} is ephemeral`);
    const violation = (message: string) => reporter(reportViolation, config.exemptions)(args.urn, message);
    for (const key of ['deleteProtection', 'firewallPolicyChangeProtection']) {
      if (args.props[key] !== true) {
        violation(
          `${key} is ${JSON.stringify(args.props[key] ?? 'unset (false)')}: set true outside ephemeral environments`,
        );
      }
    }
  },
};
