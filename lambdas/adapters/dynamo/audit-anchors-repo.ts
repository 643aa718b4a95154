import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, type NativeAttributeValue, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { AnchorPoint, AuditChain } from '../../core/audit-anchor.ts';
import type { ClaimEvent } from '../../core/events.ts';
import { dynamo } from '../aws-clients.ts';
import { keys } from './keys.ts';
import { queryAll } from './query.ts';
import { tableName } from './table.ts';

/** A chain's anchor as stored: the point it vouches for, KMS's MAC of it, and when it was written. */
export interface StoredAnchor extends AnchorPoint {
  mac: string;
  anchoredAt: string;
}

const anchorKey = (chain: AuditChain) =>
  chain === 'admin' ? keys.adminChainAnchor() : keys.claimAnchor(chain.slice('claim/'.length));

const eventKey = (chain: AuditChain, seq: number) =>
  chain === 'admin' ? keys.adminEvent(seq) : keys.event(chain.slice('claim/'.length), seq);

/** Access pattern: a chain's anchor (strongly consistent: the anchorer extends exactly this one). */
export async function chainAnchor(chain: AuditChain): Promise<StoredAnchor | undefined> {
  const r = await dynamo().send(
    new GetCommand({ TableName: tableName(), Key: anchorKey(chain), ConsistentRead: true }),
  );
  if (!r.Item) return undefined;
  return {
    seq: Number(r.Item.seq),
    hash: String(r.Item.hash),
    mac: String(r.Item.mac),
    anchoredAt: String(r.Item.anchoredAt),
  };
}

/**
 * Moves a chain's anchor from `previous` (none: the first) to `next`, only if it is still
 * `previous`: a concurrent or replayed anchoring loses (false) rather than moving it back.
 */
export async function moveChainAnchor(
  chain: AuditChain,
  previous: StoredAnchor | undefined,
  next: StoredAnchor,
): Promise<boolean> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...anchorKey(chain), entity: 'AuditAnchor', chain, ...next },
        ...(previous
          ? {
              ConditionExpression: '#seq = :seq AND #mac = :mac',
              ExpressionAttributeNames: { '#seq': 'seq', '#mac': 'mac' },
              ExpressionAttributeValues: { ':seq': previous.seq, ':mac': previous.mac },
            }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
}

/** Access pattern: a chain's events `fromSeq`..`toSeq` (filling a gap in what the stream delivered). */
export function chainEventsBetween(chain: AuditChain, fromSeq: number, toSeq: number): Promise<ClaimEvent[]> {
  const from = eventKey(chain, fromSeq);
  return queryAll<ClaimEvent>({
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': from.pk, ':from': from.sk, ':to': eventKey(chain, toSeq).sk },
    ConsistentRead: true,
  });
}

/** A claim's chain head as its item records it. */
export interface ClaimChainHead {
  claimId: string;
  lastSeq: number;
  lastHash: string;
}

/**
 * Access pattern (one-off, not a request path): every claim's chain head, page by page, to anchor
 * chains written before anchoring existed (`npm run anchor-chains`). Scans the table once.
 */
export async function* claimHeadPages(): AsyncGenerator<ClaimChainHead[]> {
  let start: Record<string, NativeAttributeValue> | undefined;
  do {
    const page = await dynamo().send(
      new ScanCommand({
        TableName: tableName(),
        FilterExpression: 'entity = :claim',
        ProjectionExpression: 'claimId, lastEventSeq, lastEventHash',
        ExpressionAttributeValues: { ':claim': 'Claim' },
        ExclusiveStartKey: start,
      }),
    );
    start = page.LastEvaluatedKey;
    yield (page.Items ?? []).map((i) => ({
      claimId: String(i.claimId),
      lastSeq: Number(i.lastEventSeq ?? 0),
      lastHash: String(i.lastEventHash ?? ''),
    }));
  } while (start);
}
