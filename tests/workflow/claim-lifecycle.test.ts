import { createRequire } from 'node:module';
import { MessageRejected } from '@aws-sdk/client-sesv2';
import { StateMachine } from 'aws-local-stepfunctions';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import {
  DEPARTMENT_REJECTED,
  DomainError,
  ERROR_STATUS,
  type ErrorCode,
  InvalidTransitionError,
  TRANSIENT_WORKFLOW_ERRORS,
  TransientDependencyError,
  ValidationError,
  VersionConflictError,
  workflowErrorName,
} from '../../lambdas/core/errors.ts';
import { taskHandler } from '../../lambdas/http/task-handler.ts';
import { localFunctionArn } from '../../lambdas/shared/functions.ts';
import { loadStateMachineDefinition } from '../../local/state-machine.ts';

/**
 * The real ASL file, run by aws-local-stepfunctions. The Lambda tasks are replaced by scripted
 * stand-ins because the thing under test is the workflow's own flow, Retry and Catch; they throw
 * the errors the real code throws (core/errors.ts, named as the task wrapper names them), and the
 * real handlers run through the same ASL in the integration suite (tests/integration/*.int.test.ts).
 */
const require = createRequire(import.meta.url);
const validate = require('asl-validator') as (
  d: unknown,
  o?: unknown,
) => { isValid: boolean; errors: unknown[] };

/** How a SendTaskFailure from a waiting task arrives: an error name and a cause. */
class TaskFailure extends Error {
  constructor(name: string, message = name) {
    super(message);
    this.name = name;
  }
}

/** What leaves the real task wrapper when the use case throws `e` (the name the ASL sees). */
async function thrownByTask(e: Error): Promise<Error> {
  const task = taskHandler('Scripted', z.object({}), async () => {
    throw e;
  });
  return (task({}, {} as never) as Promise<unknown>).then(
    () => {
      throw new Error('the task did not fail');
    },
    (err: Error) => err,
  );
}

const TASKS = [
  'CheckClaim',
  'SendAcknowledgement',
  'RecordAcknowledgementFailure',
  'AwaitAssessment',
  'AssessByRule',
  'AwaitInformation',
  'CloseNoResponse',
  'AwaitSupervisorApproval',
  'AwaitDepartmentVote',
  'QueuePayment',
  'AwaitPayment',
  'RecordPayment',
  'RecordWorkflowFailure',
] as const;
type Task = (typeof TASKS)[number];
type Script = Partial<Record<Task, (input: any, call: number) => unknown>>;

/** Runs the workflow once; each scripted task sees its input and how many times it was called. */
async function run(script: Script, input: { claimId: string; entry?: string } = { claimId: 'claim-1' }) {
  const definition = await loadStateMachineDefinition();
  const sm = new StateMachine(definition as never, {
    validationOptions: { checkArn: false, checkPaths: false },
  });
  const calls: string[] = [];
  const counts: Record<string, number> = {};
  const inputs: Record<string, unknown[]> = {};
  const overrides = Object.fromEntries(
    TASKS.map((state) => [
      state,
      async (input: any) => {
        calls.push(state);
        counts[state] = (counts[state] ?? 0) + 1;
        inputs[state] = [...(inputs[state] ?? []), input];
        const fn =
          script[state] ??
          (state === 'AwaitAssessment'
            ? () => ({ action: 'closed' })
            : state === 'CheckClaim'
              ? () => checked()
              : undefined);
        return (fn ? await fn(input, counts[state]) : { ok: true }) as never;
      },
    ]),
  );
  const execution = sm.run(input, {
    overrides: {
      taskResourceLocalHandlers: overrides,
      retryIntervalOverrides: Object.fromEntries(TASKS.map((t) => [t, 0])),
    },
    context: { Task: { Token: 'token-1' }, Execution: { Name: String(input.claimId ?? 'claim-1') } },
  });
  try {
    return { result: (await execution.result) as any, calls, inputs, error: undefined as any };
  } catch (error) {
    return { result: undefined, calls, inputs, error: error as any };
  }
}

/** What CheckClaim returns (lambdas/app/check-claim.ts) for a claim that passed, with `overrides`. */
const checked = (overrides: Record<string, unknown> = {}) => ({
  claimId: 'claim-1',
  validation: { claimId: 'claim-1', status: 'SUBMITTED', blocked: false, checks: [] },
  fraud: { claimId: 'claim-1', score: 0.03, referred: false, indicators: 0 },
  classification: { claimId: 'claim-1', severityBand: 'small', line: 'motor' },
  assignment: { claimId: 'claim-1', assignee: 'ADJ-001', queue: null },
  ...overrides,
});

