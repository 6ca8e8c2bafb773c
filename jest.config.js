/** Jest runs every package's tests against the TypeScript sources (no build needed); `tsc` type-checks them. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/test', '<rootDir>/examples'],
  testMatch: ['**/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', isolatedModules: true }],
  },
  moduleNameMapper: {
    '^@tracery/core$': '<rootDir>/packages/core/src/index.ts',
    '^@tracery/core/testing$': '<rootDir>/packages/core/src/testing/index.ts',
    '^@tracery/exporters$': '<rootDir>/packages/exporters/src/index.ts',
    '^@tracery/fc$': '<rootDir>/packages/fc/src/index.ts',
  },
  testTimeout: 20000,
};
