/** Every runtime export of the live path (loads the AWS SDK clients); see index.ts. */
export * from './index';
export * from './account-snapshot';
export * from './aws-clients';
export * from './availability-zones';
export * from './aws-snapshot';
export * from './e2e';
export * from './live-checks';
export * from './preflight';
export * from './readiness';
export * from './ssm-probe';
export * from './sweep';
