/**
 * Typed StackReference reader (docs/contracts.md). A stack in env X reads `tgw` and `inspection` in env X.
 *
 * Values are awaited as plain data (StackReference outputs are known in previews too), so a program
 * can validate them before it registers any resource: a missing upstream output fails with the stack
 * and output named, and a spoke outside the supernet fails before anything is created.
 */
import * as pulumi from '@pulumi/pulumi';

export function stackReferenceName(project: string): string {
  return `${pulumi.getOrganization()}/${project}/${pulumi.getStack()}`;
}

/**
 * Reads `keys` (each required) and `optionalKeys` (taken when present) of the stack `project` in
 * this environment.
 */
export async function readStackOutputs<T extends object>(
  project: string,
  keys: readonly (keyof T & string)[],
  optionalKeys: readonly (keyof T & string)[] = [],
): Promise<T> {
  const name = stackReferenceName(project);
  const ref = new pulumi.StackReference(name, { name });
  const values: Record<string, unknown> = {};
  for (const key of [...keys, ...optionalKeys]) {
    const details = await ref.getOutputDetails(key);
    const value = details.value ?? details.secretValue;
    if (value !== undefined && value !== null) values[key] = value;
  }
  return requireOutputs<T>(name, values, keys);
}

/** Throws naming the stack and every missing output. */
export function requireOutputs<T>(
  stack: string,
  outputs: Record<string, unknown>,
  keys: readonly string[],
): T {
  const missing = keys.filter((k) => outputs?.[k] === undefined || outputs?.[k] === null);
  if (missing.length > 0) {
    throw new Error(
      `stack ${stack} is missing output(s) ${missing.join(', ')}; deploy it first (deploy order: tgw -> inspection -> spokes)`,
    );
  }
  return outputs as T;
}
