import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type { WorkflowSignal } from '../core/workflow-signals.ts';
import { sfn } from './aws-clients.ts';
import { env } from './env.ts';

/**
 * Starts the claim's lifecycle. The execution is named after the claim, so a retried start is a
 * no-op rather than a second workflow for the same claim.
 */
export async function startClaimWorkflow(claimId: string): Promise<string> {
  const stateMachineArn = env('CLAIM_STATE_MACHINE_ARN');
  try {
    const r = await sfn().send(
      new StartExecutionCommand({ stateMachineArn, name: claimId, input: JSON.stringify({ claimId }) }),
    );
    return r.executionArn ?? '';
  } catch (e) {
    if (e instanceof ExecutionAlreadyExists)
      return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${claimId}`;
    throw e;
  }
}

/**
 * Starts another execution for a claim whose first one ended (an appeal): named `name`, so a
 * retried start is a no-op; `entry` tells the state machine's Entry choice where to begin.
 */
export async function reopenClaimWorkflow(claimId: string, name: string, entry: 'appeal'): Promise<void> {
  try {
    await sfn().send(
      new StartExecutionCommand({
        stateMachineArn: env('CLAIM_STATE_MACHINE_ARN'),
        name,
        input: JSON.stringify({ claimId, entry }),
      }),
    );
  } catch (e) {
    if (!(e instanceof ExecutionAlreadyExists)) throw e;
  }
}

/**
 * Delivers one outbox signal. `already` when the workflow had it before: a task token that no
 * longer exists was used by an earlier delivery of the same signal (tokens are single-use), and a
 * start finds the execution named after the claim.
 */
export async function deliverSignal(
  claimId: string,
  signal: WorkflowSignal,
): Promise<'delivered' | 'already'> {
  try {
    switch (signal.kind) {
      case 'start':
        await startClaimWorkflow(claimId);
        return 'delivered';
      case 'resume':
        await sfn().send(
          new SendTaskSuccessCommand({ taskToken: signal.token, output: JSON.stringify(signal.output) }),
        );
        return 'delivered';
      case 'reopen':
        await reopenClaimWorkflow(claimId, signal.execution, signal.entry);
        return 'delivered';
      case 'fail':
        await sfn().send(
          new SendTaskFailureCommand({ taskToken: signal.token, error: signal.error, cause: signal.cause }),
        );
        return 'delivered';
    }
  } catch (e) {
    if (e instanceof TaskDoesNotExist || e instanceof TaskTimedOut || e instanceof InvalidToken)
      return 'already';
    throw e;
  }
}

/**
 * Starts the deadline re-planning run for one calendar change, named after it: a redelivered
 * `CalendarChanged` record starts none (the same name and input while it runs is the same
 * execution; once it ended, or with other input, Step Functions answers ExecutionAlreadyExists,
 * which means the change's run was started already).
 */
export async function startDeadlineReplan(
  name: string,
  input: Record<string, unknown>,
): Promise<'started' | 'already'> {
  const stateMachineArn = env('DEADLINE_REPLAN_STATE_MACHINE_ARN');
  try {
    await sfn().send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
    return 'started';
  } catch (e) {
    if (e instanceof ExecutionAlreadyExists) return 'already';
    throw e;
  }
}
