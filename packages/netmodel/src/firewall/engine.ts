/**
 * The firewall as a whole: stateless engine, then (for forwarded packets) the stateful engine,
 * applied to the phases of a flow. TCP is two phases -- the handshake (not established, no
 * application data, so tls/http/dns rules and sticky buffers cannot match it) and the
 * application data (established, app layer known). UDP/ICMP are one exchange. A flow is allowed
 * only if every phase gets through.
 */
import type {
  DescribeFirewallPolicyResponse,
  DescribeRuleGroupResponse,
  FirewallPolicy,
  TCPFlag,
} from '@aws-sdk/client-network-firewall';
import type { FirewallDecider, FirewallDecision, Flow, PacketVerdict } from './types';
import type { Packet } from './packet';
import type { AddressExpr } from './rule-model';
import { FirewallConfigError } from './errors';
import { ipOf, compileAddress } from './matching';
import {
  groupArn,
  loadStatefulGroup,
  loadStatelessGroup,
  type RuleOrder,
  type StatefulGroup,
  type StatelessGroup,
} from './rule-groups';
import { evaluateStateless, standardAction } from './stateless';
import {
  actionOrder,
  evaluateStatefulPhase,
  type DefaultAlert,
  type DefaultDrop,
  type PhaseResult,
  type StatefulConfig,
} from './stateful';

export interface FirewallEngineOptions {
  /** CIDR(s) of the VPC holding the firewall: the default HOME_NET. */
  firewallVpcCidrs: string[];
}

export interface FirewallEngine {
  evaluate(flow: Flow): FirewallDecision;
  /** The policy's stateful rule order, for explanations (optional so stand-ins need not set it). */
  readonly ruleOrder?: RuleOrder;
}

interface PhaseOutcome extends Omit<PhaseResult, 'rule'> {
  rule?: PhaseResult['rule'];
  customActions: string[];
}

const DROP_DEFAULTS: readonly string[] = ['aws:drop_strict', 'aws:drop_established'];
const ALERT_DEFAULTS: readonly string[] = ['aws:alert_strict', 'aws:alert_established'];

/** Builds an evaluator for one firewall policy and the rule groups it references. */
export function buildFirewallEngine(
  policyResponse: DescribeFirewallPolicyResponse,
  ruleGroups: DescribeRuleGroupResponse[],
  options: FirewallEngineOptions,
): FirewallEngine {
  const policyName =
    policyResponse.FirewallPolicyResponse?.FirewallPolicyArn ??
    policyResponse.FirewallPolicyResponse?.FirewallPolicyName ??
    'firewall policy';
  const policy = policyResponse.FirewallPolicy;
  if (!policy)
    throw new FirewallConfigError(
      `${policyName}: FirewallPolicy is missing from the DescribeFirewallPolicy response`,
    );

  const byArn = new Map<string, DescribeRuleGroupResponse>();
  for (const group of ruleGroups) byArn.set(groupArn(group), group);
  const lookup = (arn: string | undefined, type: 'STATELESS' | 'STATEFUL'): DescribeRuleGroupResponse => {
    const group = arn === undefined ? undefined : byArn.get(arn);
    if (!group)
      throw new FirewallConfigError(
        `${policyName} references ${type.toLowerCase()} rule group ${arn}, which was not given`,
      );
    const actual = group.RuleGroupResponse?.Type;
    if (actual && actual !== type) {
      throw new FirewallConfigError(
        `${policyName} references ${arn} as ${type}, but the rule group is ${actual}`,
      );
    }
    return group;
  };

  standardAction(policy.StatelessDefaultActions, `${policyName} StatelessDefaultActions`);
  standardAction(policy.StatelessFragmentDefaultActions, `${policyName} StatelessFragmentDefaultActions`);
  const statelessGroups: StatelessGroup[] = [...(policy.StatelessRuleGroupReferences ?? [])]
    .sort((a, b) => (a.Priority ?? 0) - (b.Priority ?? 0))
    .map((ref) => loadStatelessGroup(lookup(ref.ResourceArn, 'STATELESS')));

  const stateful = buildStatefulConfig(policy, policyName, options.firewallVpcCidrs, (arn) =>
    lookup(arn, 'STATEFUL'),
  );

  return {
    ruleOrder: stateful.config.ruleOrder,
    evaluate: (flow) => evaluateFlow(flow, policy, statelessGroups, stateful.config, stateful.groups),
  };
}

