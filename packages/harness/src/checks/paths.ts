/** Small helpers that turn traced paths into the decisive hop and one-line descriptions. */
import type { PathResult } from '@hubspoke/netmodel';
import type { DecisiveHop } from './types';
import { failingDecision, type TracedPath } from './tracer';

/** The decision of a path, located at the hop where it was taken (AZ, subnet when known). */
export function decisiveOf(
  path: Pick<PathResult, 'hops' | 'decidedBy'>,
  leg: 'forward' | 'return' = 'forward',
): DecisiveHop {
  const last = path.hops[path.hops.length - 1];
  const subnetHop = [...path.hops].reverse().find((h) => h.kind === 'subnet');
  return {
    kind: path.decidedBy.kind,
    id: path.decidedBy.id,
    detail: leg === 'return' ? `reply: ${path.decidedBy.detail}` : path.decidedBy.detail,
    ...(last?.az ? { az: last.az } : {}),
    ...(subnetHop ? { subnetId: subnetHop.id } : {}),
  };
}

/** Why a round trip failed: the forward drop, or the reply's drop. */
export function roundTripFailure(path: TracedPath): DecisiveHop {
  const f = failingDecision(path);
  return decisiveOf(f, f.leg);
}

/** `vpce-a -> vpce-b` or `none`. */
export function endpointsText(endpoints: string[]): string {
  return endpoints.length ? endpoints.join(' -> ') : 'no firewall endpoint';
}
