// Lab tier: real OpenSSH, PostgreSQL, Docker + compose, nginx, NATS, TLS servers. `npm run lab up` first
// (.ci/run does it); every lab test fails loudly when the lab is not up — none skips itself.
import base from './jest.config.js';

/** @type {import('jest').Config} */
export default {
  ...base,
  testMatch: ['**/__tests__/**/*.lab.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 120000,
  maxWorkers: 1
};
