/**
 * What a message in the stateless stack's dead-letter queue (`AsyncFailures`) is, and so what
 * replaying it means. Three services write to that one queue, each in its own shape (AWS Lambda
 * Developer Guide, "Retaining records of asynchronous invocations" and "Retaining discarded records
 * for a DynamoDB event source"; Amazon EventBridge User Guide, "Using dead-letter queues"):
 * - **Lambda on-failure record** (VerifyUpload, DeadlineFired, ReceiveEmail, RecordWorkflowFailure
 *   after Lambda's own retries): `requestContext.functionArn` names the function and
 *   `requestPayload` is the event it was invoked with. Replayed by invoking that function again.
 * - **EventBridge target dead letter** (a rule could not invoke its target): the body is the event,
 *   the `RULE_ARN` and `TARGET_ARN` message attributes say from where to what. Replayed by invoking
 *   the target function with the event, as the rule would have.
 * - **Stream on-failure record** (ProcessClaimEvents, AnchorAuditChains): only a pointer
 *   (`DDBStreamBatchInfo`: shard and sequence range) to records the stream keeps for 24 hours. It
 *   carries nothing to replay: the records are handled the way the runbook says.
 * A Lambda dead-letter message from before the functions had on-failure destinations (the event
 * alone, attributes `RequestID`/`ErrorCode`) does not say which function failed: it is left for a
 * person, like anything else this does not recognise.
 */

/** One message as read from the queue: its body and its string message attributes. */
export interface DeadLetterMessage {
  body: string;
  attributes: Readonly<Record<string, string | undefined>>;
}

/** How long DynamoDB Streams keeps a record (a stream on-failure record points at them). */
export const STREAM_RETENTION_MS = 24 * 60 * 60 * 1000;

export type DeadLetter =
  | {
      kind: 'lambda-on-failure';
      /** The function's ARN without a version qualifier: what to invoke again. */
      functionArn: string;
      functionName: string;
      /** The event the function was invoked with, to invoke it with again. */
      payload: unknown;
      /** `RetriesExhausted`, `EventAgeExceeded`, … */
      condition: string;
      error: string | undefined;
    }
  | {
      kind: 'event-target';
      ruleArn: string;
      targetArn: string;
      /** Set when the target is a Lambda function (the only targets replayed). */
      functionName: string | undefined;
      event: unknown;
      error: string | undefined;
    }
  | {
      kind: 'stream-batch';
      functionName: string;
      streamArn: string;
      shardId: string;
      startSequenceNumber: string;
      endSequenceNumber: string;
      batchSize: number;
      /** ISO time the first record of the batch reached the stream. */
      firstArrival: string;
    }
  | { kind: 'unrecognised'; reason: string };

/**
 * Says what a dead-letter message is (see the module comment for the three shapes). Never throws:
 * a body that is not JSON, or JSON of no known shape, is `unrecognised` with the reason.
 */
export function classifyDeadLetter(message: DeadLetterMessage): DeadLetter {
  let body: unknown;
  try {
    body = JSON.parse(message.body);
  } catch {
    return { kind: 'unrecognised', reason: 'the body is not JSON' };
  }
  const ruleArn = message.attributes.RULE_ARN;
  const targetArn = message.attributes.TARGET_ARN;
  if (ruleArn && targetArn) {
    const error = [message.attributes.ERROR_CODE, message.attributes.ERROR_MESSAGE]
      .filter(Boolean)
      .join(': ');
    return {
      kind: 'event-target',
      ruleArn,
      targetArn,
      functionName: lambdaFunction(targetArn)?.name,
      event: body,
      error: error || undefined,
    };
  }
  if (!isObject(body)) return { kind: 'unrecognised', reason: 'the body is not a JSON object' };
  const context = isObject(body.requestContext) ? body.requestContext : undefined;
  const fn = typeof context?.functionArn === 'string' ? lambdaFunction(context.functionArn) : undefined;
  // A stream record names its function too: the batch pointer decides.
  const batch = isObject(body.DDBStreamBatchInfo) ? body.DDBStreamBatchInfo : undefined;
  if (batch && fn) {
    const { streamArn, shardId, startSequenceNumber, endSequenceNumber, batchSize } = batch;
    const firstArrival = batch.approximateArrivalOfFirstRecord;
    if (
      typeof streamArn === 'string' &&
      typeof shardId === 'string' &&
      typeof startSequenceNumber === 'string' &&
      typeof endSequenceNumber === 'string' &&
      typeof batchSize === 'number' &&
      typeof firstArrival === 'string'
    )
      return {
        kind: 'stream-batch',
        functionName: fn.name,
        streamArn,
        shardId,
        startSequenceNumber,
        endSequenceNumber,
        batchSize,
        firstArrival,
      };
    return { kind: 'unrecognised', reason: 'a stream on-failure record without its batch pointer' };
  }
  if (fn && 'requestPayload' in body)
    return {
      kind: 'lambda-on-failure',
      functionArn: fn.arn,
      functionName: fn.name,
      payload: body.requestPayload,
      condition: typeof context?.condition === 'string' ? context.condition : 'unknown',
      error: errorOf(body.responsePayload),
    };
  if (message.attributes.RequestID)
    return {
      kind: 'unrecognised',
      reason: 'a Lambda dead-letter message (the event alone): it does not say which function failed',
    };
  return { kind: 'unrecognised', reason: 'no known dead-letter shape' };
}

/**
 * Whether the records a stream batch points at are still in the stream at `now` (they are kept
 * 24 hours from when they arrived).
 */
export function streamRecordsKept(batch: { firstArrival: string }, now: Date): boolean {
  const arrived = Date.parse(batch.firstArrival);
  return Number.isFinite(arrived) && now.getTime() - arrived < STREAM_RETENTION_MS;
}

const LAMBDA_ARN = /^(arn:[^:]+:lambda:[^:]+:\d{12}:function:([A-Za-z0-9_-]+))(?::[^:]+)?$/;

/** The unqualified ARN and the name of a Lambda function ARN (`…:function:name[:qualifier]`). */
function lambdaFunction(arn: string): { arn: string; name: string } | undefined {
  const m = LAMBDA_ARN.exec(arn);
  return m?.[1] && m[2] ? { arn: m[1], name: m[2] } : undefined;
}

function errorOf(response: unknown): string | undefined {
  if (!isObject(response)) return typeof response === 'string' ? response : undefined;
  const parts = [response.errorType, response.errorMessage].filter((p) => typeof p === 'string');
  return parts.length > 0 ? parts.join(': ') : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
