import type { TestProject } from 'vitest/node';
import { startLocalStack } from '../../local/stack.ts';
import { userIdFor } from '../../local/demo-data.ts';
import { changeQuotas } from '../../lambdas/app/configuration.ts';
import { DEFAULT_QUOTAS } from '../../lambdas/core/quotas.ts';
import { systemClock } from '../../lambdas/core/time.ts';

/**
 * The one test-stack override of a real default: the suites file far more than a day's quota of
 * claims (core/quotas.ts DEFAULT_QUOTAS) for the three demo customers, so this stack's admin raises
 * the claims quota the way an admin would (an audited QUOTAS configuration version).
 * tests/integration/quotas.int.test.ts puts the defaults back in force while it runs.
 */
/**
 * The test stacks refer to the SIU at 6 red flags instead of the rule's 3: their few customers
 * file hundreds of claims with the same details (see local/stack.ts `referralMinFlags`). The
 * 3-flag rule itself is tested in tests/unit (fraud rules) and on a stack of its own.
 */
export const TEST_REFERRAL_MIN_FLAGS = 6;
/**
 * …and on the score only above 0.95 (the model's threshold is about 0.13): a test claim's score moves
 * with the hour the suite runs and the claims filed before it, so the suites about other things
 * would end in the SIU queue at some hours. Referral itself is tested on red flags here and on the
 * score in tests/unit.
 */
export const TEST_REFERRAL_MIN_SCORE = 0.95;
export const TEST_STACK_QUOTAS = { ...DEFAULT_QUOTAS, claimsPerCustomerPerDay: 5_000 };

/**
 * Starts the whole local stack once for a test project (integration, workflow): DynamoDB Local,
 * s3rver, SES, SNS, Step Functions and Scheduler stand-ins, the API front door, demo data.
 * Test workers get its environment, so handler code they import talks to the same stand-ins.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    stack: {
      apiUrl: string;
      mailUrl: string;
      inboxUrl: string;
      schedulerUrl: string;
      env: Record<string, string>;
    };
  }
}

export default async function setup(project: TestProject) {
  const stack = await startLocalStack({
    apiPort: 0,
    webPort: 0,
    retryIntervalOverrideMs: 0,
    quiet: process.env.STACK_QUIET !== 'false',
    referralMinFlags: TEST_REFERRAL_MIN_FLAGS,
    referralMinScore: TEST_REFERRAL_MIN_SCORE,
  });
  await changeQuotas(
    { userId: userIdFor('admin'), username: 'admin', roles: ['admin'], locale: 'vi' },
    { expectedVersion: 0, quotas: TEST_STACK_QUOTAS },
    systemClock,
  );
  project.provide('stack', {
    apiUrl: stack.apiUrl,
    mailUrl: stack.mailUrl,
    inboxUrl: stack.inboxUrl,
    schedulerUrl: stack.schedulerUrl,
    env: stack.env,
  });
  return async () => {
    await stack.stop();
  };
}
