import { DescribeExecutionCommand, SendTaskSuccessCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suitePolicies } from '../helpers/suite-policies.ts';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, sfn } from '../../lambdas/adapters/aws-clients.ts';
import { financeKeys } from '../../lambdas/adapters/dynamo/keys.ts';
import { getClaim as readStoredClaim } from '../../lambdas/adapters/dynamo/claims-repo.ts';
import { getPayout } from '../../lambdas/adapters/dynamo/finance-repo.ts';
import { handler as recordFailure } from '../../lambdas/handlers/workflow/record-workflow-failure.ts';
import { fileClaim, getClaim, hoursAgo, until, uploadMissingDocuments } from '../helpers/claims.ts';
import { type Api, apiAs, eventually, useStack } from '../helpers/stack.ts';

/**
 * A real workflow task failing for good on the local stack: the workflow is told the claim was
 * decided while the claim holds no decision, so QueuePayment refuses (InvalidTransitionError, a
 * domain refusal the ASL does not retry). The compensating state records the failure on the
 * claim's timeline and as an alert for supervisors, and the execution still ends FAILED.
 */
const stack = useStack();
let an: Api;
let hai: Api;
let dung: Api;
beforeAll(async () => {
  [an, hai, dung] = await Promise.all([
    apiAs(stack.apiUrl, 'an.nguyen'),
    apiAs(stack.apiUrl, 'hai.do'),
    apiAs(stack.apiUrl, 'dung.pham'),
  ]);
});

/** Policies of this suite's own (removed afterwards), so other suites' claims are not its duplicates. */
const policies = suitePolicies('MOT-WFF');
afterAll(() => policies.removeAll());

type Failure = { claimId: string; state: string; error: string; cause: string; paymentHeld: boolean };

