/**
 * The firewall policy evaluates stateful rules in strict order and drops what no rule passed, and
 * its stateless defaults hand every packet to the stateful engine: with `aws:pass` as a stateless
 * default, traffic no stateless rule matches skips the stateful rules and their drop default.
 * AWS Network Firewall Developer Guide: "Stateless default actions in your firewall policy"
 * (https://docs.aws.amazon.com/network-firewall/latest/developerguide/stateless-default-actions.html),
 * "Stateful default actions in your firewall policy"
 * (https://docs.aws.amazon.com/network-firewall/latest/developerguide/stateful-default-actions.html),
 * "Evaluation order for stateful rules"
 * (https://docs.aws.amazon.com/network-firewall/latest/developerguide/suricata-rule-evaluation-order.html).
 */
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { configSchema, reporter, type CommonConfig } from '../config';
import { T } from '../types';

/**
 * Stateful default actions that drop (strict: everything not passed; established: after the
 * handshake; the application-layer ones: after the handshake, once the SNI or Host is seen, both
 * ways or client-to-server only; "Evaluation order for stateful rules", strict order default actions).
 */
export const DROP_ACTIONS = [
  'aws:drop_strict',
  'aws:drop_established',
  'aws:drop_established_app_layer',
  'aws:drop_established_app_layer_to_server',
] as const;

interface Config extends CommonConfig {
  dropActions?: string[];
}

/** Stateless defaults that keep traffic from bypassing the stateful engine. */
const STATELESS_OK = new Set(['aws:forward_to_sfe', 'aws:drop']);

export const firewallStrictDrop: ResourceValidationPolicy = {
  name: 'firewall-strict-drop',
  description:
    'Network Firewall policies use STRICT_ORDER with a drop default, and stateless defaults forward to the stateful engine.',
  enforcementLevel: 'mandatory',
  severity: 'critical',
  configSchema: configSchema({
    dropActions: {
      type: 'array',
      description: 'Stateful default actions that count as "drop by default" (one of them must be set).',
      items: { type: 'string', enum: [...DROP_ACTIONS] },
      minItems: 1,
      uniqueItems: true,
      default: ['aws:drop_strict'],
    },
  }),
  validateResource: (args, reportViolation) => {
    if (args.type !== T.firewallPolicy) args.notApplicable('not a Network Firewall policy');
    const config = args.getConfig<Config>();
    const violation = (message: string) => reporter(reportViolation, config.exemptions)(args.urn, message);
    const policy = (args.props.firewallPolicy ?? {}) as Record<string, unknown>;
    const engine = (policy.statefulEngineOptions ?? {}) as Record<string, unknown>;
    if (engine.ruleOrder !== 'STRICT_ORDER') {
      violation(
        `statefulEngineOptions.ruleOrder is ${JSON.stringify(engine.ruleOrder ?? 'unset (DEFAULT_ACTION_ORDER)')}: set "STRICT_ORDER" so rules apply in the order written and the default actions apply`,
      );
    }
    const drops = config.dropActions ?? ['aws:drop_strict'];
    const stateful = (policy.statefulDefaultActions as string[] | undefined) ?? [];
    if (!stateful.some((a) => drops.includes(a))) {
      violation(
        `statefulDefaultActions ${JSON.stringify(stateful)} has none of ${JSON.stringify(drops)}: traffic no rule passes must be dropped`,
      );
    }
    for (const key of ['statelessDefaultActions', 'statelessFragmentDefaultActions']) {
      const actions = (policy[key] as string[] | undefined) ?? [];
      if (!actions.some((a) => STATELESS_OK.has(a)) || actions.includes('aws:pass')) {
        violation(
          `${key} ${JSON.stringify(actions)}: use ["aws:forward_to_sfe"] so unmatched packets reach the stateful rules`,
        );
      }
    }
  },
};
