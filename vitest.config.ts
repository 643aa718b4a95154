import { defineConfig } from 'vitest/config';

// Test levels (HOUSE_STYLE §9): unit = pure core, integration = adapters/handlers against the local
// stand-ins, workflow = the real ASL run locally, infra = CDK template assertions + cdk-nag,
// e2e = headless Chromium against the running local stack (needs Debian's chromium).
export default defineConfig({
  test: {
    // Integration, workflow and e2e suites share one local stack; run files one at a time (2 cores).
    fileParallelism: false,
    setupFiles: ['./local/polyfills.mjs'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.int.test.ts'],
          globalSetup: ['./tests/helpers/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'workflow',
          include: ['tests/workflow/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Hostile input against the running local stack: authorization matrix, fuzzing, tokens.
        extends: true,
        test: {
          name: 'security',
          include: ['tests/security/**/*.test.ts'],
          globalSetup: ['./tests/helpers/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Load, injected faults and restarts; each file starts the stand-ins it needs.
        extends: true,
        test: {
          name: 'resilience',
          include: ['tests/resilience/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 120_000,
        },
      },
      { extends: true, test: { name: 'infra', include: ['tests/infra/**/*.test.ts'], testTimeout: 120_000 } },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.e2e.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
