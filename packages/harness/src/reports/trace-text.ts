/**
 * The text `hubspoke trace` prints for one flow: every path, each with its request and reply hop
 * by hop, the verdict and the route or rule that decided it, and per firewall every packet of the
 * flow with the rule (or default action) that decided it and what that verdict covers (the packet
 * or the whole flow). The conformance corpus checks its `traceIncludes` against this same text.
 */
import {
  deciderName,
  packetLine,
  ruleText,
  type FirewallDecision,
  type PathResult,
} from '@hubspoke/netmodel';
import { pathUnknown, roundTripOk, type TracedPath } from '../checks/tracer';

export type TraceVerdict = 'ALLOWED' | 'BLOCKED' | 'PARTIAL' | 'UNKNOWN';

/**
 * ALLOWED = the reply comes back on every path; BLOCKED = on none; PARTIAL = on some; UNKNOWN = a
 * path meets something the model does not model, so whether it is answered cannot be told.
 */
export function traceVerdict(paths: readonly TracedPath[]): TraceVerdict {
  if (paths.some(pathUnknown)) return 'UNKNOWN';
  const answered = paths.filter(roundTripOk).length;
  if (paths.length > 0 && answered === paths.length) return 'ALLOWED';
  return answered === 0 ? 'BLOCKED' : 'PARTIAL';
}

export function formatTrace(title: string, paths: TracedPath[]): string {
  const lines = [`trace ${title}`, ''];
  paths.forEach((p, n) => {
    const ok = roundTripOk(p);
    lines.push(
      `path ${n + 1}/${paths.length}: ${ok ? 'ANSWERED' : pathUnknown(p) ? 'UNKNOWN' : 'NO RESPONSE'} (firewall endpoints: ${p.firewallEndpoints.join(', ') || 'none'})`,
    );
    lines.push(...leg('request', p, p.returnPath !== undefined));
    if (p.returnPath) lines.push(...leg('reply', p.returnPath, false));
    else if (p.verdict === 'delivered') lines.push('  reply: no path back');
    for (const w of (p.firewallDecisions ?? []).flatMap((d) => d.warnings)) lines.push(`  warning: ${w}`);
    lines.push('');
  });
  const answered = paths.filter(roundTripOk).length;
  const unknown = paths.filter(pathUnknown);
  const notModelled = [...new Set(unknown.map((p) => unknownDecision(p).id))].join(', ');
  lines.push(
    paths.length === 0
      ? 'verdict: no path (the source is not in any subnet?)'
      : unknown.length > 0
        ? `verdict: UNKNOWN, ${unknown.length}/${paths.length} path(s) meet what the model does not model (${notModelled}); reply received on ${answered}/${paths.length} path(s)`
        : `verdict: ${traceVerdict(paths)}, reply received on ${answered}/${paths.length} path(s)`,
  );
  return `${lines.join('\n')}\n`;
}

function unknownDecision(p: TracedPath): PathResult['decidedBy'] {
  return p.returnPath?.verdict === 'unknown' ? p.returnPath.decidedBy : p.decidedBy;
}

/** One direction; `requestOnly` prints the request leg's own verdict (the path's verdict covers the reply too). */
function leg(
  name: string,
  p: Pick<PathResult, 'hops' | 'decidedBy' | 'verdict'> & Partial<PathResult>,
  requestOnly: boolean,
): string[] {
  const out = [`  ${name}:`];
  p.hops.forEach((h, i) =>
    out.push(
      `    ${String(i + 1).padStart(2)}. ${h.kind.padEnd(17)} ${h.id}${h.az ? ` [${h.az}]` : ''}  ${h.detail}`,
    ),
  );
  const seenAs = p.translatedSource ? ` (source seen as ${p.translatedSource})` : '';
  if (requestOnly && (p.forwardVerdict ?? p.verdict) === 'delivered') out.push(`    => delivered${seenAs}`);
  else
    out.push(
      `    => ${p.verdict}, decided by ${p.decidedBy.kind} ${p.decidedBy.id}: ${p.decidedBy.detail}${seenAs}`,
    );
  (p.firewallDecisions ?? []).forEach((d, i) => out.push(...firewallLines(d, i, p.firewallEndpoints)));
  return out;
}

/** Per firewall crossed: each packet's verdict and decider, quoting each deciding rule once. */
function firewallLines(
  d: FirewallDecision,
  index: number,
  endpoints: readonly string[] | undefined,
): string[] {
  const at = endpoints?.[index] ? ` at ${endpoints[index]}` : '';
  if (!d.packets) {
    return [
      `       firewall${at}: handshake ${d.handshake.verdict} by ${d.handshake.decidedBy.kind} (${d.handshake.decidedBy.text}); data ${d.data.verdict} by ${d.data.decidedBy.kind} (${d.data.decidedBy.text})`,
    ];
  }
  const out = [`       firewall${at}: ${d.allowed ? 'every packet passes' : 'a packet is dropped'}`];
  const quoted = new Set<string>();
  for (const p of d.packets) {
    out.push(`         ${packetLine(p)}`);
    const text = ruleText(p.decidedBy);
    const key = `${deciderName(p.decidedBy)}|${text}`;
    if (text && !p.decidedBy.fixedAt && !quoted.has(key)) {
      quoted.add(key);
      out.push(`           rule: ${text}`);
    }
  }
  return out;
}
