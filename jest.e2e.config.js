/**
 * The end-to-end suite (`npm run test:e2e`): test/e2e/**\/*.e2e.test.ts against a real Jaeger, which the
 * global setup builds first when it is not in the cache (see test/e2e/jaeger/build.sh). Not part of `npm test`.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.e2e.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  globalSetup: '<rootDir>/test/e2e/jaeger/globalSetup.ts',
  // one file at a time: each starts its own Jaeger, and the machine has two cores
  maxWorkers: 1,
  testTimeout: 60000,
};