describe('a workflow step that fails for good', () => {
  it('ends in a compensating state: timeline event, supervisor alert, acknowledgement, and FAILED', async () => {
    const { claimId, claimNumber } = await fileClaim(an, { cause: 'vandalism', lossAt: hoursAgo(60) });
    const parkedClaim = await eventually(async () => {
      const c = await readStoredClaim(claimId);
      return c?.waitingFor === 'assessment' && c.waitToken ? c : undefined;
    }, 20_000);
    expect(parkedClaim.decision).toBeUndefined();
    // A resume that does not match the claim: the payment step finds nothing approved to pay.
    await sfn().send(
      new SendTaskSuccessCommand({
        taskToken: parkedClaim.waitToken!,
        output: JSON.stringify({ action: 'decided', outcome: 'approve', route: 'none' }),
      }),
    );

    const failure = await eventually(async () => {
      const r = await hai.get('/workflow/alerts');
      expect(r.status).toBe(200);
      return (r.body.failures as Failure[]).find((f) => f.claimId === claimId);
    }, 20_000);
    expect(failure).toMatchObject({
      claimNumber,
      state: 'QueuePayment',
      error: 'InvalidTransitionError',
      paymentHeld: false,
    });
    expect(failure.cause).toContain('Only an approved claim can be paid');
    expect(failure.cause).not.toMatch(/\bat .+\.ts:\d+/); // a message, never a stack trace

    // The execution still ends FAILED (so the AWS alarm on failed executions fires).
    const executionArn = `${stack.env.CLAIM_STATE_MACHINE_ARN!.replace(':stateMachine:', ':execution:')}:${claimId}`;
    const execution = await eventually(async () => {
      const d = await sfn().send(new DescribeExecutionCommand({ executionArn }));
      return d.status === 'RUNNING' ? undefined : d;
    });
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('ClaimWorkflowFailed');

    // Staff see it on the claim's timeline; the customer does not.
    const staffView = await getClaim(hai, claimId);
    const event = staffView.timeline.find((e: { type: string }) => e.type === 'WorkflowStepFailed');
    expect(event?.data).toMatchObject({ state: 'QueuePayment', error: 'InvalidTransitionError' });
    const customerView = await getClaim(an, claimId);
    expect(customerView.timeline.map((e: { type: string }) => e.type)).not.toContain('WorkflowStepFailed');

    // Only supervisors and admins acknowledge, with a note; then the alert leaves the list.
    expect((await dung.post(`/claims/${claimId}/workflow/acknowledge`, { note: 'Đã kiểm tra' })).status).toBe(
      403,
    );
    expect((await hai.post(`/claims/${claimId}/workflow/acknowledge`, {})).status).toBe(400);
    const ack = await hai.post(`/claims/${claimId}/workflow/acknowledge`, {
      note: 'Đã kiểm tra: hồ sơ chưa có quyết định, giám định viên xử lý tiếp.',
    });
    expect(ack.status, JSON.stringify(ack.body)).toBe(200);
    expect(ack.body.acknowledged).toBe(1);
    const after = await hai.get('/workflow/alerts');
    expect((after.body.failures as Failure[]).some((f) => f.claimId === claimId)).toBe(false);
    const again = await hai.post(`/claims/${claimId}/workflow/acknowledge`, { note: 'Lần nữa' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('NOTHING_TO_ACKNOWLEDGE');
    const acknowledged = (await getClaim(hai, claimId)).timeline.find(
      (e: { type: string }) => e.type === 'WorkflowFailureAcknowledged',
    );
    expect(acknowledged?.data?.note).toContain('Đã kiểm tra');
  });

  it('records an acknowledgement that failed for good without stopping the claim, apart from a later stop', async () => {
    const { claimId } = await fileClaim(an, { cause: 'vandalism', lossAt: hoursAgo(61) });
    await eventually(async () => {
      const c = await readStoredClaim(claimId);
      return c?.waitingFor === 'assessment' && c.waitToken ? c : undefined;
    }, 20_000);
    // What RecordAcknowledgementFailure hands the compensating function (its ASL Parameters) when
    // SendAcknowledgement failed for good: the same function, told the workflow goes on.
    const cause = JSON.stringify({
      errorType: 'MessageRejected',
      errorMessage: 'Email address is not verified.',
    });
    const recorded = await recordFailure(
      {
        claimId,
        executionName: claimId,
        failure: { SendAcknowledgement: { Error: 'MessageRejected', Cause: cause } },
        continued: true,
      },
      {} as never,
    );
    expect(recorded).toMatchObject({ state: 'SendAcknowledgement', recorded: 'claim' });

    const alert = await eventually(async () => {
      const r = await hai.get('/workflow/alerts');
      return (r.body.failures as (Failure & { continued?: boolean })[]).find((f) => f.claimId === claimId);
    });
    expect(alert).toMatchObject({ state: 'SendAcknowledgement', error: 'MessageRejected', continued: true });
    expect(alert.cause).toBe('Email address is not verified.');
    const staffView = await getClaim(hai, claimId);
    const types = staffView.timeline.map((e: { type: string }) => e.type);
    expect(types).toContain('WorkflowStepSkipped');
    expect(types).not.toContain('WorkflowStepFailed');
    expect(
      staffView.timeline.find((e: { type: string }) => e.type === 'WorkflowStepSkipped')?.data,
    ).toMatchObject({ state: 'SendAcknowledgement', error: 'MessageRejected' });
    expect((await getClaim(an, claimId)).timeline.map((e: { type: string }) => e.type)).not.toContain(
      'WorkflowStepSkipped',
    );
    // The claim was not stopped: its execution still runs, parked on the assessment.
    const executionArn = `${stack.env.CLAIM_STATE_MACHINE_ARN!.replace(':stateMachine:', ':execution:')}:${claimId}`;
    expect((await sfn().send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    expect(staffView.waitingFor).toBe('assessment');

    // A later step that stops the same execution is still recorded, under its own name.
    await recordFailure(
      { claimId, executionName: claimId, failure: { AwaitAssessment: { Error: 'States.Timeout' } } },
      {} as never,
    );
    const both = (await hai.get('/workflow/alerts')).body.failures as Failure[];
    expect(
      both
        .filter((f) => f.claimId === claimId)
        .map((f) => f.state)
        .sort(),
    ).toEqual(['AwaitAssessment', 'SendAcknowledgement']);
    expect((await getClaim(hai, claimId)).timeline.map((e: { type: string }) => e.type)).toContain(
      'WorkflowStepFailed',
    );
    const ack = await hai.post(`/claims/${claimId}/workflow/acknowledge`, {
      note: 'Đã gọi điện cho khách hàng.',
    });
    expect(ack.body.acknowledged).toBe(2);
  });

  it('records an execution stopped by hand, which no Catch sees, once however often EventBridge tells it', async () => {
    const { claimId } = await fileClaim(an, { cause: 'vandalism', lossAt: hoursAgo(60) });
    await eventually(async () => {
      const c = await readStoredClaim(claimId);
      return c?.waitingFor === 'assessment' && c.waitToken ? c : undefined;
    }, 20_000);
    const stateMachineArn = stack.env.CLAIM_STATE_MACHINE_ARN!;
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${claimId}`;
    await sfn().send(new StopExecutionCommand({ executionArn }));
    const stopped = await sfn().send(new DescribeExecutionCommand({ executionArn }));
    expect(stopped.status).toBe('ABORTED');
    // What EventBridge delivers for it (lib/stateless-stack.ts ClaimWorkflowStopped), as AWS shapes it.
    const event = {
      version: '0',
      id: '315c1398-40ff-a850-213b-158f73e60175',
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account: '000000000000',
      time: new Date().toISOString().slice(0, 19) + 'Z',
      region: 'ap-southeast-1',
      resources: [executionArn],
      detail: {
        executionArn,
        stateMachineArn,
        name: stopped.name,
        status: stopped.status,
        startDate: stopped.startDate?.getTime(),
        stopDate: stopped.stopDate?.getTime(),
        input: stopped.input,
        inputDetails: { included: true },
        output: null,
        outputDetails: null,
        error: null,
        cause: null,
      },
    };
    for (let delivery = 0; delivery < 2; delivery++) {
      expect(await recordFailure(event, {} as never)).toMatchObject({
        claimId,
        state: 'Execution',
        error: 'ExecutionAborted',
      });
    }
    const alerts = ((await hai.get('/workflow/alerts')).body.failures as Failure[]).filter(
      (f) => f.claimId === claimId,
    );
    expect(alerts).toEqual([
      expect.objectContaining({ state: 'Execution', error: 'ExecutionAborted', paymentHeld: false }),
    ]);
    expect(alerts[0]?.cause).toMatch(/stopped by hand/);
    const timeline = (await getClaim(hai, claimId)).timeline as { type: string; data: unknown }[];
    expect(timeline.filter((e) => e.type === 'WorkflowStepFailed')).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ state: 'Execution' }) }),
    ]);
    // An event naming no claim is refused, not recorded against nothing.
    await expect(
      recordFailure({ ...event, detail: { ...event.detail, input: '{}' } }, {} as never),
    ).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('in a payment step, holds the payout waiting for finance so nothing is paid half-way', async () => {
    // Settled straight through: the payment is queued and the workflow waits for the bank.
    const { claimId } = await fileClaim(an, {
      // A policy of its own: another claim on the same policy within days is a possible duplicate.
      policyNumber: await policies.running(200, 200),
      cause: 'glass_breakage',
      lossAt: hoursAgo(100),
      estimatedAmount: { amount: 6_000_050, currency: 'VND' },
      contact: { phone: '0912345678', email: 'an.nguyen@example.vn' },
    });
    await until(an, claimId, (c) => c.status === 'AWAITING_DOCUMENTS', 15_000);
    await uploadMissingDocuments(an, claimId, 95, { repair_invoice: 6_000_050 });
    await until(hai, claimId, (c) => c.status === 'PAYMENT_QUEUED' && c.waitingFor === 'payment', 20_000);
    expect((await getPayout(claimId))?.hold).toBeUndefined();
    // The wait is resumed without the bank's confirmation: RecordPayment refuses for good.
    const waiting = await readStoredClaim(claimId);
    await sfn().send(
      new SendTaskSuccessCommand({
        taskToken: waiting!.waitToken!,
        output: JSON.stringify({ paidAt: 'never' }),
      }),
    );
    const failure = await eventually(async () => {
      const r = await hai.get('/workflow/alerts');
      return (r.body.failures as Failure[]).find((f) => f.claimId === claimId);
    }, 20_000);
    expect(failure).toMatchObject({
      state: 'RecordPayment',
      error: 'InvalidTransitionError',
      paymentHeld: true,
    });
    const payout = await getPayout(claimId);
    expect(payout?.status).toBe('awaiting');
    expect(payout?.hold?.reason).toBe('workflow_failure');
    // Out of finance's queue: the payout has left the awaiting index batches are built from.
    const raw = await dynamo().send(
      new GetCommand({
        TableName: stack.env.TABLE_NAME!,
        Key: financeKeys.payout(claimId),
        ConsistentRead: true,
      }),
    );
    expect(raw.Item?.gsi4pk).toBeUndefined();
    const staffView = await getClaim(hai, claimId);
    const event = staffView.timeline.find((e: { type: string }) => e.type === 'WorkflowStepFailed');
    expect(event?.data).toMatchObject({ state: 'RecordPayment', paymentHeld: true });
    await hai.post(`/claims/${claimId}/workflow/acknowledge`, { note: 'Chờ kỹ thuật ghi nhận thanh toán' });
    expect((await getPayout(claimId))?.hold?.reason).toBe('workflow_failure');
  });
});
