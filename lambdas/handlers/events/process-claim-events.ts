import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import { z } from 'zod';
import { stripKeys } from '../../adapters/dynamo/keys.ts';
import { requireEnv } from '../../adapters/env.ts';
import { type QueuedEvent, reactInClaimOrder } from '../../app/claim-events.ts';
import { type ClaimEvent, EVENT_TYPES } from '../../core/events.ts';
import { systemClock } from '../../core/time.ts';
import { logger } from '../../http/api-handler.ts';
import { taskHandler } from '../../http/task-handler.ts';

requireEnv(
  'TABLE_NAME',
  'EMAIL_FROM',
  'WEB_BASE_URL',
  'DEPARTMENT_TOPIC_ARNS',
  'SCHEDULER_GROUP',
  'SCHEDULER_ROLE_ARN',
  'DEADLINE_TARGET_ARN',
);

/** A table-stream record. The event source mapping already filters to INSERTs of `entity = ClaimEvent`. */
const StreamRecord = z.object({
  eventName: z.string(),
  dynamodb: z.object({ SequenceNumber: z.string(), NewImage: z.record(z.string(), z.unknown()).optional() }),
});
const StoredEvent = z.looseObject({
  entity: z.literal('ClaimEvent'),
  claimId: z.string().min(1),
  seq: z.number().int().positive(),
  type: z.enum(EVENT_TYPES),
  at: z.iso.datetime(),
});

/** The claim event a record carries, or undefined for anything else (checked again, defensively). */
function claimEventOf(raw: unknown): QueuedEvent | undefined {
  const r = StreamRecord.safeParse(raw);
  if (!r.success || r.data.eventName !== 'INSERT' || !r.data.dynamodb.NewImage) return undefined;
  const item = unmarshall(r.data.dynamodb.NewImage as Record<string, AttributeValue>);
  if (item.entity !== 'ClaimEvent') return undefined;
  // A malformed event can never succeed: logged and skipped rather than retried until it expires.
  if (!StoredEvent.safeParse(item).success)
    return void logger.error('unreadable claim event', { sequenceNumber: r.data.dynamodb.SequenceNumber });
  return { itemIdentifier: r.data.dynamodb.SequenceNumber, event: stripKeys<ClaimEvent>(item) };
}

export const handler = taskHandler(
  'ProcessClaimEvents',
  z.object({ Records: z.array(z.unknown()) }),
  async ({ Records }): Promise<DynamoDBBatchResponse> => {
    const events = Records.map(claimEventOf).filter((e): e is QueuedEvent => e !== undefined);
    const failed = await reactInClaimOrder(events, systemClock);
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  },
);
