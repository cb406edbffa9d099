/**
 * @hubspoke/mock-cloud: Pulumi mocks that behave like the AWS region (one account or several) a
 * whole environment deploys into, a runner that executes the stack programs under it in
 * dependency order, and the conversion of the state into the network snapshot
 * (docs/snapshot-format.md).
 */
export {
  MockCloud,
  RESOURCE_HANDLERS,
  STACK_REFERENCE_TYPE,
  AWS_PROVIDER_TYPE,
  COMPONENT_PREFIX,
  DIY_ORGANIZATION,
  pulumiRuntimeContext,
} from './mock-cloud';
export type {
  MockCloudOptions,
  MockCloudFailure,
  MocksOptions,
  FailureMode,
  StackContext,
  RegistrationArgs,
} from './mock-cloud';
export type { MockResourceRecord, ChildRegistration, ChildKey } from './handler';
export { registrationOf, readOf } from './registrations';
export type {
  ResourceRegistration,
  RegisterRequest,
  RegisterResponse,
  ReadRequest,
  ReadResponse,
} from './registrations';
export { Account } from './account';
export { MockCloudError } from './errors';
export { INVOKES } from './invokes';
export { ACCOUNT_ID } from './ids';
export { availabilityZones, knownRegions } from './regions';
export { toApiShape } from './firewall';
export { loadEnvironment, loadStack, loadProgram, runProgram, runStacks, configStrings } from './runner';
export type { StackSpec, MockCloudRun, ProgressEvent, RunStacksOptions, StackProgram } from './runner';
