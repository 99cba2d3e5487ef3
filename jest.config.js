// Hermetic tier: in-process servers only (node http/tls, ssh2's server, PGlite). Runs on any machine with Node.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: [151002] } }] },
  testMatch: ['**/__tests__/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '\\.lab\\.test\\.ts$', '/dist/'],
  // Workflow commands and console reports the code under test prints are kept, not shown.
  setupFiles: ['<rootDir>/test-support/quiet-stdout.ts'],
  testTimeout: 30000,
  maxWorkers: 2,
  // The failing tests again at the very end, however few suites ran: CI logs are read from the tail.
  reporters: [['default', { summaryThreshold: 0 }]]
};