/** Scripted answers for the assessment wait, one per time the workflow parks there. */
const assessments =
  (...outputs: unknown[]) =>
  (_: unknown, call: number) =>
    outputs[call - 1] ?? { action: 'closed' };
const INTAKE = ['CheckClaim', 'SendAcknowledgement', 'AwaitAssessment'];
/** Queued for finance, parked until the bank confirms, then PAID. */
const PAY = ['QueuePayment', 'AwaitPayment', 'RecordPayment'];

describe('claim-lifecycle.asl.json', () => {
  it('is valid ASL with every substitution resolved', async () => {
    const definition = await loadStateMachineDefinition();
    expect(validate(definition, { checkArn: true, checkPaths: true }).errors).toEqual([]);
    expect(JSON.stringify(definition)).toContain(localFunctionArn('ParkClaim'));
  });

  it('runs intake in order and parks on the assessment with a task token', async () => {
    const { calls, inputs, result } = await run({ AwaitAssessment: assessments({ action: 'closed' }) });
    expect(calls).toEqual(INTAKE);
    // The check's four results stay where the four intake steps put them.
    const { validation, fraud, classification, assignment } = checked();
    expect(result).toMatchObject({ claimId: 'claim-1', validation, fraud, classification, assignment });
    expect(inputs.AwaitAssessment?.[0]).toEqual({
      FunctionName: localFunctionArn('ParkClaim'),
      Payload: { claimId: 'claim-1', taskToken: 'token-1', waitingFor: 'assessment' },
    });
  });

  it("an appeal's execution re-enters at the assessment wait, skipping intake, and is decided there", async () => {
    const upheld = await run(
      { AwaitAssessment: assessments({ action: 'decided', outcome: 'reject', route: 'none' }) },
      { claimId: 'claim-1', entry: 'appeal' },
    );
    expect(upheld.error).toBeUndefined();
    expect(upheld.calls).toEqual(['AwaitAssessment']);
    const overturned = await run(
      { AwaitAssessment: assessments({ action: 'decided', outcome: 'approve', route: 'none' }) },
      { claimId: 'claim-1', entry: 'appeal' },
    );
    expect(overturned.calls).toEqual(['AwaitAssessment', ...PAY]);
  });

  it('settles straight through: rule assessment, then payment', async () => {
    const { calls, error } = await run({ AwaitAssessment: assessments({ action: 'straight_through' }) });
    expect(error).toBeUndefined();
    expect(calls).toEqual([...INTAKE, 'AssessByRule', ...PAY]);
  });

  it('after queueing the payment, parks until the bank confirms it, then records PAID', async () => {
    const { calls, inputs, result, error } = await run({
      AwaitAssessment: assessments({ action: 'straight_through' }),
      AwaitPayment: () => ({ paidAt: '2026-11-30T03:00:00.000Z' }),
      RecordPayment: () => ({ status: 'PAID' }),
    });
    expect(error).toBeUndefined();
    expect(calls.slice(-3)).toEqual(PAY);
    expect(inputs.AwaitPayment?.[0]).toEqual({
      FunctionName: localFunctionArn('ParkClaim'),
      Payload: { claimId: 'claim-1', taskToken: 'token-1', waitingFor: 'payment' },
    });
    expect(inputs.RecordPayment?.[0]).toEqual({ claimId: 'claim-1' });
    expect(result).toMatchObject({
      bankConfirmation: { paidAt: '2026-11-30T03:00:00.000Z' },
      paid: { status: 'PAID' },
    });
  });

  it('retries recording the payment on a version conflict; other failures end the workflow as failed', async () => {
    const retried = await run({
      AwaitAssessment: assessments({ action: 'straight_through' }),
      RecordPayment: (_: unknown, call: number) => {
        if (call === 1) throw new VersionConflictError(7);
        return { status: 'PAID' };
      },
    });
    expect(retried.error).toBeUndefined();
    expect(retried.calls.filter((c) => c === 'RecordPayment')).toHaveLength(2);
    const failed = await run({
      AwaitAssessment: assessments({ action: 'straight_through' }),
      RecordPayment: () => {
        throw new InvalidTransitionError('PAYMENT_QUEUED', 'PAID');
      },
    });
    expect(failed.calls.filter((c) => c === 'RecordPayment')).toHaveLength(1);
    expect(failed.calls.at(-1)).toBe('RecordWorkflowFailure');
    expect(failed.error).toBeDefined();
  });

  it('falls back to a person when the rule cannot assess', async () => {
    const { calls } = await run({
      AwaitAssessment: assessments(
        { action: 'straight_through' },
        { action: 'decided', outcome: 'approve', route: 'none' },
      ),
      AssessByRule: () => {
        throw new InvalidTransitionError('ASSESSMENT', 'APPROVED');
      },
    });
    expect(calls).toEqual([...INTAKE, 'AssessByRule', 'AwaitAssessment', ...PAY]);
  });

  it('never pays a claim referred to the SIU straight through: the rule refuses and a person decides', async () => {
    // CheckClaim's score referred it; a straight-through resume raced the referral, and AssessByRule
    // (lambdas/app/straight-through.ts) refuses a claim the SIU holds as an invalid transition.
    const { calls } = await run({
      CheckClaim: () =>
        checked({ fraud: { claimId: 'claim-1', score: 0.42, referred: true, indicators: 4 } }),
      AwaitAssessment: assessments({ action: 'straight_through' }, { action: 'closed' }),
      // What lambdas/app/straight-through.ts throws, as it leaves the task.
      AssessByRule: async () => {
        throw await thrownByTask(
          new DomainError('INVALID_TRANSITION', 'The claim is with the SIU; a person must decide'),
        );
      },
    });
    expect(calls).toEqual([...INTAKE, 'AssessByRule', 'AwaitAssessment']);
    expect(calls).not.toContain('QueuePayment');
  });

  it('waits for the customer’s answer to an information request, then resumes the assessment', async () => {
    const { calls, inputs } = await run({
      AwaitAssessment: assessments(
        { action: 'info_requested' },
        { action: 'decided', outcome: 'approve', route: 'none' },
      ),
      AwaitInformation: () => ({ action: 'answered' }),
    });
    expect(calls).toEqual([...INTAKE, 'AwaitInformation', 'AwaitAssessment', ...PAY]);
    expect(inputs.AwaitInformation?.[0]).toMatchObject({ Payload: { waitingFor: 'information' } });
  });

  it('closes the claim when the information never comes', async () => {
    const { calls, error } = await run({
      AwaitAssessment: assessments({ action: 'info_requested' }),
      AwaitInformation: () => ({ action: 'no_response' }),
    });
    expect(error).toBeUndefined();
    expect(calls).toEqual([...INTAKE, 'AwaitInformation', 'CloseNoResponse']);
  });

  it('ends a rejected claim without paying', async () => {
    const { calls, error } = await run({
      AwaitAssessment: assessments({ action: 'decided', outcome: 'reject', route: 'none' }),
    });
    expect(error).toBeUndefined();
    expect(calls).toEqual(INTAKE);
  });

  it('routes above-authority payouts to a supervisor, who can send them back', async () => {
    const { calls } = await run({
      AwaitAssessment: assessments(
        { action: 'decided', outcome: 'approve', route: 'supervisor' },
        { action: 'decided', outcome: 'approve', route: 'supervisor' },
      ),
      AwaitSupervisorApproval: (_: unknown, call: number) => ({ approved: call > 1 }),
    });
    expect(calls).toEqual([
      ...INTAKE,
      'AwaitSupervisorApproval',
      'AwaitAssessment',
      'AwaitSupervisorApproval',
      ...PAY,
    ]);
  });

  it('asks every department in parallel; a rejection sends the claim back, approval pays', async () => {
    const departments = ['claims', 'underwriting', 'finance'];
    let round = 0;
    const { calls, inputs } = await run({
      AwaitAssessment: (_: unknown, call: number) => {
        round = call;
        return call <= 2
          ? { action: 'decided', outcome: 'approve', route: 'joint', departments, round: call }
          : { action: 'closed' };
      },
      AwaitDepartmentVote: (input: any) => {
        if (round === 1 && input.Payload.department === 'finance')
          throw new TaskFailure(DEPARTMENT_REJECTED, 'Cần đối chiếu giá');
        return { department: input.Payload.department, vote: 'approve' };
      },
    });
    const votes = inputs.AwaitDepartmentVote as any[];
    expect(votes.map((v) => v.Payload.department).sort()).toEqual([...departments, ...departments].sort());
    expect(votes[0].Payload).toMatchObject({
      claimId: 'claim-1',
      waitingFor: 'department',
      taskToken: 'token-1',
    });
    expect(calls.filter((c) => c === 'AwaitAssessment')).toHaveLength(2);
    expect(calls.slice(-3)).toEqual(PAY);
  });

  it('pays once the quorum is reached, whatever the branches released without a vote return', async () => {
    // HEALTH asks three departments and needs two: the third branch is released with `not_required`,
    // by the deciding vote or, when it parks after it, by ParkClaim itself (app/workflow-wait.ts).
    const { calls, result, error } = await run({
      AwaitAssessment: assessments({
        action: 'decided',
        outcome: 'approve',
        route: 'joint',
        departments: ['claims', 'underwriting', 'finance'],
        round: 1,
      }),
      AwaitDepartmentVote: (input: any) => ({
        department: input.Payload.department,
        vote: input.Payload.department === 'finance' ? 'not_required' : 'approve',
      }),
    });
    expect(error).toBeUndefined();
    expect(calls.slice(-3)).toEqual(PAY);
    expect(result.votes).toContainEqual({ department: 'finance', vote: 'not_required' });
  });

  it('retries a transient failure by name and carries on', async () => {
    const { calls, error } = await run({
      CheckClaim: (_: unknown, call: number) => {
        if (call < 3) throw new TransientDependencyError('ProvisionedThroughputExceededException: slow down');
        return checked();
      },
    });
    expect(error).toBeUndefined();
    expect(calls.filter((c) => c === 'CheckClaim')).toHaveLength(3);
  });

  it('retries an optimistic-locking conflict', async () => {
    // What the claim store throws when another writer got there first, as it leaves the task.
    const conflict = await thrownByTask(new VersionConflictError(2));
    expect(conflict.name).toBe('VersionConflictError');
    const { calls } = await run({
      CheckClaim: (_: unknown, call: number) => {
        if (call === 1) throw conflict;
        return checked();
      },
    });
    expect(calls.filter((c) => c === 'CheckClaim')).toHaveLength(2);
  });

  it('gives up after the retry budget with a named workflow error', async () => {
    const { error, calls } = await run({
      CheckClaim: () => {
        throw new TransientDependencyError('ThrottlingException: rate exceeded');
      },
    });
    expect(calls.filter((c) => c === 'CheckClaim')).toHaveLength(5); // 1 + MaxAttempts 4
    expect(calls).not.toContain('SendAcknowledgement');
    expect(calls.at(-1)).toBe('RecordWorkflowFailure');
    expect(
      JSON.stringify({ name: error?.cause?.name, message: error?.cause?.message, cause: error?.cause }),
    ).toMatch(/ClaimWorkflowFailed/);
  });

  it('does not retry an error that is not transient', async () => {
    const { error, calls } = await run({
      CheckClaim: async () => {
        throw await thrownByTask(new ValidationError([]));
      },
    });
    expect(calls).toEqual(['CheckClaim', 'RecordWorkflowFailure']);
    expect(error).toBeDefined();
  });

  it('still parks the claim when the acknowledgement cannot be sent, and records the failure for staff', async () => {
    const { calls, inputs, error } = await run({
      SendAcknowledgement: () => {
        throw new MessageRejected({ message: 'Email address is not verified.', $metadata: {} });
      },
    });
    expect(error).toBeUndefined();
    expect(calls).toEqual([
      'CheckClaim',
      'SendAcknowledgement',
      'RecordAcknowledgementFailure',
      'AwaitAssessment',
    ]);
    // The compensating function, told the workflow goes on (so the claim is not failed).
    expect(inputs.RecordAcknowledgementFailure).toEqual([
      {
        claimId: 'claim-1',
        executionName: 'claim-1',
        continued: true,
        failure: { SendAcknowledgement: expect.objectContaining({ Error: 'MessageRejected' }) },
      },
    ]);
  });

  it('records a throttled acknowledgement after its retries, and goes on when the recording fails too', async () => {
    const { calls, error } = await run({
      SendAcknowledgement: () => {
        throw new TransientDependencyError('TooManyRequestsException: Maximum sending rate exceeded');
      },
      RecordAcknowledgementFailure: () => {
        throw new TransientDependencyError('ProvisionedThroughputExceededException: slow down');
      },
    });
    expect(error).toBeUndefined();
    expect(calls.filter((c) => c === 'SendAcknowledgement')).toHaveLength(5); // 1 + MaxAttempts 4
    expect(calls.filter((c) => c === 'RecordAcknowledgementFailure')).toHaveLength(5);
    expect(calls.at(-1)).toBe('AwaitAssessment');
  });

  it('names a later failure after its own step, not after the acknowledgement that failed first', async () => {
    const { inputs } = await run({
      SendAcknowledgement: () => {
        throw new MessageRejected({ message: 'Email address is not verified.', $metadata: {} });
      },
      AwaitAssessment: assessments({ action: 'straight_through' }),
      QueuePayment: async () => {
        throw await thrownByTask(new InvalidTransitionError('UNDER_ASSESSMENT', 'PAYMENT_QUEUED'));
      },
    });
    expect(Object.keys((inputs.RecordWorkflowFailure?.[0] as any)?.failure ?? {})).toEqual(['QueuePayment']);
  });
});

