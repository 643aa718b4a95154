import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { DeadLetterMessage } from '../core/dead-letters.ts';

/**
 * The dead-letter queue and Lambda as the operator's replay (`npm run replay-dead-letters`) uses
 * them, with the operator's credentials: no function reads this queue or imports this module, so
 * these clients are not among the functions' (aws-clients.ts), and both SDK packages are dev
 * dependencies.
 */
const sqs = new SQSClient({});
const lambda = new LambdaClient({});

/** A message received: its content, and what deleting or releasing it takes. */
export interface ReceivedDeadLetter extends DeadLetterMessage {
  messageId: string;
  receiptHandle: string;
}

/**
 * Up to `max` (≤ 10) messages, hidden from other readers for `hideSeconds` so one run sees each
 * once. Long-polls briefly: a short poll samples only some SQS servers and may answer empty while
 * messages wait.
 */
export async function receiveDeadLetters(
  queueUrl: string,
  max: number,
  hideSeconds: number,
): Promise<ReceivedDeadLetter[]> {
  const out = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: Math.min(10, Math.max(1, max)),
      MessageAttributeNames: ['All'],
      VisibilityTimeout: hideSeconds,
      WaitTimeSeconds: 2,
    }),
  );
  return (out.Messages ?? []).flatMap((m) =>
    m.MessageId && m.ReceiptHandle
      ? [
          {
            messageId: m.MessageId,
            receiptHandle: m.ReceiptHandle,
            body: m.Body ?? '',
            attributes: Object.fromEntries(
              Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue]),
            ),
          },
        ]
      : [],
  );
}

export async function deleteDeadLetter(queueUrl: string, receiptHandle: string): Promise<void> {
  await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle }));
}

/** Makes a message left in the queue visible again at once (for the console or the next run). */
export async function releaseDeadLetter(queueUrl: string, receiptHandle: string): Promise<void> {
  await sqs.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: queueUrl,
      ReceiptHandle: receiptHandle,
      VisibilityTimeout: 0,
    }),
  );
}

/**
 * Invokes a function asynchronously with `payload`, as EventBridge, Scheduler and Lambda's own
 * retries do. True when Lambda accepted the event (202): from then on the function's retries and
 * on-failure destination have it.
 */
export async function invokeAsync(functionArn: string, payload: unknown): Promise<boolean> {
  const out = await lambda.send(
    new InvokeCommand({
      FunctionName: functionArn,
      InvocationType: 'Event',
      Payload: new TextEncoder().encode(JSON.stringify(payload)),
    }),
  );
  return out.StatusCode === 202;
}
