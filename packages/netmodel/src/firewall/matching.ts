/**
 * Address and port expressions resolved against a rule group's variables into predicates.
 * Group semantics follow Suricata: `[a, b, !c]` matches (a or b) and not c; a group of only
 * negations matches everything not negated.
 */
import type { AddressExpr, PortExpr } from './rule-model';
import { ipBlockContains, parseIpBlock, parseIp, type IpAddress } from '../ip/cidr';

export interface VariableScope {
  ipSets: ReadonlyMap<string, AddressExpr>;
  portSets: ReadonlyMap<string, PortExpr>;
}

export type IpPredicate = (ip: IpAddress) => boolean;
export type PortPredicate = (port: number | undefined) => boolean;

export class UnknownVariableError extends Error {}

export function compileAddress(
  expr: AddressExpr,
  scope: VariableScope,
  seen: readonly string[] = [],
): IpPredicate {
  switch (expr.kind) {
    case 'any':
      return () => true;
    case 'cidr': {
      const block = parseIpBlock(expr.cidr, { hostBits: 'clear' });
      if (!block) throw new Error(`invalid CIDR "${expr.cidr}"`);
      return (ip) => ipBlockContains(block, ip);
    }
    case 'var': {
      const value = scope.ipSets.get(expr.name);
      if (!value) throw new UnknownVariableError(`unknown variable "$${expr.name}"`);
      if (seen.includes(expr.name)) throw new Error(`variable "$${expr.name}" refers to itself`);
      return compileAddress(value, scope, [...seen, expr.name]);
    }
    case 'not': {
      const inner = compileAddress(expr.expr, scope, seen);
      return (ip) => !inner(ip);
    }
    case 'group':
      return compileGroup(
        expr.items,
        (item) =>
          item.kind === 'not' ? { negated: true, inner: item.expr } : { negated: false, inner: item },
        (item) => compileAddress(item, scope, seen),
      );
  }
}

/** Ports are undefined for ICMP: only `any` (or a negation of something) can match them. */
export function compilePort(
  expr: PortExpr,
  scope: VariableScope,
  seen: readonly string[] = [],
): PortPredicate {
  switch (expr.kind) {
    case 'any':
      return () => true;
    case 'range':
      return (port) => port !== undefined && port >= expr.from && port <= expr.to;
    case 'var': {
      const value = scope.portSets.get(expr.name);
      if (!value) throw new UnknownVariableError(`unknown variable "$${expr.name}"`);
      if (seen.includes(expr.name)) throw new Error(`variable "$${expr.name}" refers to itself`);
      return compilePort(value, scope, [...seen, expr.name]);
    }
    case 'not': {
      const inner = compilePort(expr.expr, scope, seen);
      return (port) => port !== undefined && !inner(port);
    }
    case 'group':
      return compileGroup(
        expr.items,
        (item) =>
          item.kind === 'not' ? { negated: true, inner: item.expr } : { negated: false, inner: item },
        (item) => compilePort(item, scope, seen),
      );
  }
}

function compileGroup<E, V>(
  items: readonly E[],
  split: (item: E) => { negated: boolean; inner: E },
  compile: (item: E) => (value: V) => boolean,
): (value: V) => boolean {
  const positives: ((value: V) => boolean)[] = [];
  const negatives: ((value: V) => boolean)[] = [];
  for (const item of items) {
    const { negated, inner } = split(item);
    (negated ? negatives : positives).push(compile(inner));
  }
  return (value) =>
    (positives.length === 0 || positives.some((p) => p(value))) && !negatives.some((n) => n(value));
}

export function ipOf(text: string): IpAddress {
  const ip = parseIp(text);
  if (!ip) throw new Error(`invalid IP address "${text}"`);
  return ip;
}
