import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  type NativeAttributeValue,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Claim, ClaimDocument } from '../../core/claim.ts';
import { VersionConflictError } from '../../core/errors.ts';
import { OFF_DESK_STATUSES } from '../../core/lifecycle.ts';
import type { ClaimEvent } from '../../core/events.ts';
import { businessDate } from '../../core/time.ts';
import { dynamo } from '../aws-clients.ts';
import { claimIndexKeys, documentHashKeys, keys, prefixes, stripKeys } from './keys.ts';
import { tableName } from './table.ts';

type Item = Record<string, NativeAttributeValue>;

function claimItem(c: Claim): Item {
  return {
    ...keys.claim(c.claimId),
    ...claimIndexKeys({ ...c, lossAt: c.report.lossAt }),
    entity: 'Claim',
    ...c,
  };
}

const eventItem = (e: ClaimEvent): Item => ({ ...keys.event(e.claimId, e.seq), entity: 'ClaimEvent', ...e });

function documentItem(d: ClaimDocument): Item {
  return {
    ...keys.document(d.claimId, d.documentId),
    ...(d.sha256 ? documentHashKeys(d.sha256, d.claimId, d.documentId) : {}),
    entity: 'ClaimDocument',
    ...d,
  };
}

/** Access pattern: claim by id. */
export async function getClaim(claimId: string): Promise<Claim | undefined> {
  const r = await dynamo().send(
    new GetCommand({ TableName: tableName(), Key: keys.claim(claimId), ConsistentRead: true }),
  );
  return r.Item ? stripKeys<Claim>(r.Item) : undefined;
}

/** Access pattern: claim by human number. */
export async function getClaimIdByNumber(claimNumber: string): Promise<string | undefined> {
  const r = await dynamo().send(
    new GetCommand({ TableName: tableName(), Key: keys.claimNumber(claimNumber) }),
  );
  return r.Item?.claimId as string | undefined;
}

export interface Page<T> {
  items: T[];
  cursor?: string;
}

const encodeCursor = (k: Record<string, unknown> | undefined) =>
  k ? Buffer.from(JSON.stringify(k)).toString('base64url') : undefined;
function decodeCursor(c: string | undefined): Record<string, unknown> | undefined {
  if (!c) return undefined;
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
    return v && typeof v === 'object' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Access pattern: claims by customer, newest first (GSI1). */
export async function claimsByCustomer(
  customerId: string,
  limit = 50,
  cursor?: string,
): Promise<Page<Claim>> {
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :sk)',
      ExpressionAttributeValues: { ':pk': `CUSTOMER#${customerId}`, ':sk': prefixes.customerClaim },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor),
    }),
  );
  return { items: (r.Items ?? []).map((i) => stripKeys<Claim>(i)), cursor: encodeCursor(r.LastEvaluatedKey) };
}

/** Access pattern: claims on a policy (GSI4), for duplicate detection. */
export async function claimsByPolicy(policyNumber: string): Promise<Claim[]> {
  const out: Claim[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await dynamo().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi4',
        KeyConditionExpression: 'gsi4pk = :pk',
        ExpressionAttributeValues: { ':pk': `POLICY#${policyNumber}` },
        ExclusiveStartKey: start,
      }),
    );
    out.push(...(r.Items ?? []).map((i) => stripKeys<Claim>(i)));
    start = r.LastEvaluatedKey;
  } while (start);
  return out;
}

/**
 * Access pattern: other claims with the same policy, loss day (Vietnam) and cause — the duplicate
 * check. A strongly consistent read of marker items written with each claim, so two claims filed
 * seconds apart still see each other.
 */
export async function claimsWithSameLoss(policyNumber: string, lossDate: string, cause: string) {
  const key = keys.sameLoss(policyNumber, lossDate, cause);
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': key.pk, ':sk': key.sk },
      ConsistentRead: true,
    }),
  );
  return (r.Items ?? []).map((i) => ({
    claimId: i.claimId as string,
    claimNumber: i.claimNumber as string,
    lossAt: i.lossAt as string,
    cause: i.cause as string,
    submittedAt: i.submittedAt as string,
  }));
}

/** Access pattern: claim events in order (the timeline and the audit chain). */
export async function eventsOfClaim(claimId: string): Promise<ClaimEvent[]> {
  const out: ClaimEvent[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await dynamo().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': keys.claim(claimId).pk, ':sk': prefixes.event },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    out.push(...(r.Items ?? []).map((i) => stripKeys<ClaimEvent>(i)));
    start = r.LastEvaluatedKey;
  } while (start);
  return out;
}

/** Access pattern: documents of a claim. */
export async function documentsOfClaim(claimId: string): Promise<ClaimDocument[]> {
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': keys.claim(claimId).pk, ':sk': prefixes.document },
      ConsistentRead: true,
    }),
  );
  return (r.Items ?? []).map((i) => stripKeys<ClaimDocument>(i));
}

export async function getDocument(claimId: string, documentId: string): Promise<ClaimDocument | undefined> {
  const r = await dynamo().send(
    new GetCommand({ TableName: tableName(), Key: keys.document(claimId, documentId), ConsistentRead: true }),
  );
  return r.Item ? stripKeys<ClaimDocument>(r.Item) : undefined;
}

