import type { Config } from 'jest';

const moduleNameMapper = {
  '^@serv/core$': '<rootDir>/packages/core/src/index.ts',
  '^@serv/websocket$': '<rootDir>/packages/websocket/src/index.ts',
  '^@serv/cli$': '<rootDir>/packages/cli/src/index.ts',
};

const project = (name: string, roots: string[]): Config => ({
  displayName: name,
  rootDir: '.',
  roots,
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', isolatedModules: false }] },
  moduleNameMapper,
  setupFiles: ['reflect-metadata'],
});

const config: Config = {
  projects: [
    project('core', ['<rootDir>/packages/core/test']),
    project('websocket', ['<rootDir>/packages/websocket/test']),
    project('cli', ['<rootDir>/packages/cli/test']),
    project('examples', ['<rootDir>/examples']),
    project('scripts', ['<rootDir>/scripts']),
    project('security', ['<rootDir>/test/security']),
  ],
};

export default config;
