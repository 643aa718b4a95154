import { createRequire } from 'node:module';
import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { replanRunFor } from '../../lambdas/app/calendar-replan.ts';
import { TransientDependencyError, VersionConflictError } from '../../lambdas/core/errors.ts';
import { localFunctionArn } from '../../lambdas/shared/functions.ts';
import { DEADLINE_REPLAN_STATE_MACHINE } from '../../lambdas/task-functions.ts';
import { loadStateMachineDefinition } from '../../local/state-machine.ts';

/**
 * The real deadline-replan ASL, run by aws-local-stepfunctions with the ReplanDeadlines pages
 * scripted: the loop from cursor to cursor, its Retry, the end of a superseded run, and a failure
 * that fails the execution (what the DeadlineReplanFailed alarm counts). The real handler behind
 * the state runs in tests/integration/deadlines.int.test.ts.
 */
const require = createRequire(import.meta.url);
const validate = require('asl-validator') as (
  d: unknown,
  o?: unknown,
) => { isValid: boolean; errors: unknown[] };

/** The execution input ProcessClaimEvents starts a calendar change's run with. */
const START = replanRunFor({ seq: 7, hash: 'ab'.repeat(32), data: { version: 4 } }).input;

type Page = (input: any, call: number) => unknown;

async function run(page: Page) {
  const definition = await loadStateMachineDefinition(DEADLINE_REPLAN_STATE_MACHINE.file);
  const sm = new StateMachine(definition as never, {
    validationOptions: { checkArn: false, checkPaths: false },
  });
  const inputs: any[] = [];
  const execution = sm.run(START as never, {
    overrides: {
      taskResourceLocalHandlers: {
        ReplanPage: async (input: any) => {
          inputs.push(input);
          return (await page(input, inputs.length)) as never;
        },
      },
      retryIntervalOverrides: { ReplanPage: 0 },
    },
  });
  try {
    return { result: (await execution.result) as any, inputs, error: undefined as any };
  } catch (error) {
    return { result: undefined, inputs, error: error as any };
  }
}

/** What ReplanDeadlines returns for a page that ends at `cursor`, having done `n` claims more. */
const more = (input: any, cursor: unknown, n = 1) => ({
  calendarVersion: input.calendarVersion,
  outcome: 'more',
  cursor,
  claims: input.claims + n,
  moved: input.moved + n,
});

describe('deadline-replan.asl.json', () => {
  it('is valid ASL calling the ReplanDeadlines function', async () => {
    const definition = await loadStateMachineDefinition(DEADLINE_REPLAN_STATE_MACHINE.file);
    expect(validate(definition, { checkArn: true, checkPaths: true }).errors).toEqual([]);
    const states = (definition as { States: Record<string, { Resource?: string }> }).States;
    expect(states.ReplanPage?.Resource).toBe(localFunctionArn('ReplanDeadlines'));
  });

  it('calls the page step from each cursor it returns until the run is done', async () => {
    const cursors = [{ statusIndex: 0, after: 'a#1' }, { statusIndex: 3 }, { statusIndex: 3, after: 'b#2' }];
    const { result, inputs, error } = await run((input, n) =>
      n <= cursors.length
        ? more(input, cursors[n - 1])
        : { calendarVersion: 4, outcome: 'done', claims: input.claims, moved: input.moved },
    );
    expect(error).toBeUndefined();
    expect(inputs).toEqual([
      { calendarVersion: 4, cursor: { statusIndex: 0 }, claims: 0, moved: 0 },
      { calendarVersion: 4, cursor: cursors[0], claims: 1, moved: 1 },
      { calendarVersion: 4, cursor: cursors[1], claims: 2, moved: 2 },
      { calendarVersion: 4, cursor: cursors[2], claims: 3, moved: 3 },
    ]);
    expect(result).toEqual({ calendarVersion: 4, outcome: 'done', claims: 3, moved: 3 });
  });

  it('ends, succeeded, when a newer calendar change superseded the run', async () => {
    const { result, inputs, error } = await run((input, n) =>
      n === 1
        ? more(input, { statusIndex: 1, after: 'x#1' })
        : { calendarVersion: 4, outcome: 'superseded', inForce: 5, claims: 1, moved: 1 },
    );
    expect(error).toBeUndefined();
    expect(inputs).toHaveLength(2);
    expect(result).toMatchObject({ outcome: 'superseded', inForce: 5 });
  });

  it('retries a page after a transient fault or a lost optimistic lock, from the same cursor', async () => {
    const { inputs, error } = await run((input, n) => {
      if (n === 1) throw new TransientDependencyError('throttled');
      if (n === 2) throw new VersionConflictError(3);
      if (n === 3) return more(input, { statusIndex: 2, after: 'y#9' });
      if (n === 4) throw new TransientDependencyError('throttled again');
      return { calendarVersion: 4, outcome: 'done', claims: input.claims, moved: input.moved };
    });
    expect(error).toBeUndefined();
    expect(inputs.map((i) => i.cursor)).toEqual([
      { statusIndex: 0 },
      { statusIndex: 0 },
      { statusIndex: 0 },
      { statusIndex: 2, after: 'y#9' },
      { statusIndex: 2, after: 'y#9' },
    ]);
  });

  it('fails the execution, named, when a page fails for good (after its retries)', async () => {
    const { inputs, error } = await run(() => {
      throw new TransientDependencyError('table unavailable');
    });
    // The first attempt and six retries.
    expect(inputs).toHaveLength(7);
    expect(error?.cause?.name).toBe('DeadlineReplanFailed');
  });

  it('does not retry an error it has no reason to expect to pass', async () => {
    const { inputs, error } = await run(() => {
      throw new Error('ValidationException');
    });
    expect(inputs).toHaveLength(1);
    expect(error?.cause?.name).toBe('DeadlineReplanFailed');
  });
});
