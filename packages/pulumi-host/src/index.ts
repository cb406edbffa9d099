/**
 * @hubspoke/pulumi-host: runs stack programs the way `pulumi preview` / `pulumi up` does, through
 * `@pulumi/pulumi`'s own language-host entry in a process of their own, against a local engine
 * stand-in (ResourceMonitor + Engine gRPC services) that answers from the mock cloud account.
 */
export { runEnvironment, EnvironmentRunError } from './environment';
export type { EnvironmentRun, EnvironmentRunOptions, HostProgressEvent } from './environment';
export { runStack, projectDirOf } from './stack-run';
export type { StackRun, StackRunOptions } from './stack-run';
export { InterruptedError, PulumiHostError, StackRunError } from './errors';
export type { RunMode } from './errors';
export type { RegistrationObserver, ResourceToCreate, RegistrationFailure } from './monitor';
export type { RegisteredResource } from './registry';
export type { LogEntry } from './engine-service';
export { readProjectRuntime } from './project';
export type { ProjectRuntime } from './project';
export { languageHostCommand, locateRunModule } from './language-host';
