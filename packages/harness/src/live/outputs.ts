/** Typed access to stack outputs: a missing output fails with the stack and key, not later with `undefined`. */
import {
  INSPECTION_OUTPUT_KEYS,
  type InspectionOutputs,
  SPOKE_OUTPUT_KEYS,
  type SpokeOutputs,
  TGW_OUTPUT_KEYS,
  type TgwOutputs,
} from '@hubspoke/network/src/contracts';

function requireKeys<T>(
  outputs: Record<string, unknown> | undefined,
  keys: readonly (keyof T)[],
  stack: string,
): T {
  if (!outputs) throw new Error(`${stack}: no outputs (was it deployed?)`);
  const missing = keys.filter((k) => outputs[k as string] === undefined || outputs[k as string] === null);
  if (missing.length > 0) throw new Error(`${stack}: missing output(s) ${missing.join(', ')}`);
  return outputs as T;
}

export const tgwOutputs = (o: Record<string, unknown> | undefined, stack: string): TgwOutputs =>
  requireKeys(o, TGW_OUTPUT_KEYS, stack);
export const inspectionOutputs = (o: Record<string, unknown> | undefined, stack: string): InspectionOutputs =>
  requireKeys(o, INSPECTION_OUTPUT_KEYS, stack);
export const spokeOutputs = (o: Record<string, unknown> | undefined, stack: string): SpokeOutputs =>
  requireKeys(o, SPOKE_OUTPUT_KEYS, stack);
