import { type NativeAttributeValue, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { PostAuditOutcome } from '../../core/claim.ts';
import { dynamo } from '../aws-clients.ts';
import { keys, postAuditIndexKeys, stripKeys } from './keys.ts';
import { tableName } from './table.ts';

/** One straight-through payment sampled for review after payment, as the post-audit queue lists it. */
export interface PostAuditEntry {
  claimId: string;
  claimNumber: string;
  productCode: string;
  status: 'pending' | 'reviewed';
  sampledAt: string;
  amount: { amount: number; currency: 'VND' };
  /** What straight-through paid on (`einvoice` or `declared`). */
  basis?: string;
  outcome?: PostAuditOutcome;
  reviewedAt?: string;
}

/** The stored item; written in the claim's own transaction (see `saveClaim`), so the two never disagree. */
export function postAuditItem(e: PostAuditEntry): Record<string, NativeAttributeValue> {
  return {
    ...keys.postAudit(e.claimId),
    ...postAuditIndexKeys(e.status, e.sampledAt, e.claimId),
    entity: 'PostAudit',
    ...e,
  };
}

/** Access pattern: the post-audit queue of one status, oldest sample first (GSI2 `POSTAUDIT#<status>`). */
export async function postAuditQueue(status: 'pending' | 'reviewed', limit = 100): Promise<PostAuditEntry[]> {
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': postAuditIndexKeys(status, '', '').gsi2pk },
      ScanIndexForward: status === 'pending',
      Limit: limit,
    }),
  );
  return (r.Items ?? []).map((i) => stripKeys<PostAuditEntry>(i));
}