function buildStatefulConfig(
  policy: FirewallPolicy,
  policyName: string,
  firewallVpcCidrs: readonly string[],
  lookup: (arn: string | undefined) => DescribeRuleGroupResponse,
): { config: StatefulConfig; groups: StatefulGroup[] } {
  const ruleOrder: RuleOrder = policy.StatefulEngineOptions?.RuleOrder ?? 'DEFAULT_ACTION_ORDER';
  const defaults = policy.StatefulDefaultActions ?? [];
  if (ruleOrder === 'DEFAULT_ACTION_ORDER' && defaults.length > 0) {
    throw new FirewallConfigError(
      `${policyName}: StatefulDefaultActions [${defaults.join(', ')}] need STRICT_ORDER`,
    );
  }
  const unknown = defaults.filter((a) => !DROP_DEFAULTS.includes(a) && !ALERT_DEFAULTS.includes(a));
  if (unknown.length > 0)
    throw new FirewallConfigError(`${policyName}: unknown StatefulDefaultActions ${unknown.join(', ')}`);
  const drops = defaults.filter((a) => DROP_DEFAULTS.includes(a));
  const alertDefaults = defaults.filter((a) => ALERT_DEFAULTS.includes(a));
  if (drops.length > 1 || alertDefaults.length > 1) {
    throw new FirewallConfigError(
      `${policyName}: at most one drop and one alert StatefulDefaultAction, got [${defaults.join(', ')}]`,
    );
  }

  const refs = [...(policy.StatefulRuleGroupReferences ?? [])];
  if (ruleOrder === 'STRICT_ORDER') {
    const missing = refs.find((ref) => ref.Priority === undefined);
    if (missing)
      throw new FirewallConfigError(
        `${policyName}: STRICT_ORDER reference to ${missing.ResourceArn} has no Priority`,
      );
    refs.sort((a, b) => (a.Priority ?? 0) - (b.Priority ?? 0));
  }
  const groups = refs.map((ref) => {
    const group = loadStatefulGroup(
      lookup(ref.ResourceArn),
      policy,
      firewallVpcCidrs,
      ref.Override?.Action === 'DROP_TO_ALERT',
    );
    if (group.ruleOrder !== ruleOrder) {
      throw new FirewallConfigError(
        `rule group ${group.arn} uses ${group.ruleOrder} but ${policyName} uses ${ruleOrder}`,
      );
    }
    return group;
  });
  const written = groups.flatMap((group) => group.rules);
  return {
    groups,
    config: {
      ruleOrder,
      rules: ruleOrder === 'STRICT_ORDER' ? written : actionOrder(written),
      ...(drops[0] ? { defaultDrop: drops[0] as DefaultDrop } : {}),
      ...(alertDefaults[0] ? { defaultAlert: alertDefaults[0] as DefaultAlert } : {}),
    },
  };
}

/** The packets of each phase, client's first. */
function phasesOf(flow: Flow): { tcp: boolean; phases: Packet[][] } {
  const src = ipOf(flow.srcIp);
  const dst = ipOf(flow.dstIp);
  const ports = flow.protocol === 'icmp' ? {} : { srcPort: flow.srcPort, dstPort: flow.dstPort };
  const reversePorts = flow.protocol === 'icmp' ? {} : { srcPort: flow.dstPort, dstPort: flow.srcPort };
  const client = (established: boolean, tcpFlags: TCPFlag[], app: boolean): Packet => ({
    protocol: flow.protocol,
    src,
    dst,
    ...ports,
    toServer: true,
    established,
    tcpFlags,
    ...(app && flow.app ? { app: flow.app } : {}),
  });
  const server = (established: boolean, tcpFlags: TCPFlag[], app: boolean): Packet => ({
    protocol: flow.protocol,
    src: dst,
    dst: src,
    ...reversePorts,
    toServer: false,
    established,
    tcpFlags,
    ...(app && flow.app ? { app: flow.app } : {}),
  });
  if (flow.protocol === 'tcp') {
    return {
      tcp: true,
      phases: [
        [client(false, ['SYN'], false), server(false, ['SYN', 'ACK'], false)],
        [client(true, ['ACK', 'PSH'], true), server(true, ['ACK', 'PSH'], true)],
      ],
    };
  }
  // UDP/ICMP: the request is not yet established; the reply makes the flow established.
  return { tcp: false, phases: [[client(false, [], true), server(true, [], true)]] };
}

