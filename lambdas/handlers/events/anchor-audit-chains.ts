import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import * as z from 'zod/mini';
import { stripKeys } from '../../adapters/dynamo/keys.ts';
import { requireEnv } from '../../adapters/env.ts';
import { anchorChains, type ChainRecord } from '../../app/audit-anchors.ts';
import { ADMIN_AUDIT_CHAIN, claimAuditChain } from '../../core/audit-anchor.ts';
import type { ClaimEvent } from '../../core/events.ts';
import { systemClock } from '../../core/time.ts';
import { taskHandler } from '../../http/task-handler.ts';
import { logger } from '../../runtime/logger.ts';

requireEnv('TABLE_NAME', 'AUDIT_KEY_ID');

/** A table-stream record; the event source mapping already filters to INSERTs of ANCHOR_STREAM_FILTER. */
const StreamRecord = z.object({
  eventName: z.string(),
  dynamodb: z.object({ SequenceNumber: z.string(), NewImage: z.optional(z.record(z.string(), z.unknown())) }),
});
const StoredChainEvent = z.looseObject({
  entity: z.enum(['ClaimEvent', 'AdminEvent']),
  claimId: z.string().check(z.minLength(1)),
  seq: z.int().check(z.positive()),
  at: z.string(),
  prevHash: z.string(),
  hash: z.string(),
});

/** The chain event a record carries, or undefined for anything else (a malformed one is logged). */
function chainRecordOf(raw: unknown): ChainRecord | undefined {
  const r = StreamRecord.safeParse(raw);
  if (!r.success || r.data.eventName !== 'INSERT' || !r.data.dynamodb.NewImage) return undefined;
  const item = unmarshall(r.data.dynamodb.NewImage as Record<string, AttributeValue>);
  const parsed = StoredChainEvent.safeParse(item);
  if (!parsed.success)
    return void logger.error('unreadable audit chain event', {
      sequenceNumber: r.data.dynamodb.SequenceNumber,
    });
  return {
    itemIdentifier: r.data.dynamodb.SequenceNumber,
    chain: parsed.data.entity === 'AdminEvent' ? ADMIN_AUDIT_CHAIN : claimAuditChain(parsed.data.claimId),
    event: stripKeys<ClaimEvent>(item),
  };
}

export const handler = taskHandler(
  'AnchorAuditChains',
  z.object({ Records: z.array(z.unknown()) }),
  async ({ Records }): Promise<DynamoDBBatchResponse> => {
    const records = Records.map(chainRecordOf).filter((r): r is ChainRecord => r !== undefined);
    const failed = await anchorChains(records, systemClock);
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  },
);
