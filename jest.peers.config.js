/**
 * The peer suite (`npm run test:peers`): test/peers/**\/*.peers.test.ts, Tracery against the reference tracers
 * of Python, Ruby and Node in their own processes. The global setup installs them first when missing (see
 * test/peers/setup.sh). Not part of `npm test`.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/peers'],
  testMatch: ['**/*.peers.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  globalSetup: '<rootDir>/test/peers/globalSetup.ts',
  // one file at a time: the machine has two cores, and each exchange is two processes already
  maxWorkers: 1,
  testTimeout: 60000,
};
