/**
 * The live path (DESIGN 1, issue 4): ephemeral environments over the Automation API, readiness
 * gates, the SSM probe, the AWS snapshot reader and the sweeper.
 */
export * from './aws-clients';
export * from './aws-snapshot';
export * from './cancellation';
export * from './clock';
export * from './e2e';
export * from './env-name';
export * from './environment';
export * from './errors';
export * from './live-checks';
export * from './outputs';
export * from './preflight';
export * from './probe-script';
export * from './progress';
export * from './projects';
export * from './readiness';
export * from './retry';
export * from './ssm-probe';
export * from './stack-driver';
export * from './sweep';
// The Automation API driver is imported from './live/pulumi-driver' by the CLI only: it loads the
// Pulumi SDK, which offline users of this package (verify, trace) should not pay for.
