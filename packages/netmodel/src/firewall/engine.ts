/**
 * The firewall as a whole: every packet of a flow, in the order it crosses the firewall, goes
 * through the stateless engine and (when forwarded) the stateful engine, which keeps the flow's
 * state from packet to packet (flowbits, a verdict fixed for the whole flow).
 *
 * The packets: TCP = SYN, SYN-ACK (not established, no application data, so app-layer rules and
 * sticky buffers cannot match them), the client's first data packet (established, carrying the
 * ClientHello / request) and the server's reply data. UDP/ICMP = request (not established) and
 * reply (established). A flow is allowed only if every packet the firewall sees gets through.
 *
 * Mid-stream (AWS Network Firewall developer guide, "Stream exception policy options",
 * https://docs.aws.amazon.com/network-firewall/latest/developerguide/stream-exception-policy.html):
 * when the stateful engine does not see a TCP flow from its SYN, or misses a packet of it (one
 * direction passed by a stateless `aws:pass`, or routed through another endpoint), the stream is
 * broken for it. `StatefulEngineOptions.StreamExceptionPolicy` then decides: DROP (the default)
 * drops all subsequent traffic of the flow, REJECT drops it and resets the connection, CONTINUE
 * applies the rules to the subsequent packets without the context from before the break.
 * A UDP/ICMP flow has no stream: the stateful engine simply takes its first packet as the start.
 */
import type {
  DescribeFirewallPolicyResponse,
  DescribeRuleGroupResponse,
  FirewallPolicy,
  StreamExceptionPolicy,
  TCPFlag,
} from '@aws-sdk/client-network-firewall';
import type {
  FirewallDecider,
  FirewallDecision,
  Flow,
  FlowView,
  PacketDecision,
  PacketLabel,
  PacketVerdict,
} from './types';
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
  evaluateStatefulPacket,
  newFlowState,
  type PacketResult,
  type StatefulConfig,
} from './stateful';
import {
  defaultActionSemantics,
  isStatefulDefaultAction,
  statefulDefaultActionsProblem,
  type StatefulDefaultAction,
} from './default-actions';

export interface FirewallEngineOptions {
  /** CIDR(s) of the VPC holding the firewall: the default HOME_NET. */
  firewallVpcCidrs: string[];
}

export interface FirewallEngine {
  /** The flow as an endpoint that sees both directions decides it. */
  evaluate(flow: Flow): FirewallDecision;
  /**
   * The flow as an endpoint that sees one direction only (asymmetric routing) decides it.
   * Optional so stand-in evaluators need not model the stream exception policy.
   */
  evaluateOneWay?(flow: Flow, view: Exclude<FlowView, 'both'>): FirewallDecision;
  /** The policy's stateful rule order, for explanations (optional so stand-ins need not set it). */
  readonly ruleOrder?: RuleOrder;
  readonly streamExceptionPolicy?: StreamExceptionPolicy;
}

const STREAM_EXCEPTION_POLICIES: readonly string[] = ['DROP', 'CONTINUE', 'REJECT'];

interface Firewall {
  policy: FirewallPolicy;
  statelessGroups: StatelessGroup[];
  stateful: StatefulConfig;
  groups: StatefulGroup[];
  streamExceptionPolicy: StreamExceptionPolicy;
}

/** One packet's outcome, with what the evaluation needs beyond the public PacketDecision. */
interface PacketOutcome extends PacketDecision {
  result?: PacketResult;
  customActions: string[];
}

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
  const streamExceptionPolicy = policy.StatefulEngineOptions?.StreamExceptionPolicy ?? 'DROP';
  if (!STREAM_EXCEPTION_POLICIES.includes(streamExceptionPolicy)) {
    throw new FirewallConfigError(
      `${policyName}: StatefulEngineOptions.StreamExceptionPolicy "${streamExceptionPolicy}" is not one of ${STREAM_EXCEPTION_POLICIES.join(', ')}`,
    );
  }
  const firewall: Firewall = {
    policy,
    statelessGroups,
    stateful: stateful.config,
    groups: stateful.groups,
    streamExceptionPolicy,
  };

  return {
    ruleOrder: stateful.config.ruleOrder,
    streamExceptionPolicy,
    evaluate: (flow) => evaluateFlow(firewall, flow, 'both'),
    evaluateOneWay: (flow, view) => evaluateFlow(firewall, flow, view),
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
  const problem = statefulDefaultActionsProblem(defaults);
  if (problem) throw new FirewallConfigError(`${policyName}: StatefulDefaultActions: ${problem}`);
  const known = defaults as StatefulDefaultAction[];
  const drop = known.find((a) => defaultActionSemantics(a).action === 'drop');
  const alertDefaults = known.filter((a) => defaultActionSemantics(a).action === 'alert');

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
      ...(drop ? { defaultDrop: drop } : {}),
      defaultAlerts: alertDefaults,
    },
  };
}

