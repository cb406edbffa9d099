/**
 * Wording of firewall decisions, shared by the path walker (hop details) and `hubspoke trace`:
 * which packet was decided, by which rule or default, and what the verdict covers.
 */
import type { FirewallDecider, FirewallDecision, PacketDecision } from './types';

const KIND_LABEL: Record<FirewallDecider['kind'], string> = {
  'stateless-rule': 'stateless rule',
  'stateless-default': 'stateless default action',
  'stateful-rule': 'stateful rule',
  'stateful-default': 'stateful default action',
  'domain-list': 'domain-list rule',
  'stream-exception': 'stream exception policy',
};

/** The short name of a rule group ARN (the part after the last `/`). */
export function groupName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** Who decided: `stateful rule sid 7 in my-group`, `stateful default action aws:drop_strict`, ... */
export function deciderName(d: FirewallDecider): string {
  const label = KIND_LABEL[d.kind];
  if (d.sid !== undefined)
    return `${label} sid ${d.sid}${d.ruleGroup ? ` in ${groupName(d.ruleGroup)}` : ''}`;
  if (d.kind === 'stateful-default' && d.text.startsWith('aws:')) return `${label} ${d.text}`;
  if (d.kind === 'stream-exception') return label;
  return d.ruleGroup ? `${label} in ${groupName(d.ruleGroup)}` : label;
}

/** What the verdict covers: `whole flow (...)`, `this packet only (...)`, or how an earlier packet fixed it. */
export function scopeText(d: FirewallDecider): string | undefined {
  if (d.fixedAt) return `whole flow: fixed at the ${d.fixedAt}, this packet is not inspected`;
  if (!d.scope) return undefined;
  const reason = d.scopeReason ? ` -- ${d.scopeReason}` : '';
  return d.scope === 'flow' ? `scope: whole flow${reason}` : `scope: this packet only${reason}`;
}

/** One packet's verdict on one line, e.g. `SYN-ACK (server -> client): drop by stateful default action aws:drop_strict [scope: ...]`. */
export function packetLine(p: PacketDecision): string {
  const dir = p.direction === 'to_server' ? 'client -> server' : 'server -> client';
  const scope = scopeText(p.decidedBy);
  return `${p.packet} (${dir}): ${p.verdict} by ${deciderName(p.decidedBy)}${scope ? ` [${scope}]` : ''}`;
}

/** The rule text worth quoting for a decider (rules only; defaults are named by `deciderName`). */
export function ruleText(d: FirewallDecider): string | undefined {
  return d.kind === 'stateful-default' && d.text.startsWith('aws:') ? undefined : d.text;
}

/**
 * The packet that decided the flow: the first one that did not pass, else the client's first
 * application packet (what an allowed flow was let through by).
 */
export function decisivePacket(decision: FirewallDecision): PacketDecision | undefined {
  const packets = decision.packets;
  if (!packets || packets.length === 0) return undefined;
  return (
    packets.find((p) => p.verdict !== 'pass') ??
    packets.find((p) => p.packet === 'client data' || p.packet === 'request') ??
    packets[0]
  );
}

/** What a verdict covers, in a few words (the full reason is on the trace's packet lines). */
function scopeBrief(d: FirewallDecider): string | undefined {
  if (d.fixedAt) return `whole flow, fixed at the ${d.fixedAt}`;
  if (!d.scope) return undefined;
  return d.scope === 'flow' ? 'whole flow' : 'this packet';
}

/**
 * A one-line account of a decision for a trace hop, kept short because check details quote it:
 * `drops the SYN-ACK: aws:drop_strict (this packet)`, `passes the flow: pass by domain-list
 * rule sid 1 in g (pass tls ...) (whole flow)`.
 */
export function explainDecision(decision: FirewallDecision): string {
  const p = decisivePacket(decision);
  if (!p) {
    const verb = decision.allowed ? 'passes the flow' : 'drops the flow';
    const d = decision.handshake.verdict !== 'pass' ? decision.handshake.decidedBy : decision.data.decidedBy;
    return `${verb}: ${d.action} (${d.text})`;
  }
  const d = p.decidedBy;
  const view = decision.view
    ? ` (this endpoint sees ${decision.view === 'request-only' ? 'only the request direction' : 'only the reply direction'})`
    : '';
  const verb = decision.allowed ? 'passes the flow' : `drops the ${p.packet}`;
  const text = ruleText(d);
  const who =
    d.kind === 'stateful-default' && !text
      ? d.text
      : `${p.verdict} by ${deciderName(d)}${text ? ` (${text})` : ''}`;
  const scope = scopeBrief(d);
  return `${verb}${view}: ${who}${scope ? ` (${scope})` : ''}`;
}
