// The reliability suite (test/reliability, docs/reliability.md): `npm run test:reliability`.
// Same transform and module mapping as jest.config.js; only its own suites, which `npm test`
// leaves out. RELIABILITY_SCALE sizes it (default 1: CI's small form).
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/test/reliability/**/*.reliability.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // A scenario is a sequence of backups under faults: minutes at a large scale, not seconds.
  testTimeout: 30 * 60 * 1000,
};
