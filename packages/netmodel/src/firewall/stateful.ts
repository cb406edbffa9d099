/**
 * Stateful engine (Classic, Suricata-based), evaluated per phase of a flow.
 *
 * STRICT_ORDER: rule groups by reference priority (lowest first), rules in the order written.
 *   The `priority` keyword is ignored here: AWS orders strict-order rules by position, and the
 *   generated domain-list rules carry `priority:1` in both orders without changing strict order.
 *   The first pass/drop/reject rule that matches decides; alert rules log and evaluation goes on.
 *   No match: the default actions apply -- `aws:drop_strict` drops every packet (handshake
 *   included), `aws:drop_established` drops only established packets (so handshakes get
 *   through), `aws:alert_strict` / `aws:alert_established` only log.
 * DEFAULT_ACTION_ORDER: all rules of all groups together; pass beats drop beats reject beats
 *   alert; within one action, lower `priority` first (Suricata's default priority is 3). No match
 *   passes (this order has no stateful default actions).
 * In both orders a pass on a packet passes the flow for the rest of the phase (Suricata passes
 * the whole flow once a pass rule matches).
 */
import type { FirewallDecider, PacketVerdict } from './types';
import type { Packet } from './packet';
import type { CompiledStatefulRule, RuleOrder } from './rule-groups';

export type DefaultDrop = 'aws:drop_strict' | 'aws:drop_established';
export type DefaultAlert = 'aws:alert_strict' | 'aws:alert_established';

export interface StatefulConfig {
  ruleOrder: RuleOrder;
  /** In evaluation order for STRICT_ORDER; any order for DEFAULT_ACTION_ORDER. */
  rules: CompiledStatefulRule[];
  defaultDrop?: DefaultDrop;
  defaultAlert?: DefaultAlert;
}

export interface PhaseResult {
  verdict: PacketVerdict;
  decidedBy: FirewallDecider;
  alerts: FirewallDecider[];
  /** The rule that decided, when a rule did. */
  rule?: CompiledStatefulRule;
}

const ACTION_RANK: Record<CompiledStatefulRule['action'], number> = { pass: 0, drop: 1, reject: 2, alert: 3 };
const DEFAULT_SURICATA_PRIORITY = 3;

export function ruleDecider(rule: CompiledStatefulRule): FirewallDecider {
  return {
    kind: rule.group.fromDomainList ? 'domain-list' : 'stateful-rule',
    ruleGroup: rule.group.arn,
    sid: rule.rule.sid,
    text: rule.rule.text,
    action: rule.action,
  };
}

function decided(rule: CompiledStatefulRule, alerts: FirewallDecider[]): PhaseResult {
  return { verdict: rule.action as PacketVerdict, decidedBy: ruleDecider(rule), alerts, rule };
}

/** Sorts rules for DEFAULT_ACTION_ORDER (stable: equal keys keep their written order). */
export function actionOrder(rules: readonly CompiledStatefulRule[]): CompiledStatefulRule[] {
  return [...rules].sort(
    (a, b) =>
      ACTION_RANK[a.action] - ACTION_RANK[b.action] ||
      (a.rule.priority ?? DEFAULT_SURICATA_PRIORITY) - (b.rule.priority ?? DEFAULT_SURICATA_PRIORITY),
  );
}

export function evaluateStatefulPhase(config: StatefulConfig, packets: readonly Packet[]): PhaseResult {
  const alerts: FirewallDecider[] = [];
  for (const packet of packets) {
    if (config.ruleOrder === 'DEFAULT_ACTION_ORDER') {
      const matching = config.rules.filter((rule) => rule.matches(packet));
      // Rules arrive pre-sorted by actionOrder, so the first non-alert match decides.
      const decisive = matching.find((rule) => rule.action !== 'alert');
      alerts.push(...matching.filter((rule) => rule.action === 'alert').map(ruleDecider));
      if (decisive) return decided(decisive, alerts);
      continue;
    }
    // Strict order: the first matching pass/drop/reject stops evaluation; alerts before it log.
    let decisive: CompiledStatefulRule | undefined;
    for (const rule of config.rules) {
      if (!rule.matches(packet)) continue;
      if (rule.action === 'alert') alerts.push(ruleDecider(rule));
      else {
        decisive = rule;
        break;
      }
    }
    if (decisive) return decided(decisive, alerts);
    const { defaultDrop, defaultAlert } = config;
    if (
      defaultAlert === 'aws:alert_strict' ||
      (defaultAlert === 'aws:alert_established' && packet.established)
    ) {
      alerts.push({ kind: 'stateful-default', text: defaultAlert, action: 'alert' });
    }
    if (defaultDrop === 'aws:drop_strict' || (defaultDrop === 'aws:drop_established' && packet.established)) {
      return {
        verdict: 'drop',
        decidedBy: { kind: 'stateful-default', text: defaultDrop, action: 'drop' },
        alerts,
      };
    }
  }
  const text =
    config.ruleOrder === 'DEFAULT_ACTION_ORDER'
      ? 'no stateful rule matched (DEFAULT_ACTION_ORDER passes unmatched traffic)'
      : `no stateful rule matched; default actions [${[config.defaultDrop, config.defaultAlert].filter(Boolean).join(', ')}] do not drop it`;
  return { verdict: 'pass', decidedBy: { kind: 'stateful-default', text, action: 'pass' }, alerts };
}
