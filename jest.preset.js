// Shared Jest settings for every Nx project. ts-jest only transpiles (isolatedModules in
// tsconfig.base.json); `npm run typecheck` is the type gate, which keeps test runs fast.
const path = require('path');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.base.json') }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['**/?(*.)test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  // Whole environments run under the mock cloud in some hooks; on a loaded 2-core machine they can
  // take longer than Jest's 5 s default. No test asserts timing (the benchmark does).
  testTimeout: 60_000,
};
