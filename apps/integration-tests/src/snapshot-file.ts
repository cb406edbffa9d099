/**
 * Reads a snapshot JSON file (docs/snapshot-format.md) and checks its shape before the model sees it, so a
 * hand-edited or truncated file fails with the member and index at fault instead of a TypeError
 * deep in the tracer.
 */
import { readFileSync } from 'node:fs';
import { SNAPSHOT_KEYED_BY, SNAPSHOT_MEMBERS, type NetworkSnapshot } from '@hubspoke/netmodel';
import { InputError } from './errors';

/** Members keyed by an id (TGW route table, prefix list), whose values are arrays. */
const KEYED: Readonly<Record<string, string>> = SNAPSHOT_KEYED_BY;
/** The id field each array member's elements must carry (catches a whole response pasted in). */
const ID_FIELD: Partial<Record<string, string>> = {
  Vpcs: 'VpcId',
  Subnets: 'SubnetId',
  RouteTables: 'RouteTableId',
  InternetGateways: 'InternetGatewayId',
  NatGateways: 'NatGatewayId',
  VpcEndpoints: 'VpcEndpointId',
  SecurityGroups: 'GroupId',
  NetworkAcls: 'NetworkAclId',
  NetworkInterfaces: 'NetworkInterfaceId',
  Instances: 'InstanceId',
  TransitGateways: 'TransitGatewayId',
  TransitGatewayAttachments: 'TransitGatewayAttachmentId',
  TransitGatewayVpcAttachments: 'TransitGatewayAttachmentId',
  TransitGatewayRouteTables: 'TransitGatewayRouteTableId',
  Firewalls: 'Firewall',
  FirewallPolicies: 'FirewallPolicyResponse',
  RuleGroups: 'RuleGroupResponse',
  VpcAttributes: 'VpcId',
  ManagedPrefixLists: 'PrefixListId',
  VpcPeeringConnections: 'VpcPeeringConnectionId',
};

const kind = (v: unknown): string =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'an array'
      : typeof v === 'object'
        ? 'an object'
        : `${typeof v} ${JSON.stringify(v)}`;

export function loadSnapshotFile(file: string): NetworkSnapshot {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(
      `snapshot ${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(`snapshot ${file}: not valid JSON: ${(e as Error).message}`);
  }
  return validateSnapshot(data, file);
}

export function validateSnapshot(data: unknown, file: string): NetworkSnapshot {
  const fail = (field: string, msg: string): never => {
    throw new InputError(`snapshot ${file}: ${field}: ${msg}`);
  };
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return fail('(root)', `expected an object, got ${kind(data)}`);
  const obj = data as Record<string, unknown>;
  for (const [key, value] of Object.entries(obj)) {
    if (!(SNAPSHOT_MEMBERS as readonly string[]).includes(key))
      fail(key, `unknown member (expected one of ${SNAPSHOT_MEMBERS.join(', ')})`);
    if (key === 'Region') {
      if (typeof value !== 'string') fail(key, `expected a string, got ${kind(value)}`);
      continue;
    }
    if (KEYED[key]) {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        fail(key, `expected an object keyed by ${KEYED[key]}, got ${kind(value)}`);
      for (const [rtb, list] of Object.entries(value as Record<string, unknown>)) {
        if (!Array.isArray(list)) fail(`${key}.${rtb}`, `expected an array, got ${kind(list)}`);
        (list as unknown[]).forEach(
          (el, i) =>
            (typeof el === 'object' && el !== null && !Array.isArray(el)) ||
            fail(`${key}.${rtb}[${i}]`, `expected an object, got ${kind(el)}`),
        );
      }
      continue;
    }
    if (!Array.isArray(value))
      fail(key, `expected an array (the ${key} member of the AWS response), got ${kind(value)}`);
    const idField = ID_FIELD[key];
    (value as unknown[]).forEach((el, i) => {
      if (typeof el !== 'object' || el === null || Array.isArray(el))
        fail(`${key}[${i}]`, `expected an object, got ${kind(el)}`);
      if (idField && (el as Record<string, unknown>)[idField] === undefined)
        fail(`${key}[${i}].${idField}`, `missing (is this ${key} element shaped as the AWS response?)`);
      if (key === 'VpcAttributes') checkVpcAttributes(el as Record<string, unknown>, `${key}[${i}]`, fail);
    });
  }
  return obj as NetworkSnapshot;
}

/** `{VpcId, EnableDnsSupport: {Value}, EnableDnsHostnames: {Value}}`: two DescribeVpcAttribute responses merged. */
function checkVpcAttributes(
  el: Record<string, unknown>,
  where: string,
  fail: (field: string, msg: string) => never,
): void {
  for (const attr of ['EnableDnsSupport', 'EnableDnsHostnames']) {
    const v = (el[attr] as { Value?: unknown } | undefined)?.Value;
    if (typeof v !== 'boolean')
      fail(
        `${where}.${attr}.Value`,
        `expected true or false (the DescribeVpcAttribute response), got ${kind(v)}`,
      );
  }
}
