/**
 * Stateful engine (Classic, Suricata-based), one packet at a time with the flow's state.
 *
 * Order (AWS Network Firewall developer guide, "Evaluation order for stateful rule groups",
 * https://docs.aws.amazon.com/network-firewall/latest/developerguide/suricata-rule-evaluation-order.html):
 * - STRICT_ORDER: rule groups by reference priority (lowest first), rules in the order written.
 *   The `priority` keyword is ignored ("only valid using the default action order"). The first
 *   pass/drop/reject rule that matches decides the packet; alert rules log and evaluation goes on.
 *   No match: the default actions apply to the packet -- `aws:drop_strict` drops it (handshake
 *   included), `aws:drop_established` and `aws:drop_established_app_layer` drop it only when the
 *   connection is established (so handshakes get through), `..._app_layer_to_server` only a
 *   client-to-server one, the alert actions only log (default-actions.ts has the AWS reference).
 * - DEFAULT_ACTION_ORDER: all rules of all groups together; pass before drop before reject before
 *   alert; within one action, lower `priority` first (Suricata's default priority is 3). No match
 *   passes (this order has no stateful default actions).
 *
 * Scope (Suricata user guide, "Rule Types and Categorization", see rule-type.ts): a verdict from a
 * rule whose action scope is the flow (IP-only, app-layer, protocol-detection rules) fixes the
 * verdict of every later packet of the flow, in both directions, without inspecting them; a
 * verdict from a packet rule (`flow:` keyword) or a default action covers that packet only.
 *
 * Mid-stream packets (StreamExceptionPolicy CONTINUE, see engine.ts) carry no flow context: only
 * rules that need none match them, and of the default actions only `aws:drop_strict` applies
 * (AWS Network Firewall developer guide, "Stream exception policy options",
 * https://docs.aws.amazon.com/network-firewall/latest/developerguide/stream-exception-policy.html:
 * "a TCP-layer rule using a flow:stateless rule would still match, as would the aws:drop_strict
 * default action"). The established-connection defaults are modelled as not applying to them.
 */
import type { FirewallDecider, PacketLabel, PacketVerdict } from './types';
import type { Packet } from './packet';
import type { CompiledStatefulRule, RuleOrder } from './rule-groups';
import { defaultActionApplies, notAppliedBecause, type StatefulDefaultAction } from './default-actions';

export interface StatefulConfig {
  ruleOrder: RuleOrder;
  /** In evaluation order (STRICT_ORDER: as written; DEFAULT_ACTION_ORDER: sorted by {@link actionOrder}). */
  rules: CompiledStatefulRule[];
  /** The policy's drop default action (at most one). */
  defaultDrop?: StatefulDefaultAction;
  /** Its alert default actions (`aws:alert_strict` may accompany one other). */
  defaultAlerts: StatefulDefaultAction[];
}

/** What the stateful engine remembers about one flow. */
export interface StatefulFlowState {
  flowbits: Set<string>;
  /** The verdict a flow-scope action fixed for the rest of the flow, and the packet it was taken on. */
  fixed?: { verdict: PacketVerdict; decidedBy: FirewallDecider; at: PacketLabel };
}

export interface PacketResult {
  verdict: PacketVerdict;
  decidedBy: FirewallDecider;
  alerts: FirewallDecider[];
  /** The rule that decided, when a rule did (not a carried flow verdict). */
  rule?: CompiledStatefulRule;
}

const ACTION_RANK: Record<CompiledStatefulRule['action'], number> = { pass: 0, drop: 1, reject: 2, alert: 3 };
const DEFAULT_SURICATA_PRIORITY = 3;
const DEFAULT_SCOPE_REASON = 'default action: applies to each packet no rule decided';

export function newFlowState(): StatefulFlowState {
  return { flowbits: new Set() };
}