describe('a step that fails for good', () => {
  it('retries a transient fault, then compensates (records the failure) and still ends in Fail', async () => {
    const thrown = await thrownByTask(
      Object.assign(new Error('Rate exceeded'), {
        name: 'ThrottlingException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    expect(thrown.name).toBe('TransientDependencyError');
    const { calls, inputs, error } = await run({
      AwaitAssessment: assessments({ action: 'straight_through' }),
      QueuePayment: () => {
        throw thrown;
      },
    });
    expect(calls.filter((c) => c === 'QueuePayment')).toHaveLength(5); // 1 + MaxAttempts 4
    expect(calls.at(-1)).toBe('RecordWorkflowFailure');
    expect(inputs.RecordWorkflowFailure?.[0]).toMatchObject({
      claimId: 'claim-1',
      executionName: 'claim-1',
      failure: { QueuePayment: { Error: 'TransientDependencyError' } },
    });
    expect(JSON.stringify({ name: error?.cause?.name, message: error?.cause?.message })).toMatch(
      /ClaimWorkflowFailed/,
    );
  });

  it('does not retry a domain refusal: straight to the compensation, named after its code', async () => {
    const thrown = await thrownByTask(new DomainError('CLAIM_NOT_FOUND', 'Claim not found'));
    expect(thrown.name).toBe('ClaimNotFoundError');
    const { calls, inputs, error } = await run({
      CheckClaim: () => {
        throw thrown;
      },
    });
    expect(calls).toEqual(['CheckClaim', 'RecordWorkflowFailure']);
    expect(inputs.RecordWorkflowFailure?.[0]).toMatchObject({
      failure: { CheckClaim: { Error: 'ClaimNotFoundError' } },
    });
    expect(error).toBeDefined();
  });

  it('names the failed state of a waiting task and of the joint decision too', async () => {
    const waiting = await run({
      AwaitAssessment: () => {
        throw new TaskFailure('States.Timeout');
      },
    });
    expect(Object.keys((waiting.inputs.RecordWorkflowFailure?.[0] as any)?.failure ?? {})).toEqual([
      'AwaitAssessment',
    ]);
    const joint = await run({
      AwaitAssessment: assessments({
        action: 'decided',
        outcome: 'approve',
        route: 'joint',
        departments: ['claims'],
        round: 1,
      }),
      AwaitDepartmentVote: () => {
        throw new InvalidTransitionError('CLOSED', 'APPROVED');
      },
    });
    expect(Object.keys((joint.inputs.RecordWorkflowFailure?.[0] as any)?.failure ?? {})).toEqual([
      'JointDecision',
    ]);
    expect(joint.error).toBeDefined();
  });

  it('still ends in Fail when the compensation itself fails (after its own retries)', async () => {
    const { calls, error } = await run({
      CheckClaim: () => {
        throw new InvalidTransitionError('CLOSED', 'SUBMITTED');
      },
      RecordWorkflowFailure: () => {
        throw new TransientDependencyError('ProvisionedThroughputExceededException: slow down');
      },
    });
    expect(calls.filter((c) => c === 'RecordWorkflowFailure')).toHaveLength(5);
    expect(JSON.stringify({ name: error?.cause?.name, message: error?.cause?.message })).toMatch(
      /ClaimWorkflowFailed/,
    );
  });

  it('routes only on names the code throws, and retries only transient faults', async () => {
    const definition = (await loadStateMachineDefinition()) as { States: Record<string, any> };
    const produced = new Set<string>([
      ...(Object.keys(ERROR_STATUS) as ErrorCode[]).map((code) => workflowErrorName(new DomainError(code))),
      'VersionConflictError',
      'InvalidTransitionError',
      'TransientDependencyError',
      'ValidationError',
      DEPARTMENT_REJECTED,
    ]);
    const states = Object.entries(definition.States).flatMap(([name, st]) => [
      [name, st] as const,
      ...Object.entries((st.ItemProcessor?.States ?? {}) as Record<string, any>),
    ]);
    for (const [name, st] of states) {
      for (const r of st.Retry ?? []) {
        for (const e of r.ErrorEquals as string[]) {
          expect(
            [...TRANSIENT_WORKFLOW_ERRORS, 'VersionConflictError'] as string[],
            `${name} retries ${e}`,
          ).toContain(e);
        }
      }
      for (const c of st.Catch ?? []) {
        for (const e of c.ErrorEquals as string[]) {
          if (e.startsWith('States.') || e.startsWith('Lambda.')) continue;
          expect(produced.has(e), `${name} catches ${e}, which no code throws`).toBe(true);
        }
      }
    }
  });
});
