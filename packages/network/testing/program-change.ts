/**
 * Test helper: run the real stack programs as if someone had edited them, without touching the
 * files. `changeRegistrations` intercepts the SDK's resource registration (the step between a
 * resource's constructor and the resource monitor), so a changed input reaches everything
 * downstream exactly like an edited program would: the mock cloud's account, the snapshot, and
 * the registration the policy pack is given.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeResource = require('@pulumi/pulumi/runtime/resource') as {
  registerResource: (...args: unknown[]) => void;
};

/** Index of `props` and of the type token in `registerResource(res, parent, t, name, custom, remote, newDependency, props, ...)`. */
const TYPE_ARG = 2;
const NAME_ARG = 3;
const PROPS_ARG = 7;

export type RegistrationChange = (type: string, name: string, props: Record<string, unknown>) => void;

/**
 * Runs `fn` with `change` applied to the inputs of every resource registered meanwhile (mutate
 * `props`), and restores the SDK afterwards.
 */
export async function changeRegistrations<T>(change: RegistrationChange, fn: () => Promise<T>): Promise<T> {
  const original = runtimeResource.registerResource;
  runtimeResource.registerResource = (...args: unknown[]) => {
    change(args[TYPE_ARG] as string, args[NAME_ARG] as string, args[PROPS_ARG] as Record<string, unknown>);
    return original(...args);
  };
  try {
    return await fn();
  } finally {
    runtimeResource.registerResource = original;
  }
}
