import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { SESv2ServiceException } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { isTransient } from '../../lambdas/http/task-handler.ts';

/**
 * A throttled dependency must reach the workflow as TransientDependencyError (its Retry), never as
 * an unknown error its Catch turns into a failed claim workflow or a skipped acknowledgement.
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

  it('does not retry a request the service refuses for good', () => {
    expect(isTransient(sdkError(SESv2ServiceException, 'MessageRejected', 400, 'client'))).toBe(false);
    expect(isTransient(sdkError(DynamoDBServiceException, 'ValidationException', 400, 'client'))).toBe(false);
    expect(isTransient(new Error('bug'))).toBe(false);
  });
});
