/**
 * Which failures of an AWS call are worth trying again, said once for every caller: the workflow's
 * task wrapper (http/task-handler.ts turns them into TransientDependencyError, which the ASL
 * retries) and the notifications (app/notifications.ts retries the stream record or schedule).
 *
 * Throttling, whatever the service calls it, is transient: none of these carries `$retryable` once
 * the SDK's own attempts are spent, and several are client faults with a 400 (SNS's
 * ThrottledException, SES's LimitExceededException when the sending quota is used up). So are 429
 * and 5xx answers, timeouts and dropped connections.
 */
const THROTTLING: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'Throttling',
  // SNS Publish (SMS and topics): "the rate at which requests have been submitted is exceeded".
  'ThrottledException',
  // SNS to a KMS-encrypted topic when KMS throttles it.
  'KMSThrottlingException',
  // SES v2 SendEmail: the sending rate (TooManyRequests) or the sending quota (LimitExceeded).
  'TooManyRequestsException',
  'LimitExceededException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'TransactionInProgressException',
]);

/** Node's socket errors: the request may not have reached the service, or its answer was lost. */
const NETWORK: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
]);

/** True when `e` is a failure a later attempt may not meet (see above); false for anything else. */
export function isTransient(e: unknown): boolean {
  const x = e as
    | {
        $retryable?: unknown;
        $fault?: string;
        name?: string;
        code?: string;
        $metadata?: { httpStatusCode?: number };
      }
    | undefined;
  if (!x || typeof x !== 'object') return false;
  const status = x.$metadata?.httpStatusCode ?? 0;
  return Boolean(
    x.$retryable ||
      x.$fault === 'server' ||
      x.name === 'TimeoutError' ||
      THROTTLING.has(x.name ?? '') ||
      NETWORK.has(x.code ?? '') ||
      status === 429 ||
      status >= 500,
  );
}