/** The packets of a flow, in the order they cross the firewall. */
export function packetsOf(flow: Flow): Packet[] {
  const src = ipOf(flow.srcIp);
  const dst = ipOf(flow.dstIp);
  const ports = flow.protocol === 'icmp' ? {} : { srcPort: flow.srcPort, dstPort: flow.dstPort };
  const reversePorts = flow.protocol === 'icmp' ? {} : { srcPort: flow.dstPort, dstPort: flow.srcPort };
  const packet = (
    label: PacketLabel,
    toServer: boolean,
    established: boolean,
    tcpFlags: TCPFlag[],
    app: boolean,
  ): Packet => ({
    label,
    protocol: flow.protocol,
    ...(toServer ? { src, dst, ...ports } : { src: dst, dst: src, ...reversePorts }),
    toServer,
    established,
    tcpFlags,
    ...(app && flow.app ? { app: flow.app } : {}),
  });
  if (flow.protocol === 'tcp') {
    return [
      packet('SYN', true, false, ['SYN'], false),
      packet('SYN-ACK', false, false, ['SYN', 'ACK'], false),
      packet('client data', true, true, ['ACK', 'PSH'], true),
      packet('server data', false, true, ['ACK', 'PSH'], true),
    ];
  }
  // UDP/ICMP: the request is not yet established; the reply makes the flow established.
  return [packet('request', true, false, [], true), packet('reply', false, true, [], true)];
}

function seenBy(view: FlowView, packet: Packet): boolean {
  return view === 'both' || (view === 'request-only') === packet.toServer;
}

/**
 * Every packet of `packets` the endpoint sees, through both engines. The stateful engine keeps
 * the flow's state across packets and notices when its view of a TCP stream has a gap.
 */
function evaluatePackets(fw: Firewall, packets: readonly Packet[], view: FlowView): PacketOutcome[] {
  const tcp = packets[0]?.protocol === 'tcp';
  const state = newFlowState();
  const missed: PacketLabel[] = [];
  let started = false;
  let broken = false;
  let reversed = false;
  let exceptionApplied = false;
  const out: PacketOutcome[] = [];
  for (const packet of packets) {
    if (!seenBy(view, packet)) {
      missed.push(packet.label);
      continue;
    }
    const direction = packet.toServer ? 'to_server' : 'to_client';
    const stateless = evaluateStateless(fw.statelessGroups, fw.policy.StatelessDefaultActions ?? [], packet);
    const customActions = stateless.ignoredCustomActions;
    if (stateless.action !== 'aws:forward_to_sfe') {
      const verdict: PacketVerdict = stateless.action === 'aws:drop' ? 'drop' : 'pass';
      // A packet passed here never reaches the stateful engine: its view of the stream has a gap.
      // A dropped one ends the flow; the later packets are judged as if it had got through.
      if (verdict === 'pass') missed.push(packet.label);
      else started = true;
      out.push({ packet: packet.label, direction, verdict, decidedBy: stateless.decidedBy, customActions });
      continue;
    }
    let seen: Packet = packet;
    if (!started) {
      started = true;
      if (tcp && packet.label !== 'SYN') broken = true;
      // Without a stream, the first packet the engine sees starts the flow: a reply seen first
      // makes the server the flow's client.
      if (!tcp && !packet.toServer) reversed = true;
    } else if (tcp && missed.length > 0) broken = true;
    if (reversed) seen = { ...seen, toServer: !seen.toServer, established: seen.label !== 'reply' };
    if (broken && fw.streamExceptionPolicy !== 'CONTINUE' && !exceptionApplied) {
      // DROP / REJECT: this packet and everything after it in the flow, whatever the rules say.
      exceptionApplied = true;
      const decidedBy = streamException(fw.streamExceptionPolicy, missed);
      const verdict: PacketVerdict = fw.streamExceptionPolicy === 'REJECT' ? 'reject' : 'drop';
      state.fixed = { verdict, decidedBy, at: packet.label };
      out.push({ packet: packet.label, direction, verdict, decidedBy, customActions });
      continue;
    }
    if (broken) seen = { ...seen, midstream: true, established: false, app: undefined };
    const result = evaluateStatefulPacket(fw.stateful, seen, state);
    const decidedBy =
      broken && !result.decidedBy.fixedAt ? midstreamNote(result.decidedBy, missed) : result.decidedBy;
    out.push({ packet: packet.label, direction, verdict: result.verdict, decidedBy, result, customActions });
  }
  return out;
}