function evaluatePhase(
  packets: readonly Packet[],
  policy: FirewallPolicy,
  statelessGroups: readonly StatelessGroup[],
  config: StatefulConfig,
): PhaseOutcome {
  const verdicts = packets.map((packet) =>
    evaluateStateless(statelessGroups, policy.StatelessDefaultActions ?? [], packet),
  );
  const customActions = verdicts.flatMap((v) => v.ignoredCustomActions);
  const dropped = verdicts.find((v) => v.action === 'aws:drop');
  if (dropped) return { verdict: 'drop', decidedBy: dropped.decidedBy, alerts: [], customActions };
  const forwarded = packets.filter((_, i) => verdicts[i]!.action === 'aws:forward_to_sfe');
  if (forwarded.length === 0)
    return { verdict: 'pass', decidedBy: verdicts[0]!.decidedBy, alerts: [], customActions };
  return { ...evaluateStatefulPhase(config, forwarded), customActions };
}

function evaluateFlow(
  flow: Flow,
  policy: FirewallPolicy,
  statelessGroups: readonly StatelessGroup[],
  config: StatefulConfig,
  groups: readonly StatefulGroup[],
): FirewallDecision {
  const { tcp, phases } = phasesOf(flow);
  const outcomes = phases.map((packets) => evaluatePhase(packets, policy, statelessGroups, config));
  const handshake = outcomes[0]!;
  const data = tcp ? outcomes[1]! : handshake;
  const allowed = outcomes.every((o) => o.verdict === 'pass');
  const warnings: string[] = [];
  const custom = [...new Set(outcomes.flatMap((o) => o.customActions))];
  if (custom.length > 0)
    warnings.push(`custom actions ${custom.join(', ')} only publish metrics and were ignored`);
  if (allowed && tcp) {
    const hazard = splitClientHelloHazard(flow, data, phases[1]!, policy, statelessGroups, config);
    if (hazard) warnings.push(hazard);
  }
  if (!allowed) warnings.push(...homeNetHints(flow, groups));
  const alerts = outcomes.flatMap((o) => o.alerts);
  const phase = (o: PhaseOutcome): { verdict: PacketVerdict; decidedBy: FirewallDecider } => ({
    verdict: o.verdict,
    decidedBy: o.decidedBy,
  });
  return {
    allowed,
    handshake: phase(handshake),
    data: phase(data),
    warnings,
    ...(alerts.length > 0 ? { alerts } : {}),
  };
}

/**
 * Known field hazard: a large ClientHello (post-quantum key shares) spans several segments. The
 * engine sees established packets before the SNI is parsed; if anything drops established TLS
 * packets that carry no SNI yet, the first segment is dropped before the SNI rule can pass the
 * flow. Detected by re-evaluating the data phase with the SNI not yet known.
 */
function splitClientHelloHazard(
  flow: Flow,
  data: PhaseOutcome,
  packets: readonly Packet[],
  policy: FirewallPolicy,
  statelessGroups: readonly StatelessGroup[],
  config: StatefulConfig,
): string | undefined {
  if (flow.app?.kind !== 'tls' || flow.app.sni === undefined) return undefined;
  if (!data.rule || !data.rule.rule.contents.some((c) => c.buffer === 'tls.sni')) return undefined;
  const withoutSni = packets.map((p) => ({ ...p, app: { kind: 'tls' as const } }));
  const early = evaluatePhase(withoutSni, policy, statelessGroups, config);
  if (early.verdict === 'pass') return undefined;
  return (
    `TLS to ${flow.dstIp}:${flow.dstPort} (SNI ${flow.app.sni}) is allowed only by SNI rule sid ${data.rule.rule.sid} ` +
    `in ${data.rule.group.arn}, while ${early.decidedBy.text} drops established TLS packets that arrive before the SNI ` +
    'is parsed: a ClientHello split over several segments (e.g. post-quantum key shares) can be dropped on AWS.'
  );
}

function usesVariable(expr: AddressExpr, name: string): boolean {
  switch (expr.kind) {
    case 'var':
      return expr.name === name;
    case 'not':
      return usesVariable(expr.expr, name);
    case 'group':
      return expr.items.some((item) => usesVariable(item, name));
    default:
      return false;
  }
}

/** Explains a drop caused by HOME_NET not covering the flow's source (the centralized-egress trap). */
function homeNetHints(flow: Flow, groups: readonly StatefulGroup[]): string[] {
  const src = ipOf(flow.srcIp);
  return groups
    .filter((group) =>
      group.rules.some(
        (r) => usesVariable(r.rule.source, 'HOME_NET') || usesVariable(r.rule.destination, 'HOME_NET'),
      ),
    )
    .filter((group) => !compileAddress({ kind: 'var', name: 'HOME_NET' }, group.variables)(src))
    .map(
      (group) =>
        `source ${flow.srcIp} is outside HOME_NET of ${group.arn} (from ${group.variables.homeNetSource}); ` +
        'its $HOME_NET rules do not match this flow -- widen HOME_NET to the supernet',
    );
}
