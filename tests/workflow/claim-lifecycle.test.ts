import { createRequire } from 'node:module';
import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { localFunctionArn } from '../../lambdas/shared/functions.ts';
import { loadStateMachineDefinition } from '../../local/state-machine.ts';

/**
 * The real ASL file, run by aws-local-stepfunctions. The Lambda tasks are replaced by scripted
 * stand-ins because the thing under test is the workflow's own flow, Retry and Catch; the real
 * handlers run through the same ASL in the integration suite (tests/integration/*.int.test.ts).
 */
const require = createRequire(import.meta.url);
const validate = require('asl-validator') as (
  d: unknown,
  o?: unknown,
) => { isValid: boolean; errors: unknown[] };

class NamedError extends Error {
  constructor(name: string, message = name) {
    super(message);
    this.name = name;
  }
}

const TASKS = [
  'ValidateClaim',
  'ScoreClaim',
  'ClassifyClaim',
  'AssignClaim',
  'SendAcknowledgement',
  'AwaitAssessment',
  'AssessByRule',
  'AwaitInformation',
  'CloseNoResponse',
  'AwaitSupervisorApproval',
  'AwaitDepartmentVote',
  'QueuePayment',
  'AwaitPayment',
  'RecordPayment',
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
        const fn = script[state] ?? (state === 'AwaitAssessment' ? () => ({ action: 'closed' }) : undefined);
        return (fn ? await fn(input, counts[state]) : { ok: true }) as never;
      },
    ]),
  );
  const execution = sm.run(input, {
    overrides: {
      taskResourceLocalHandlers: overrides,
      retryIntervalOverrides: Object.fromEntries(TASKS.map((t) => [t, 0])),
    },
    context: { Task: { Token: 'token-1' } },
  });
  try {
    return { result: (await execution.result) as any, calls, inputs, error: undefined as any };
  } catch (error) {
    return { result: undefined, calls, inputs, error: error as any };
  }
}

/** Scripted answers for the assessment wait, one per time the workflow parks there. */
const assessments =
  (...outputs: unknown[]) =>
  (_: unknown, call: number) =>
    outputs[call - 1] ?? { action: 'closed' };
const INTAKE = [
  'ValidateClaim',
  'ScoreClaim',
  'ClassifyClaim',
  'AssignClaim',
  'SendAcknowledgement',
  'AwaitAssessment',
];
/** Queued for finance, parked until the bank confirms, then PAID. */
const PAY = ['QueuePayment', 'AwaitPayment', 'RecordPayment'];

describe('claim-lifecycle.asl.json', () => {
  it('is valid ASL with every substitution resolved', async () => {
    const definition = await loadStateMachineDefinition();
    expect(validate(definition, { checkArn: true, checkPaths: true }).errors).toEqual([]);
    expect(JSON.stringify(definition)).toContain(localFunctionArn('ParkClaim'));
  });

  it('runs intake in order and parks on the assessment with a task token', async () => {
    const { calls, inputs } = await run({ AwaitAssessment: assessments({ action: 'closed' }) });
    expect(calls).toEqual(INTAKE);
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
        if (call === 1) throw new NamedError('VersionConflictError');
        return { status: 'PAID' };
      },
    });
    expect(retried.error).toBeUndefined();
    expect(retried.calls.filter((c) => c === 'RecordPayment')).toHaveLength(2);
    const failed = await run({
      AwaitAssessment: assessments({ action: 'straight_through' }),
      RecordPayment: () => {
        throw new NamedError('InvalidTransitionError');
      },
    });
    expect(failed.calls.filter((c) => c === 'RecordPayment')).toHaveLength(1);
    expect(failed.error).toBeDefined();
  });

  it('falls back to a person when the rule cannot assess', async () => {
    const { calls } = await run({
      AwaitAssessment: assessments(
        { action: 'straight_through' },
        { action: 'decided', outcome: 'approve', route: 'none' },
      ),
      AssessByRule: () => {
        throw new NamedError('InvalidTransitionError');
      },
    });
    expect(calls).toEqual([...INTAKE, 'AssessByRule', 'AwaitAssessment', ...PAY]);
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
          throw new NamedError('DepartmentRejected', 'Cần đối chiếu giá');
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

  it('retries a transient failure by name and carries on', async () => {
    const { calls, error } = await run({
      ValidateClaim: (_: unknown, call: number) => {
        if (call < 3) throw new NamedError('TransientDependencyError');
        return { blocked: false };
      },
    });
    expect(error).toBeUndefined();
    expect(calls.filter((c) => c === 'ValidateClaim')).toHaveLength(3);
  });

  it('retries an optimistic-locking conflict', async () => {
    const { calls } = await run({
      ClassifyClaim: (_: unknown, call: number) => {
        if (call === 1) throw new NamedError('VersionConflictError');
        return {};
      },
    });
    expect(calls.filter((c) => c === 'ClassifyClaim')).toHaveLength(2);
  });

  it('gives up after the retry budget with a named workflow error', async () => {
    const { error, calls } = await run({
      ValidateClaim: () => {
        throw new NamedError('TransientDependencyError');
      },
    });
    expect(calls.filter((c) => c === 'ValidateClaim')).toHaveLength(5); // 1 + MaxAttempts 4
    expect(calls).not.toContain('ClassifyClaim');
    expect(
      JSON.stringify({ name: error?.cause?.name, message: error?.cause?.message, cause: error?.cause }),
    ).toMatch(/ClaimWorkflowFailed/);
  });

  it('does not retry an error that is not transient', async () => {
    const { error, calls } = await run({
      ClassifyClaim: () => {
        throw new NamedError('ValidationError');
      },
    });
    expect(calls).toEqual(['ValidateClaim', 'ScoreClaim', 'ClassifyClaim']);
    expect(error).toBeDefined();
  });

  it('still parks the claim when the acknowledgement cannot be sent', async () => {
    const { calls, error } = await run({
      SendAcknowledgement: () => {
        throw new NamedError('MessageRejected');
      },
    });
    expect(error).toBeUndefined();
    expect(calls).toEqual(INTAKE);
  });
});