function streamException(policy: StreamExceptionPolicy, missed: readonly PacketLabel[]): FirewallDecider {
  return {
    kind: 'stream-exception',
    text: `StreamExceptionPolicy ${policy}: the stateful engine picks this TCP flow up mid-stream (it did not see ${missed.join(', ')}) and ${policy === 'REJECT' ? 'rejects (TCP reset)' : 'drops'} all subsequent traffic of the flow`,
    action: policy === 'REJECT' ? 'reject' : 'drop',
    scope: 'flow',
    scopeReason: 'stream exception policy: applies to the rest of the flow',
  };
}

/** Under CONTINUE, say that the packet was judged without the context from before the break. */
function midstreamNote(decidedBy: FirewallDecider, missed: readonly PacketLabel[]): FirewallDecider {
  return {
    ...decidedBy,
    text: `${decidedBy.text} [StreamExceptionPolicy CONTINUE: judged mid-stream without flow state or app layer; the stateful engine did not see ${missed.join(', ')}]`,
  };
}

/** The first packet that did not pass, else the first packet: what a summary line names. */
function summary(outcomes: readonly PacketOutcome[]): { verdict: PacketVerdict; decidedBy: FirewallDecider } {
  const pick = outcomes.find((o) => o.verdict !== 'pass') ?? outcomes[0]!;
  return { verdict: pick.verdict, decidedBy: pick.decidedBy };
}

function evaluateFlow(fw: Firewall, flow: Flow, view: FlowView): FirewallDecision {
  const packets = packetsOf(flow);
  const outcomes = evaluatePackets(fw, packets, view);
  const tcp = flow.protocol === 'tcp';
  const handshakeLabels: readonly PacketLabel[] = ['SYN', 'SYN-ACK'];
  const handshakePackets = tcp ? outcomes.filter((o) => handshakeLabels.includes(o.packet)) : outcomes;
  const dataPackets = tcp ? outcomes.filter((o) => !handshakeLabels.includes(o.packet)) : outcomes;
  const handshake = summary(handshakePackets.length > 0 ? handshakePackets : outcomes);
  const data = summary(dataPackets.length > 0 ? dataPackets : outcomes);
  const allowed = outcomes.every((o) => o.verdict === 'pass');

  const warnings: string[] = [];
  const custom = [...new Set(outcomes.flatMap((o) => o.customActions))];
  if (custom.length > 0)
    warnings.push(`custom actions ${custom.join(', ')} only publish metrics and were ignored`);
  if (allowed && tcp && view === 'both') {
    const hazard = splitClientHelloHazard(fw, flow, packets, outcomes);
    if (hazard) warnings.push(hazard);
  }
  if (!allowed) warnings.push(...homeNetHints(flow, fw.groups));
  const alerts = outcomes.flatMap((o) => o.result?.alerts ?? []);
  return {
    allowed,
    handshake,
    data,
    packets: outcomes.map(({ packet, direction, verdict, decidedBy }) => ({
      packet,
      direction,
      verdict,
      decidedBy,
    })),
    ...(view !== 'both' ? { view } : {}),
    warnings,
    ...(alerts.length > 0 ? { alerts } : {}),
  };
}

/**
 * Known field hazard: a large ClientHello (post-quantum key shares) spans several segments. The
 * engine sees established packets before the SNI is parsed; if anything drops established TLS
 * packets that carry no SNI yet, the first segment is dropped before the SNI rule can pass the
 * flow. Detected by evaluating the client's first data packet again with the SNI not yet known.
 */
function splitClientHelloHazard(
  fw: Firewall,
  flow: Flow,
  packets: readonly Packet[],
  outcomes: readonly PacketOutcome[],
): string | undefined {
  if (flow.app?.kind !== 'tls' || flow.app.sni === undefined) return undefined;
  const clientData = outcomes.find((o) => o.packet === 'client data');
  const rule = clientData?.result?.rule;
  if (!rule || !rule.rule.contents.some((c) => c.buffer === 'tls.sni')) return undefined;
  const firstSegment = packets
    .filter((p) => p.label !== 'server data')
    .map((p) => (p.label === 'client data' ? { ...p, app: { kind: 'tls' as const } } : p));
  const early = evaluatePackets(fw, firstSegment, 'both').at(-1);
  if (!early || early.verdict === 'pass') return undefined;
  // The application-layer defaults wait for the SNI, reassembling a split ClientHello first.
  const byDefault = early.decidedBy.kind === 'stateful-default' ? early.decidedBy.text : undefined;
  if (byDefault && isStatefulDefaultAction(byDefault) && defaultActionSemantics(byDefault).appLayer)
    return undefined;
  return (
    `TLS to ${flow.dstIp}:${flow.dstPort} (SNI ${flow.app.sni}) is allowed only by SNI rule sid ${rule.rule.sid} ` +
    `in ${rule.group.arn}, while ${early.decidedBy.text} drops established TLS packets that arrive before the SNI ` +
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
