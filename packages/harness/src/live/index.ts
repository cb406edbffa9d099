/**
 * The live path (docs/live-e2e.md): ephemeral environments over the Automation API, readiness
 * gates, the SSM probe, the AWS snapshot reader and the sweeper.
 *
 * The package root re-exports this file, and `verify` / `trace` load the package root: so only
 * the SDK-free modules are loaded here, the AWS-SDK ones are exported as types. Code that runs the
 * live path loads `./all` (everything) on use; the Automation API driver is `./pulumi-driver`.
 */
export * from './accounts';
export * from './backend';
export * from './cancellation';
export * from './clock';
export * from './env-name';
export * from './environment';
export * from './errors';
export * from './outputs';
export * from './curl-verdict';
export * from './probe-script';
export * from './progress';
export * from './projects';
export * from './retry';
export * from './stack-driver';
export type * from './account-snapshot';
export type * from './aws-clients';
export type * from './availability-zones';
export type * from './aws-snapshot';
export type * from './e2e';
export type * from './live-checks';
export type * from './preflight';
export type * from './readiness';
export type * from './ssm-probe';
export type * from './sweep';
