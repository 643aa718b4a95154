import { BatchWriteCommand, type NativeAttributeValue, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { LinkKind, SiuCase, SiuStatus } from '../../core/claim.ts';
import { dynamo } from '../aws-clients.ts';
import { keys, siuIndexKeys, stripKeys } from './keys.ts';
import { tableName } from './table.ts';

/** One claim under one shared attribute (the `LINK#` items). */
export interface ClaimLinkEntry {
  kind: LinkKind;
  value: string;
  claimId: string;
  claimNumber: string;
  customerId: string;
  submittedAt: string;
}

/**
 * Indexes a claim under its shared attributes. A put per attribute, the same key each time, so
 * writing again when documents arrive changes nothing that was there.
 */
export async function putClaimLinks(entries: readonly ClaimLinkEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 25) {
    let pending: { PutRequest: { Item: Record<string, NativeAttributeValue> } }[] = entries
      .slice(i, i + 25)
      .map((e) => ({
        PutRequest: { Item: { ...keys.claimLink(e.kind, e.value, e.claimId), entity: 'ClaimLink', ...e } },
      }));
    for (let attempt = 0; pending.length > 0 && attempt < 5; attempt++) {
      const r = await dynamo().send(new BatchWriteCommand({ RequestItems: { [tableName()]: pending } }));
      pending = (r.UnprocessedItems?.[tableName()] ?? []) as typeof pending;
    }
    if (pending.length > 0) throw new Error('BatchWrite left link items unprocessed');
  }
}

/** Access pattern: the claims under one shared attribute (at most `limit`, newest claim ids first). */
export async function claimsByLink(kind: LinkKind, value: string, limit: number): Promise<ClaimLinkEntry[]> {
  const key = keys.claimLink(kind, value);
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': key.pk, ':sk': key.sk },
      Limit: limit,
    }),
  );
  return (r.Items ?? []).map((i) => stripKeys<ClaimLinkEntry>(i));
}

/** An SIU case as its queue lists it. */
export interface SiuQueueEntry extends SiuCase {
  claimId: string;
  claimNumber: string;
  productCode: string;
  amount: number;
}

/** The stored item; written in the claim's own transaction (see `saveClaim`), so the two never disagree. */
export function siuCaseItem(e: SiuQueueEntry): Record<string, NativeAttributeValue> {
  return {
    ...keys.siuCase(e.claimId),
    ...siuIndexKeys(e.status, e.referredAt, e.claimId),
    entity: 'SiuCase',
    ...e,
  };
}

/** Access pattern: the SIU queue of one status, oldest referral first (GSI2 `SIU#<status>`). */
export async function siuQueue(
  status: SiuStatus,
  limit: number,
  after?: string,
): Promise<{ items: SiuQueueEntry[]; next?: string }> {
  const pk = siuIndexKeys(status, '', '').gsi2pk;
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      Limit: limit,
      ExclusiveStartKey: after
        ? { ...keys.siuCase(after.split('#').at(-1) ?? ''), gsi2pk: pk, gsi2sk: after }
        : undefined,
    }),
  );
  return {
    items: (r.Items ?? []).map((i) => stripKeys<SiuQueueEntry>(i)),
    next: r.LastEvaluatedKey ? String(r.LastEvaluatedKey.gsi2sk) : undefined,
  };
}
