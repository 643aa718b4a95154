import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { SESv2ServiceException } from '@aws-sdk/client-sesv2';
import { SNSServiceException } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { isTransient } from '../../lambdas/runtime/transient-errors.ts';

/**
 * A throttled dependency must reach the workflow as TransientDependencyError (its Retry), never as
 * an unknown error its Catch turns into a failed claim workflow or a skipped acknowledgement; and a
 * notification whose send was throttled must be retried, never dropped as if the address were bad.
 * The errors are the SDK's own classes, shaped as the fault proxy's answers deserialise.
 */
const sdkError = <T>(Cls: new (o: any) => T, name: string, status: number, fault: 'client' | 'server') =>
  new Cls({ name, $fault: fault, $metadata: { httpStatusCode: status }, message: 'Injected fault' });

describe('which task failures the workflow retries', () => {
  it('retries DynamoDB throttling once the SDK has spent its attempts', () => {
    expect(
      isTransient(
        sdkError(DynamoDBServiceException, 'ProvisionedThroughputExceededException', 400, 'client'),
      ),
    ).toBe(true);
    expect(isTransient(sdkError(DynamoDBServiceException, 'ThrottlingException', 400, 'client'))).toBe(true);
  });

  it('retries SES throttling (429) and any 5xx', () => {
    expect(isTransient(sdkError(SESv2ServiceException, 'TooManyRequestsException', 429, 'client'))).toBe(
      true,
    );
    expect(isTransient(sdkError(SESv2ServiceException, 'InternalFailure', 500, 'server'))).toBe(true);
  });

  it('retries SNS and SES throttling that comes back as a 400 client fault, and dropped connections', () => {
    expect(isTransient(sdkError(SNSServiceException, 'ThrottledException', 400, 'client'))).toBe(true);
    expect(isTransient(sdkError(SNSServiceException, 'KMSThrottlingException', 400, 'client'))).toBe(true);
    expect(isTransient(sdkError(SESv2ServiceException, 'LimitExceededException', 400, 'client'))).toBe(true);
    expect(isTransient(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isTransient(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true);
  });

  it('does not retry a request the service refuses for good', () => {
    expect(isTransient(sdkError(SESv2ServiceException, 'MessageRejected', 400, 'client'))).toBe(false);
    expect(isTransient(sdkError(DynamoDBServiceException, 'ValidationException', 400, 'client'))).toBe(false);
    expect(isTransient(sdkError(SNSServiceException, 'InvalidParameterException', 400, 'client'))).toBe(
      false,
    );
    expect(isTransient(new Error('bug'))).toBe(false);
    expect(isTransient(undefined)).toBe(false);
  });
});
