import type { TestProject } from 'vitest/node';
import { startLocalStack } from '../../local/stack.ts';

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
  });
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
