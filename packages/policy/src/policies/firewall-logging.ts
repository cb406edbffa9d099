/**
 * Every Network Firewall logs ALERT (what the rules dropped or alerted on) and FLOW (every flow)
 * to a destination. A stack-level rule: the logging configuration is its own resource pointing at
 * the firewall by ARN (AWS Network Firewall Developer Guide, "Logging network traffic from AWS
 * Network Firewall", https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-logging.html).
 */
import type { PolicyResource, StackValidationPolicy } from '@pulumi/policy';
import { configSchema, reporter, type CommonConfig } from '../config';
import { isSet, known, label, ofType, refersTo } from '../resources';
import { T } from '../types';

export const REQUIRED_LOG_TYPES = ['ALERT', 'FLOW'] as const;

function destinations(config: PolicyResource): Record<string, unknown>[] {
  const logging = (known<Record<string, unknown>>(config.props, 'loggingConfiguration') ?? {}) as Record<
    string,
    unknown
  >;
  return (logging.logDestinationConfigs as Record<string, unknown>[] | undefined) ?? [];
}

/** A destination (log group, bucket, stream) is named; during a preview the name may be unknown yet. */
function hasDestination(d: Record<string, unknown>): boolean {
  const dest = (d.logDestination ?? {}) as Record<string, unknown>;
  return Object.keys(dest).some((key) => isSet(dest, key));
}

export const firewallLogging: StackValidationPolicy = {
  name: 'firewall-logging',
  description:
    'Every Network Firewall has a logging configuration sending ALERT and FLOW logs to a destination.',
  enforcementLevel: 'mandatory',
  severity: 'high',
  configSchema: configSchema(),
  validateStack: (args, reportViolation) => {
    const firewalls = ofType(args.resources, T.firewall);
    if (firewalls.length === 0) args.notApplicable('no Network Firewall in this stack');
    const config = args.getConfig<CommonConfig>();
    const report = reporter(reportViolation, config.exemptions);
    const configs = ofType(args.resources, T.firewallLogging);
    for (const firewall of firewalls) {
      const mine = configs.filter((c) => refersTo(c, 'firewallArn', firewall, 'arn'));
      const logged = new Set(
        mine
          .flatMap(destinations)
          .filter(hasDestination)
          .map((d) => String(d.logType)),
      );
      const missing = REQUIRED_LOG_TYPES.filter((t) => !logged.has(t));
      if (missing.length > 0) {
        report(
          firewall.urn,
          mine.length === 0
            ? `${label(firewall)} has no LoggingConfiguration: ${missing.join(' and ')} logs are off`
            : `${label(firewall)} does not log ${missing.join(' and ')} (its LoggingConfiguration has ${[...logged].join(', ') || 'no destination'})`,
        );
      }
    }
  },
};
