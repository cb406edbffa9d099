/**
 * Every VPC has a flow log capturing its traffic. A stack-level rule: the flow log is its own
 * resource pointing at the VPC. A VPC created by a component (awsx) counts too: the flow log's
 * vpcId then comes from the component, which stands for the VPC it created.
 */
import type { StackValidationPolicy } from '@pulumi/policy';
import { configSchema, reporter, type CommonConfig } from '../config';
import { known, label, ofType, refersTo } from '../resources';
import { T } from '../types';

export const TRAFFIC_TYPES = ['ALL', 'ACCEPT', 'REJECT'] as const;

interface Config extends CommonConfig {
  trafficTypes?: string[];
}

export const vpcFlowLogs: StackValidationPolicy = {
  name: 'vpc-flow-logs',
  description: 'Every VPC has a flow log (traffic type ALL unless configured).',
  enforcementLevel: 'mandatory',
  severity: 'medium',
  configSchema: configSchema({
    trafficTypes: {
      type: 'array',
      description: 'Flow log traffic types that satisfy the policy.',
      items: { type: 'string', enum: [...TRAFFIC_TYPES] },
      minItems: 1,
      uniqueItems: true,
      default: ['ALL'],
    },
  }),
  validateStack: (args, reportViolation) => {
    const vpcs = ofType(args.resources, T.vpc);
    if (vpcs.length === 0) args.notApplicable('no VPC in this stack');
    const config = args.getConfig<Config>();
    const report = reporter(reportViolation, config.exemptions);
    const accepted = config.trafficTypes ?? ['ALL'];
    const flowLogs = ofType(args.resources, T.flowLog);
    for (const vpc of vpcs) {
      const mine = flowLogs.filter((f) => refersTo(f, 'vpcId', vpc));
      if (mine.length === 0) {
        report(vpc.urn, `${label(vpc)} has no flow log`);
      } else if (!mine.some((f) => accepted.includes(String(known(f.props, 'trafficType'))))) {
        const types = mine.map((f) => String(known(f.props, 'trafficType') ?? 'unknown'));
        report(
          vpc.urn,
          `${label(vpc)} logs traffic type ${types.join(', ')}, not one of ${accepted.join(', ')}`,
        );
      }
    }
  },
};
