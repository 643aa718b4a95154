import {
  ExecutionAlreadyExists,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { DomainError } from '../core/errors.ts';
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

/** Resumes a workflow parked on a task token. */
export async function resumeWorkflow(taskToken: string, output: unknown): Promise<void> {
  try {
    await sfn().send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
  } catch (e) {
    if (e instanceof TaskDoesNotExist || e instanceof TaskTimedOut) {
      throw new DomainError('WORKFLOW_NOT_WAITING', 'The workflow is no longer waiting for this step');
    }
    throw e;
  }
}

export async function failWorkflowTask(taskToken: string, error: string, cause: string): Promise<void> {
  await sfn().send(new SendTaskFailureCommand({ taskToken, error, cause }));
}
