/**
 * @hubspoke/stack-testing: the stack programs of `apps/` run under the mock cloud, for tests. It
 * sits above `@hubspoke/network` (the programs) and `@hubspoke/mock-cloud` (the account they run
 * against), so neither of those depends on the other's tests.
 *
 *   describeSpokeStack(__dirname);                      // a stack project's whole index.test.ts
 *   const run = await runEnvironment({ env: 'org' });   // every program of an env, inputs recorded
 */
export * from './run-environment';
export { describeInspectionStack, describeSpokeStack, describeTgwStack } from './stack-suites';
