// ESM all the way: NestJS 12 is ESM-only, so jest runs under --experimental-vm-modules
// (see docs/decisions.md). @swc/jest compiles TS with decorator metadata, which Nest DI needs.
const swcConfig = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2023',
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swcConfig] },
  moduleNameMapper: {
    '^#catalog-model$': '<rootDir>/libs/catalog-model/src/index.ts',
    '^#cloud-auth$': '<rootDir>/libs/cloud-auth/src/index.ts',
    '^#archive$': '<rootDir>/libs/archive/src/index.ts',
    '^#connectors$': '<rootDir>/libs/connectors/src/index.ts',
    '^#catalog$': '<rootDir>/libs/catalog/src/index.ts',
    '^#vendor-sim$': '<rootDir>/apps/vendor-sim/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts'],
  // test/reliability runs with its own config (npm run test:reliability): minutes, not seconds.
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/test/reliability/'],
  testTimeout: 60000,
};
