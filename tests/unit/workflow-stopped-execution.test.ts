import { describe, expect, it } from 'vitest';
import {
  ExecutionStopped,
  failureOfStoppedExecution,
  holdsPayout,
  STOPPED_EXECUTION_STATE,
} from '../../lambdas/core/workflow-failures.ts';

/** The event EventBridge delivers when a claim execution times out (fields as AWS documents them). */
const timedOut = {
  version: '0',
  id: '315c1398-40ff-a850-213b-158f73e60175',
  'detail-type': 'Step Functions Execution Status Change',
  source: 'aws.states',
  account: '123456789012',
  time: '2027-02-26T19:42:21Z',
  region: 'ap-southeast-1',
  resources: ['arn:aws:states:ap-southeast-1:123456789012:execution:prod-claim-lifecycle:CLM-1'],
  detail: {
    executionArn: 'arn:aws:states:ap-southeast-1:123456789012:execution:prod-claim-lifecycle:CLM-1',
    stateMachineArn: 'arn:aws:states:ap-southeast-1:123456789012:stateMachine:prod-claim-lifecycle',
    name: 'CLM-1',
    status: 'TIMED_OUT',
    startDate: 1551225014968,
    stopDate: 1582761014968,
    input: '{"claimId":"CLM-1"}',
    inputDetails: { included: true },
    output: null,
    outputDetails: null,
    error: 'States.Timeout',
    cause: null,
  },
};

const detailOf = (event: unknown) => ExecutionStopped.parse(event).detail;

describe('a claim execution that ended without its Catch', () => {
  it('is recorded as a failure of the execution itself, for the claim its input names', () => {
    expect(failureOfStoppedExecution(detailOf(timedOut))).toEqual({
      claimId: 'CLM-1',
      executionName: 'CLM-1',
      failure: {
        [STOPPED_EXECUTION_STATE]: {
          Error: 'States.Timeout',
          Cause: 'The workflow reached the one-year limit of a Step Functions execution',
        },
      },
    });
  });

  it('names a stop by hand, keeping the error and cause given to StopExecution when there are any', () => {
    const aborted = { ...timedOut, detail: { ...timedOut.detail, status: 'ABORTED', error: null } };
    expect(failureOfStoppedExecution(detailOf(aborted))?.failure).toEqual({
      Execution: { Error: 'ExecutionAborted', Cause: 'The workflow was stopped by hand (StopExecution)' },
    });
    const explained = { ...aborted, detail: { ...aborted.detail, error: 'Duplicate', cause: 'CLM-0' } };
    expect(failureOfStoppedExecution(detailOf(explained))?.failure).toEqual({
      Execution: { Error: 'Duplicate', Cause: 'CLM-0' },
    });
  });

  it('is only a timeout or a stop: a failed execution already ran the compensating step', () => {
    for (const status of ['FAILED', 'SUCCEEDED', 'RUNNING']) {
      expect(
        ExecutionStopped.safeParse({ ...timedOut, detail: { ...timedOut.detail, status } }).success,
      ).toBe(false);
    }
  });

  it('names no claim when the input has none or is not JSON', () => {
    for (const input of ['{}', '{"claimId":""}', '{"claimId":7}', 'not json', null, 'null']) {
      expect(
        failureOfStoppedExecution(detailOf({ ...timedOut, detail: { ...timedOut.detail, input } })),
      ).toBe(undefined);
    }
  });

  it('holds a payout still waiting for a batch, as a failed payment step does', () => {
    expect(holdsPayout(STOPPED_EXECUTION_STATE)).toBe(true);
    expect(holdsPayout('AwaitPayment')).toBe(true);
    expect(holdsPayout('AwaitAssessment')).toBe(false);
  });
});