export function ruleDecider(rule: CompiledStatefulRule): FirewallDecider {
  return {
    kind: rule.group.fromDomainList ? 'domain-list' : 'stateful-rule',
    ruleGroup: rule.group.arn,
    sid: rule.rule.sid,
    text: rule.rule.text,
    action: rule.action,
    scope: rule.class.scope,
    scopeReason: rule.class.reason,
  };
}

/** Sorts rules for DEFAULT_ACTION_ORDER (stable: equal keys keep their written order). */
export function actionOrder(rules: readonly CompiledStatefulRule[]): CompiledStatefulRule[] {
  return [...rules].sort(
    (a, b) =>
      ACTION_RANK[a.action] - ACTION_RANK[b.action] ||
      (a.rule.priority ?? DEFAULT_SURICATA_PRIORITY) - (b.rule.priority ?? DEFAULT_SURICATA_PRIORITY),
  );
}

/** `flowbits:set` / `unset` / `toggle` of a rule that matched. */
function applyFlowbits(rule: CompiledStatefulRule, state: StatefulFlowState): void {
  for (const f of rule.rule.flowbits) {
    for (const name of f.names) {
      if (f.command === 'set') state.flowbits.add(name);
      else if (f.command === 'unset') state.flowbits.delete(name);
      else if (f.command === 'toggle') {
        if (state.flowbits.has(name)) state.flowbits.delete(name);
        else state.flowbits.add(name);
      }
    }
  }
}

/** Evaluates one packet the stateful engine sees, updating the flow's state. */
export function evaluateStatefulPacket(
  config: StatefulConfig,
  packet: Packet,
  state: StatefulFlowState,
): PacketResult {
  if (state.fixed) {
    return {
      verdict: state.fixed.verdict,
      decidedBy: { ...state.fixed.decidedBy, fixedAt: state.fixed.at },
      alerts: [],
    };
  }
  const alerts: FirewallDecider[] = [];
  for (const rule of config.rules) {
    if (!rule.matches(packet, state)) continue;
    applyFlowbits(rule, state);
    if (rule.action === 'alert') {
      if (!rule.rule.noalert) alerts.push(ruleDecider(rule));
      continue;
    }
    const decidedBy = ruleDecider(rule);
    if (rule.rule.alertKeyword) alerts.push(decidedBy);
    const verdict = rule.action as PacketVerdict;
    if (rule.class.scope === 'flow') state.fixed = { verdict, decidedBy, at: packet.label };
    return { verdict, decidedBy, alerts, rule };
  }
  return defaultActions(config, packet, alerts);
}

function defaultActions(config: StatefulConfig, packet: Packet, alerts: FirewallDecider[]): PacketResult {
  const { defaultDrop, defaultAlerts } = config;
  for (const alert of defaultAlerts)
    if (defaultActionApplies(alert, packet))
      alerts.push({ kind: 'stateful-default', text: alert, action: 'alert' });
  if (defaultDrop && defaultActionApplies(defaultDrop, packet)) {
    return {
      verdict: 'drop',
      decidedBy: {
        kind: 'stateful-default',
        text: defaultDrop,
        action: 'drop',
        scope: 'packet',
        scopeReason: DEFAULT_SCOPE_REASON,
      },
      alerts,
    };
  }
  const why = defaultDrop ? notAppliedBecause(defaultDrop, packet) : undefined;
  const text =
    config.ruleOrder === 'DEFAULT_ACTION_ORDER'
      ? 'no stateful rule matched (DEFAULT_ACTION_ORDER passes unmatched traffic)'
      : `no stateful rule matched; default actions [${[defaultDrop, ...defaultAlerts].filter(Boolean).join(', ')}] do not drop ${packet.midstream ? 'a mid-stream packet' : 'it'}`;
  return {
    verdict: 'pass',
    decidedBy: {
      kind: 'stateful-default',
      text,
      action: 'pass',
      scope: 'packet',
      scopeReason: why ? `${DEFAULT_SCOPE_REASON}; ${why}` : DEFAULT_SCOPE_REASON,
    },
    alerts,
  };
}
