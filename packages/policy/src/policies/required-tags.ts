/**
 * Every taggable resource carries the docs/contracts.md "Tags": `hubspoke:env` = the stack
 * (environment) and `hubspoke:stack` = the project. Read from `tagsAll`, which the AWS provider
 * computes while checking the inputs (the resource's tags merged over the provider's default
 * tags), so tags applied as default tags count.
 */
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { configSchema, reporter, type CommonConfig } from '../config';
import { parseUrn } from '../resources';
import { TAGGABLE_TYPES } from '../types';

export const REQUIRED_TAGS = { env: 'hubspoke:env', stack: 'hubspoke:stack' } as const;

export const requiredTags: ResourceValidationPolicy = {
  name: 'required-tags',
  description:
    'Every taggable resource has hubspoke:env (the stack name) and hubspoke:stack (the project name).',
  enforcementLevel: 'mandatory',
  severity: 'medium',
  configSchema: configSchema(),
  validateResource: (args, reportViolation) => {
    const props = args.props;
    if (!args.type.startsWith('aws:') || !(TAGGABLE_TYPES.has(args.type) || 'tagsAll' in props)) {
      args.notApplicable('not a taggable AWS resource');
    }
    const config = args.getConfig<CommonConfig>();
    const violation = (message: string) => reporter(reportViolation, config.exemptions)(args.urn, message);
    const { stack, project } = parseUrn(args.urn);
    const tags = (props.tagsAll ?? props.tags ?? {}) as Record<string, unknown>;
    const expected: [string, string][] = [
      [REQUIRED_TAGS.env, stack],
      [REQUIRED_TAGS.stack, project],
    ];
    for (const [key, value] of expected) {
      if (tags[key] !== value) {
        violation(
          tags[key] === undefined
            ? `tag ${key} is missing (expected ${value})`
            : `tag ${key} is ${JSON.stringify(tags[key])}, expected ${value}`,
        );
      }
    }
  },
};
