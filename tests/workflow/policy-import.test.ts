import { createRequire } from 'node:module';
import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { TransientDependencyError } from '../../lambdas/core/errors.ts';
import { localFunctionArn } from '../../lambdas/shared/functions.ts';
import { POLICY_IMPORT_STATE_MACHINE } from '../../lambdas/task-functions.ts';
import { loadStateMachineDefinition } from '../../local/state-machine.ts';

/**
 * The real policy-import ASL, run by aws-local-stepfunctions with the ImportPolicies steps
 * scripted: the loop over chunks, its Retry, and the failure path that marks the import failed
 * (the real handler behind both states runs in tests/integration/policy-import.int.test.ts).
 */
const require = createRequire(import.meta.url);
const validate = require('asl-validator') as (
  d: unknown,
  o?: unknown,
) => { isValid: boolean; errors: unknown[] };

const TASKS = ['ImportChunk', 'RecordFailure'] as const;
type Task = (typeof TASKS)[number];
const FILE = { bucket: 'imports-bucket', key: 'incoming/p.csv', etag: 'e1' };

async function run(script: Partial<Record<Task, (input: any, call: number) => unknown>>) {
  const definition = await loadStateMachineDefinition(POLICY_IMPORT_STATE_MACHINE.file);
  const sm = new StateMachine(definition as never, {
    validationOptions: { checkArn: false, checkPaths: false },
  });
  const calls: Task[] = [];
  const inputs: Partial<Record<Task, unknown[]>> = {};
  const overrides = Object.fromEntries(
    TASKS.map((state) => [
      state,
      async (input: any) => {
        calls.push(state);
        inputs[state] = [...(inputs[state] ?? []), input];
        const n = calls.filter((c) => c === state).length;
        return (script[state] ? await script[state](input, n) : { ...input, done: true }) as never;
      },
    ]),
  );
  const execution = sm.run(FILE, {
    overrides: {
      taskResourceLocalHandlers: overrides,
      retryIntervalOverrides: Object.fromEntries(TASKS.map((t) => [t, 0])),
    },
  });
  try {
    return { result: (await execution.result) as any, calls, inputs, error: undefined as any };
  } catch (error) {
    return { result: undefined, calls, inputs, error: error as any };
  }
}

describe('policy-import.asl.json', () => {
  it('is valid ASL, both steps calling the ImportPolicies function', async () => {
    const definition = await loadStateMachineDefinition(POLICY_IMPORT_STATE_MACHINE.file);
    expect(validate(definition, { checkArn: true, checkPaths: true }).errors).toEqual([]);
    const states = (definition as { States: Record<string, { Resource?: string }> }).States;
    expect(states.ImportChunk?.Resource).toBe(localFunctionArn('ImportPolicies'));
    expect(states.RecordFailure?.Resource).toBe(localFunctionArn('ImportPolicies'));
  });

  it('calls the chunk step until it is done', async () => {
    const { calls, error } = await run({
      ImportChunk: (input, n) => ({ ...input, importId: 'i1', done: n === 3 }),
    });
    expect(error).toBeUndefined();
    expect(calls).toEqual(['ImportChunk', 'ImportChunk', 'ImportChunk']);
  });

  it('retries a transient failure, then goes on', async () => {
    const { calls, error } = await run({
      ImportChunk: (input, n) => {
        if (n === 1) throw new TransientDependencyError('throttled');
        return { ...input, done: true };
      },
    });
    expect(error).toBeUndefined();
    expect(calls).toEqual(['ImportChunk', 'ImportChunk']);
  });

  it('a chunk that fails for good has the import marked failed, then the execution fails', async () => {
    const { calls, inputs, error } = await run({
      ImportChunk: () => {
        throw new Error('ValidationException');
      },
    });
    expect(calls).toEqual(['ImportChunk', 'RecordFailure']);
    expect(inputs.RecordFailure?.[0]).toEqual({
      ...FILE,
      failed: expect.objectContaining({ Error: 'Error' }),
    });
    expect(error?.cause?.name).toBe('PolicyImportFailed');
  });

  it('still ends failed when recording the failure fails too', async () => {
    const { calls, error } = await run({
      ImportChunk: () => {
        throw new Error('boom');
      },
      RecordFailure: () => {
        throw new Error('table gone');
      },
    });
    expect(calls).toEqual(['ImportChunk', 'RecordFailure']);
    expect(error?.cause?.name).toBe('PolicyImportFailed');
  });
});
