export * from './snapshot';
export * from './trace-types';
export * from './firewall';
export { buildHubSpokeSnapshot, spokeName, DEFAULT_ALLOWED_DOMAINS } from './testing/fixture-builder';
export type { HubSpokeFixtureOptions } from './testing/fixture-builder';
