import { createRequire } from 'node:module';
import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { localFunctionArn } from '../../lambdas/shared/functions.ts';
import { loadStateMachineDefinition } from '../../local/state-machine.ts';

/**
 * The real ASL file, run by aws-local-stepfunctions. The Lambda tasks are replaced by scripted
 * stand-ins here because the thing under test is the workflow's own Retry/Catch/flow logic; the
 * real handlers are driven through the same ASL in the integration suite.
 */
const require = createRequire(import.meta.url);
const validate = require('asl-validator') as (d: unknown, o?: unknown) => { isValid: boolean; errors: unknown[] };

class NamedError extends Error {
  constructor(name: string, message = name) {
    super(message);
    this.name = name;
  }
}

type Script = Record<string, (input: any) => unknown>;

async function run(script: Script) {
  const definition = await loadStateMachineDefinition();
  const sm = new StateMachine(definition as never, { validationOptions: { checkArn: false, checkPaths: false } });
  const calls: string[] = [];
  const overrides = Object.fromEntries(
    ['ValidateClaim', 'ClassifyClaim', 'SendAcknowledgement', 'AwaitAssessment'].map((state) => [
      state,
      async (input: any) => {
        calls.push(state);
        const fn = script[state];
        return fn ? fn(input) : { ok: true };
      },
    ]),
  );
  const execution = sm.run(
    { claimId: 'claim-1' },
    {
      overrides: {
        taskResourceLocalHandlers: overrides,
        retryIntervalOverrides: { ValidateClaim: 0, ClassifyClaim: 0, SendAcknowledgement: 0, AwaitAssessment: 0 },
      },
      context: { Task: { Token: 'token-1' } },
    },
  );
  try {
    return { result: await execution.result, calls, error: undefined as any };
  } catch (error) {
    return { result: undefined, calls, error: error as any };
  }
}

describe('claim-lifecycle.asl.json', () => {
  it('is valid ASL with every substitution resolved', async () => {
    const definition = await loadStateMachineDefinition();
    const verdict = validate(definition, { checkArn: true, checkPaths: true });
    expect(verdict.errors).toEqual([]);
    expect(JSON.stringify(definition)).toContain(localFunctionArn('ValidateClaim'));
  });

  it('runs intake in order and parks on the assessment task with a token', async () => {
    let awaitPayload: any;
    const { result, calls } = await run({
      AwaitAssessment: (input) => {
        awaitPayload = input;
        return { Payload: { decision: 'assessed' } };
      },
    });
    expect(calls).toEqual(['ValidateClaim', 'ClassifyClaim', 'SendAcknowledgement', 'AwaitAssessment']);
    expect(awaitPayload).toEqual({
      FunctionName: localFunctionArn('AwaitAssessment'),
      Payload: { claimId: 'claim-1', taskToken: 'token-1' },
    });
    expect(result).toMatchObject({ claimId: 'claim-1', validation: { ok: true } });
  });

  it('retries a transient failure by name and carries on', async () => {
    let attempts = 0;
    const { result, calls } = await run({
      ValidateClaim: () => {
        attempts += 1;
        if (attempts < 3) throw new NamedError('TransientDependencyError');
        return { blocked: false };
      },
    });
    expect(attempts).toBe(3);
    expect(calls.filter((c) => c === 'ValidateClaim')).toHaveLength(3);
    expect(result).toMatchObject({ validation: { blocked: false } });
  });

  it('retries an optimistic-locking conflict', async () => {
    let attempts = 0;
    const { error } = await run({
      ClassifyClaim: () => {
        attempts += 1;
        if (attempts === 1) throw new NamedError('VersionConflictError');
        return { severityBand: 'low' };
      },
    });
    expect(error).toBeUndefined();
    expect(attempts).toBe(2);
  });

  it('gives up after the retry budget and fails with a named workflow error', async () => {
    const { error, calls } = await run({
      ValidateClaim: () => {
        throw new NamedError('TransientDependencyError');
      },
    });
    expect(calls.filter((c) => c === 'ValidateClaim')).toHaveLength(5); // 1 + MaxAttempts 4
    expect(error?.name ?? error?.error).toMatch(/ClaimWorkflowFailed|ExecutionError|FailStateError/);
    expect(calls).not.toContain('ClassifyClaim');
  });

  it('does not retry a non-transient error and stops at IntakeFailed', async () => {
    const { error, calls } = await run({
      ClassifyClaim: () => {
        throw new NamedError('ValidationError');
      },
    });
    expect(calls).toEqual(['ValidateClaim', 'ClassifyClaim']);
    expect(error).toBeDefined();
  });

  it('still waits for assessment when the acknowledgement cannot be sent', async () => {
    const { calls, error } = await run({
      SendAcknowledgement: () => {
        throw new NamedError('MessageRejected');
      },
    });
    expect(error).toBeUndefined();
    expect(calls).toEqual(['ValidateClaim', 'ClassifyClaim', 'SendAcknowledgement', 'AwaitAssessment']);
  });
});
