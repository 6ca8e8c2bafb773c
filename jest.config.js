/** Jest runs every package's tests against the TypeScript sources (no build needed); `tsc` type-checks them. */
const fs = require('node:fs');
const path = require('node:path');

module.exports = {
  testEnvironment: 'node',
  roots: ['packages', 'test', 'examples']
    .filter((dir) => fs.existsSync(path.join(__dirname, dir)))
    .map((dir) => `<rootDir>/${dir}`),
  // packages/core/test-standard: the TC39 (standard) decorator test project, compiled by its own tsconfig.
  testMatch: ['**/test/**/*.test.ts', '**/test-standard/**/*.test.ts'],
  // test/e2e: the real-Jaeger suite, run by `npm run test:e2e` (jest.e2e.config.js); test/peers: the peer
  // suite, run by `npm run test:peers` (jest.peers.config.js)
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/test/e2e/', '<rootDir>/test/peers/'],
  transform: {
    '/packages/core/test-standard/.+\\.ts$': '<rootDir>/packages/core/test-standard/jestTransformer.js',
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', isolatedModules: true }],
  },
  moduleNameMapper: {
    '^@tracery/commons$': '<rootDir>/packages/commons/src/index.ts',
    '^@tracery/core$': '<rootDir>/packages/core/src/index.ts',
    '^@tracery/core/testing$': '<rootDir>/packages/core/src/testing/index.ts',
    '^@tracery/core/inversify$': '<rootDir>/packages/core/src/inversify/index.ts',
    '^@tracery/core/provider$': '<rootDir>/packages/core/src/provider/index.ts',
    '^@tracery/exporters$': '<rootDir>/packages/exporters/src/index.ts',
    '^@tracery/exporters/(jaeger|otlp|zipkin)$': '<rootDir>/packages/exporters/src/$1/index.ts',
    '^@tracery/fc$': '<rootDir>/packages/fc/src/index.ts',
    '^@tracery/opentracing$': '<rootDir>/packages/opentracing/src/index.ts',
  },
  testTimeout: 20000,
};
