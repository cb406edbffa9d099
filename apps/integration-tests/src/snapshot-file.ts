/**
 * Reads a snapshot JSON file (docs/snapshot-format.md) and checks its shape before the model sees it, so a
 * hand-edited or truncated file fails with the member and index at fault instead of a TypeError
 * deep in the tracer.
 */
import { readFileSync } from 'node:fs';
import { SNAPSHOT_MEMBER_SHAPES, type NetworkSnapshot, type SnapshotMemberShape } from '@hubspoke/netmodel';
import { InputError } from './errors';

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
  const shapes: Readonly<Record<string, SnapshotMemberShape>> = SNAPSHOT_MEMBER_SHAPES;
  for (const [key, value] of Object.entries(obj)) {
    const shape = Object.hasOwn(shapes, key) ? shapes[key] : undefined;
    if (!shape) fail(key, `unknown member (expected one of ${Object.keys(shapes).join(', ')})`);
    if (shape?.kind === 'string') {
      if (typeof value !== 'string') fail(key, `expected a string, got ${kind(value)}`);
      continue;
    }
    if (shape?.kind === 'keyed') {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        fail(key, `expected an object keyed by ${shape.keyedBy}, got ${kind(value)}`);
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
    // The field each id path starts with (`Firewall` of `Firewall.FirewallArn`): one must be there.
    const idFields = shape?.kind === 'list' ? shape.id.map((p) => p.split('.')[0]) : [];
    (value as unknown[]).forEach((el, i) => {
      if (typeof el !== 'object' || el === null || Array.isArray(el))
        fail(`${key}[${i}]`, `expected an object, got ${kind(el)}`);
      if (idFields.length > 0 && idFields.every((f) => (el as Record<string, unknown>)[f] === undefined)) {
        const others = idFields
          .slice(1)
          .map((f) => `, and so is ${f}`)
          .join('');
        fail(
          `${key}[${i}].${idFields[0]}`,
          `missing${others} (is this ${key} element shaped as the AWS response?)`,
        );
      }
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