/** Access pattern: documents by content hash (GSI3), to spot the same file sent twice. */
export async function documentsByHash(sha256: string): Promise<{ claimId: string; documentId: string }[]> {
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :pk',
      ExpressionAttributeValues: { ':pk': `DOCHASH#${sha256}` },
    }),
  );
  return (r.Items ?? []).map((i) => ({ claimId: i.claimId as string, documentId: i.documentId as string }));
}

/** Atomic yearly counter behind claim numbers. */
export async function nextSequence(name: string): Promise<number> {
  const r = await dynamo().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.counter(name),
      UpdateExpression: 'ADD #v :one',
      ExpressionAttributeNames: { '#v': 'value' },
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(r.Attributes?.value);
}

export class ClaimAlreadyExistsError extends Error {
  override readonly name = 'ClaimAlreadyExistsError';
}

/** Creates a claim with its first events and its number pointer, all or nothing. */
export async function createClaim(claim: Claim, events: readonly ClaimEvent[]): Promise<void> {
  try {
    await dynamo().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: claimItem(claim),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: tableName(),
              Item: { ...keys.claimNumber(claim.claimNumber), entity: 'ClaimNumber', claimId: claim.claimId },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: tableName(),
              Item: {
                ...keys.sameLoss(
                  claim.policyNumber,
                  businessDate(new Date(claim.report.lossAt)),
                  claim.report.cause,
                  claim.claimId,
                ),
                entity: 'SameLossMarker',
                claimId: claim.claimId,
                claimNumber: claim.claimNumber,
                lossAt: claim.report.lossAt,
                cause: claim.report.cause,
                submittedAt: claim.submittedAt,
              },
            },
          },
          ...events.map((e) => ({
            Put: {
              TableName: tableName(),
              Item: eventItem(e),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          })),
        ],
      }),
    );
  } catch (e) {
    if (
      e instanceof TransactionCanceledException &&
      e.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
    ) {
      throw new ClaimAlreadyExistsError(claim.claimId);
    }
    throw e;
  }
}

/**
 * Saves a new revision of the claim with the events that explain the change, all or nothing. The
 * write only succeeds if nobody else saved since `expectedRevision` was read (optimistic locking);
 * each event's key must be new, so the chain can only grow.
 */
export async function saveClaim(
  next: Claim,
  expectedRevision: number,
  events: readonly ClaimEvent[],
  documents: readonly ClaimDocument[] = [],
): Promise<void> {
  try {
    await dynamo().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: claimItem(next),
              ConditionExpression: '#r = :expected',
              ExpressionAttributeNames: { '#r': 'revision' },
              ExpressionAttributeValues: { ':expected': expectedRevision },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          ...events.map((e) => ({
            Put: {
              TableName: tableName(),
              Item: eventItem(e),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          })),
          ...documents.map((d) => ({ Put: { TableName: tableName(), Item: documentItem(d) } })),
        ],
      }),
    );
  } catch (e) {
    if (e instanceof TransactionCanceledException) {
      const reason = e.CancellationReasons?.[0];
      if (reason?.Code === 'ConditionalCheckFailed') {
        const current = reason.Item?.version as { N?: string } | undefined;
        throw new VersionConflictError(current?.N ? Number(current.N) : undefined);
      }
      if (e.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed')) {
        throw new VersionConflictError(undefined);
      }
    }
    throw e;
  }
}

/** Writes a document record on its own (upload intents, before anything is attached to the claim). */
export async function putDocument(d: ClaimDocument): Promise<void> {
  await dynamo().send(new PutCommand({ TableName: tableName(), Item: documentItem(d) }));
}

/** The assignee index, open (on-desk) claims only. */
function assigneeQuery(staffId: string) {
  return {
    TableName: tableName(),
    IndexName: 'gsi3',
    KeyConditionExpression: 'gsi3pk = :pk',
    FilterExpression: `NOT (#s IN (${OFF_DESK_STATUSES.map((_, i) => `:c${i}`).join(', ')}))`,
    ExpressionAttributeNames: { '#s': 'status' },
    ExpressionAttributeValues: {
      ':pk': `ASSIGNEE#${staffId}`,
      ...Object.fromEntries(OFF_DESK_STATUSES.map((s, i) => [`:c${i}`, s])),
    },
  };
}

/** Access pattern: an adjuster's open claims, nearest deadline first (GSI3). */
export async function claimsByAssignee(staffId: string, limit = 200): Promise<Claim[]> {
  const r = await dynamo().send(new QueryCommand({ ...assigneeQuery(staffId), Limit: limit }));
  return (r.Items ?? []).map((i) => stripKeys<Claim>(i));
}

/**
 * An adjuster's open workload (count only). A filtered COUNT still reads every assigned claim page
 * by page, so the cost grows with the adjuster's history: fine for assignment and staff screens.
 */
export async function openClaimCount(staffId: string): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const r = await dynamo().send(
      new QueryCommand({ ...assigneeQuery(staffId), Select: 'COUNT', ExclusiveStartKey: start }),
    );
    count += r.Count ?? 0;
    start = r.LastEvaluatedKey;
  } while (start);
  return count;
}

/** Access pattern: claims in one status, nearest deadline first (GSI2, the work queue). */
export async function claimsByStatus(status: string, limit = 100): Promise<Claim[]> {
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': `STATUS#${status}` },
      Limit: limit,
    }),
  );
  return (r.Items ?? []).map((i) => stripKeys<Claim>(i));
}
