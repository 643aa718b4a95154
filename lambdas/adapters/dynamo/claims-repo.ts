import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  type NativeAttributeValue,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Claim, ClaimDocument } from '../../core/claim.ts';
import { QuotaExceededError, VersionConflictError } from '../../core/errors.ts';
import type { ClaimEvent } from '../../core/events.ts';
import { OFF_DESK_STATUSES, type WorkloadFacts, workloadChanges } from '../../core/lifecycle.ts';
import type { StoredSignal, WorkflowSignal } from '../../core/workflow-signals.ts';
import type { PartitionRead } from '../../core/paging.ts';
import { searchableValues } from '../../core/search.ts';
import { businessDate } from '../../core/time.ts';
import { dynamo } from '../aws-clients.ts';
import {
  claimIndexKeys,
  documentHashKeys,
  keys,
  pendingSignalIndexKeys,
  prefixes,
  stripKeys,
} from './keys.ts';
import { TTL_ATTRIBUTE } from '../../shared/table-definition.ts';
import { type PostAuditEntry, postAuditItem } from './post-audit-repo.ts';
import { payoutItem } from './finance-repo.ts';
import type { Payout } from '../../core/finance.ts';
import { type ClaimLinkEntry, claimLinkUpdate, type SiuQueueEntry, siuCaseItem } from './fraud-repo.ts';
import type { QuotaSlot } from '../../core/quotas.ts';
import { quotaSlotUpdate } from './quota-repo.ts';
import { type ItemRead, itemRead } from './item-reads.ts';
import { noticeSentUpdate } from './notices-repo.ts';
import { queryAll, under } from './query.ts';
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

/** Delivered signals are kept for a while as a record of what the workflow was told, then expire. */
const SIGNAL_RETENTION_S = 90 * 24 * 3600;

/** Outbox items for the signals a change owes, keyed by the claim revision that writes them. */
function signalPuts(claimId: string, revision: number, signals: readonly WorkflowSignal[], at: string) {
  return signals.map((signal, index) => ({
    Put: {
      TableName: tableName(),
      Item: {
        ...keys.signal(claimId, revision, index),
        ...pendingSignalIndexKeys(at, claimId, revision, index),
        entity: 'WorkflowSignal',
        claimId,
        revision,
        index,
        signal,
        createdAt: at,
        [TTL_ATTRIBUTE]: Math.floor(Date.parse(at) / 1000) + SIGNAL_RETENTION_S,
      } satisfies Item,
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  }));
}

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

/** The claim by id as one item of a combined read (strongly consistent, like `getClaim`). */
export function claimRead(claimId: string): ItemRead<Claim | undefined> {
  return itemRead(keys.claim(claimId), (item) => stripKeys<Claim>(item));
}

/** Access pattern: claim by human number. */
export async function getClaimIdByNumber(claimNumber: string): Promise<string | undefined> {
  const r = await dynamo().send(
    new GetCommand({ TableName: tableName(), Key: keys.claimNumber(claimNumber) }),
  );
  return r.Item?.claimId as string | undefined;
}

/** Claim index partitions, read in sort-key order a page at a time (see core/paging.ts). */
type ClaimIndex = 'gsi1' | 'gsi2' | 'gsi3' | 'gsi4';

/** Claim index sort keys end in `#<claimId>` (keys.ts claimIndexKeys). */
const claimIdOfSortKey = (sortKey: string) => sortKey.slice(sortKey.lastIndexOf('#') + 1);

/**
 * One read of a claim index partition: up to `limit` items evaluated after the sort key `after`.
 * The resume key is rebuilt from the sort key alone (a claim's table key is `CLAIM#<id>`/`CLAIM`),
 * which keeps cursors small.
 */
async function readClaimIndex(
  index: ClaimIndex,
  partitionKey: string,
  after: string | undefined,
  limit: number,
  opts: { descending?: boolean; sortPrefix?: string } = {},
): Promise<PartitionRead<Claim>> {
  const ipk = `${index}pk`;
  const isk = `${index}sk`;
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: index,
      KeyConditionExpression: opts.sortPrefix ? '#pk = :pk AND begins_with(#sk, :sk)' : '#pk = :pk',
      ExpressionAttributeNames: { '#pk': ipk, ...(opts.sortPrefix ? { '#sk': isk } : {}) },
      ExpressionAttributeValues: {
        ':pk': partitionKey,
        ...(opts.sortPrefix ? { ':sk': opts.sortPrefix } : {}),
      },
      ScanIndexForward: !opts.descending,
      Limit: limit,
      ExclusiveStartKey: after
        ? { ...keys.claim(claimIdOfSortKey(after)), [ipk]: partitionKey, [isk]: after }
        : undefined,
    }),
  );
  return {
    items: (r.Items ?? []).map((i) => ({ sortKey: String(i[isk]), item: stripKeys<Claim>(i) })),
    next: r.LastEvaluatedKey ? String(r.LastEvaluatedKey[isk]) : undefined,
  };
}

/** Access pattern: claims by customer, newest first (GSI1), one read. */
export const claimsByCustomer = (customerId: string, after: string | undefined, limit: number) =>
  readClaimIndex('gsi1', `CUSTOMER#${customerId}`, after, limit, {
    descending: true,
    sortPrefix: prefixes.customerClaim,
  });

/** Access pattern: claims on a policy, latest loss first (GSI4): the claim history staff see. */
export const claimsByPolicy = (policyNumber: string, after: string | undefined, limit: number) =>
  readClaimIndex('gsi4', `POLICY#${policyNumber}`, after, limit, { descending: true });

/** Access pattern: claims in one status, nearest deadline first (GSI2, the work queue). */
export const claimsByStatus = (status: string, after: string | undefined, limit: number) =>
  readClaimIndex('gsi2', `STATUS#${status}`, after, limit);

/** Access pattern: a staff member's claims in every status, nearest deadline first (GSI3). */
export const claimsByAssignee = (staffId: string, after: string | undefined, limit: number) =>
  readClaimIndex('gsi3', `ASSIGNEE#${staffId}`, after, limit);

/** Access pattern: claim ids by a normalised searchable value, newest first (lookup items). */
export async function claimIdsByLookup(
  kind: string,
  value: string,
  after: string | undefined,
  limit: number,
): Promise<PartitionRead<string>> {
  const key = keys.claimLookup(kind, value);
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      ...under(key.pk, key.sk),
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: after ? { pk: key.pk, sk: after } : undefined,
    }),
  );
  return {
    items: (r.Items ?? []).map((i) => ({ sortKey: String(i.sk), item: String(i.claimId) })),
    next: r.LastEvaluatedKey ? String(r.LastEvaluatedKey.sk) : undefined,
  };
}

/** Claims by id (BatchGet, at most 100 keys), in the order asked; missing ones are left out. */
export async function getClaims(claimIds: readonly string[]): Promise<Claim[]> {
  if (claimIds.length > 100) throw new Error('getClaims takes at most 100 ids');
  const found = new Map<string, Claim>();
  let pending: Record<string, NativeAttributeValue>[] = [...new Set(claimIds)].map((id) => keys.claim(id));
  for (let attempt = 0; pending.length > 0 && attempt < 5; attempt++) {
    const r = await dynamo().send(
      new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: pending, ConsistentRead: true } } }),
    );
    for (const i of r.Responses?.[tableName()] ?? []) found.set(String(i.claimId), stripKeys<Claim>(i));
    pending = (r.UnprocessedKeys?.[tableName()]?.Keys ?? []) as Record<string, NativeAttributeValue>[];
  }
  if (pending.length > 0) throw new Error('BatchGet left keys unprocessed');
  return claimIds.map((id) => found.get(id)).filter((c): c is Claim => c !== undefined);
}

/** What a work-queue count may filter on, as a FilterExpression (no in-memory filter). */
export interface ClaimCountFilter {
  status?: string;
  notStatuses?: readonly string[];
  line?: string;
  /** Unassigned or waiting in a queue (the team view). */
  unassignedOrQueued?: boolean;
}

/**
 * Counts one claim index partition with a filter, giving up after `maxPages` reads of 1 MB
 * (undefined: too many to count cheaply, the console says "more").
 */
export async function countClaims(
  index: 'gsi2' | 'gsi3',
  partitionKey: string,
  f: ClaimCountFilter,
  maxPages = 5,
): Promise<number | undefined> {
  const names: Record<string, string> = { '#pk': `${index}pk` };
  const values: Record<string, NativeAttributeValue> = { ':pk': partitionKey };
  const terms: string[] = [];
  if (f.status) {
    names['#s'] = 'status';
    values[':status'] = f.status;
    terms.push('#s = :status');
  }
  if (f.notStatuses?.length) {
    names['#s'] = 'status';
    f.notStatuses.forEach((s, i) => {
      values[`:n${i}`] = s;
    });
    terms.push(`NOT (#s IN (${f.notStatuses.map((_, i) => `:n${i}`).join(', ')}))`);
  }
  if (f.line) {
    names['#c'] = 'classification';
    names['#l'] = 'line';
    values[':line'] = f.line;
    terms.push('#c.#l = :line');
  }
  if (f.unassignedOrQueued) {
    names['#a'] = 'assignee';
    names['#q'] = 'assignedQueue';
    terms.push('(attribute_not_exists(#a) OR attribute_exists(#q))');
  }
  let count = 0;
  let start: Record<string, unknown> | undefined;
  for (let page = 0; page < maxPages; page++) {
    const r = await dynamo().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: index,
        KeyConditionExpression: '#pk = :pk',
        FilterExpression: terms.length ? terms.join(' AND ') : undefined,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    );
    count += r.Count ?? 0;
    start = r.LastEvaluatedKey;
    if (!start) return count;
  }
  return undefined;
}

/**
 * Access pattern: other claims with the same policy, loss day (Vietnam) and cause — the duplicate
 * check. A strongly consistent read of marker items written with each claim, so two claims filed
 * seconds apart still see each other.
 */
export function claimsWithSameLoss(policyNumber: string, lossDate: string, cause: string) {
  const key = keys.sameLoss(policyNumber, lossDate, cause);
  return queryAll({ ...under(key.pk, key.sk), ConsistentRead: true }, (i) => ({
    claimId: i.claimId as string,
    claimNumber: i.claimNumber as string,
    lossAt: i.lossAt as string,
    cause: i.cause as string,
    submittedAt: i.submittedAt as string,
  }));
}

/** Access pattern: claim events in order (the timeline and the audit chain). */
export function eventsOfClaim(claimId: string): Promise<ClaimEvent[]> {
  return queryAll<ClaimEvent>({ ...under(keys.claim(claimId).pk, prefixes.event), ConsistentRead: true });
}

/** Access pattern: documents of a claim. */
export function documentsOfClaim(claimId: string): Promise<ClaimDocument[]> {
  return queryAll<ClaimDocument>({
    ...under(keys.claim(claimId).pk, prefixes.document),
    ConsistentRead: true,
  });
}

/**
 * Access pattern: a claim's documents and events in one query of its partition (`DOC#…` sorts just
 * before `EVENT#…`, nothing between), strongly consistent: what fraud scoring reads.
 */
export async function documentsAndEventsOfClaim(
  claimId: string,
): Promise<{ documents: ClaimDocument[]; events: ClaimEvent[] }> {
  const items = await queryAll<Record<string, unknown>>(
    {
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :docs AND :events',
      ExpressionAttributeValues: {
        ':pk': keys.claim(claimId).pk,
        ':docs': prefixes.document,
        ':events': `${prefixes.event}\uffff`,
      },
      ConsistentRead: true,
    },
    (i) => i,
  );
  const of = (prefix: string) => items.filter((i) => String(i.sk).startsWith(prefix));
  return {
    documents: of(prefixes.document).map((i) => stripKeys<ClaimDocument>(i)),
    events: of(prefixes.event).map((i) => stripKeys<ClaimEvent>(i)),
  };
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

/** The open-workload counters a claim change moves (core/assignment.ts `workloadChanges`). */
function workloadUpdates(before: WorkloadFacts | undefined, after: WorkloadFacts) {
  return workloadChanges(before, after).map(({ staffId, delta }) => ({
    Update: {
      TableName: tableName(),
      Key: keys.workload(staffId),
      UpdateExpression: 'ADD #open :delta SET entity = :entity',
      ExpressionAttributeNames: { '#open': 'openClaims' },
      ExpressionAttributeValues: { ':delta': delta, ':entity': 'StaffWorkload' },
    },
  }));
}

/** Creates a claim with its first events and its number pointer, all or nothing. */
export async function createClaim(
  claim: Claim,
  events: readonly ClaimEvent[],
  signals: readonly WorkflowSignal[] = [],
): Promise<void> {
  // A transaction cancelled because another one held a shared item (a workload counter)
  // wrote nothing: it is tried again, a few times, after a short random pause.
  for (let attempt = 1; ; attempt++) {
    try {
      return await createClaimOnce(claim, events, signals);
    } catch (e) {
      const conflict =
        e instanceof TransactionCanceledException &&
        e.CancellationReasons?.some((r) => r.Code === 'TransactionConflict') &&
        !e.CancellationReasons.some((r) => r.Code === 'ConditionalCheckFailed');
      if (!conflict || attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
    }
  }
}

async function createClaimOnce(
  claim: Claim,
  events: readonly ClaimEvent[],
  signals: readonly WorkflowSignal[],
): Promise<void> {
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
          // Staff find the claim by these in every status (searchable values never change after filing).
          ...searchableValues(claim).map(({ kind, value }) => ({
            Put: {
              TableName: tableName(),
              Item: {
                ...keys.claimLookup(kind, value, claim.submittedAt, claim.claimId),
                entity: 'ClaimLookup',
                claimId: claim.claimId,
              },
            },
          })),
          ...events.map((e) => ({
            Put: {
              TableName: tableName(),
              Item: eventItem(e),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          })),
          ...signalPuts(claim.claimId, claim.revision, signals, claim.submittedAt),
          ...workloadUpdates(undefined, claim),
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
export interface SaveWith {
  documents?: readonly ClaimDocument[];
  signals?: readonly WorkflowSignal[];
  /** Post-audit queue entries that change with this revision of the claim. */
  postAudit?: readonly PostAuditEntry[];
  /** New payout lines the change creates (the final payout, an advance payment): each written once. */
  payouts?: readonly Payout[];
  /** The claim's SIU case as the SIU queue lists it, when the change touches it. */
  siuCases?: readonly SiuQueueEntry[];
  /** Daily quota slots the change uses (a customer's thread message): taken with it, or neither. */
  quotaSlots?: readonly QuotaSlot[];
  /** The claim as read (at `expectedRevision`): the open-workload counters move with the change. */
  before?: WorkloadFacts;
  /** The claim added under its shared attribute values (fraud links), with the score that read them. */
  claimLinks?: readonly ClaimLinkEntry[];
  /** Notices of the claim (their keys) sent before this change and marked sent with it. */
  noticesSent?: readonly string[];
}

export async function saveClaim(
  next: Claim,
  expectedRevision: number,
  events: readonly ClaimEvent[],
  {
    documents = [],
    signals = [],
    postAudit = [],
    payouts = [],
    siuCases = [],
    quotaSlots = [],
    before,
    claimLinks = [],
    noticesSent = [],
  }: SaveWith = {},
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
          // Right after the claim (indexes 1…n): a cancellation names the slot that was used up.
          ...quotaSlots.map((slot) => quotaSlotUpdate(slot)),
          ...events.map((e) => ({
            Put: {
              TableName: tableName(),
              Item: eventItem(e),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          })),
          ...documents.map((d) => ({ Put: { TableName: tableName(), Item: documentItem(d) } })),
          ...signalPuts(next.claimId, next.revision, signals, next.updatedAt),
          ...postAudit.map((e) => ({ Put: { TableName: tableName(), Item: postAuditItem(e) } })),
          ...payouts.map((p) => ({
            Put: {
              TableName: tableName(),
              Item: payoutItem(p),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          })),
          ...siuCases.map((e) => ({ Put: { TableName: tableName(), Item: siuCaseItem(e) } })),
          ...workloadUpdates(before, next),
          ...claimLinks.map((e) => claimLinkUpdate(e)),
          ...noticesSent.map((key) => noticeSentUpdate(next.claimId, key)),
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
      // The claim was current, so the refusal is a used-up quota (retrying would not help).
      const usedUp = quotaSlots.find(
        (_, i) => e.CancellationReasons?.[i + 1]?.Code === 'ConditionalCheckFailed',
      );
      if (usedUp)
        throw new QuotaExceededError(
          usedUp.quota,
          usedUp.limit,
          usedUp.window.retryAfterSeconds,
          usedUp.window.resetsAt.toISOString(),
        );
      // Another transaction held one of the items (the claim, or a counter or index item it
      // shares with other claims' writes): nothing was written, so it is retried like a lost race.
      if (
        e.CancellationReasons?.some(
          (r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict',
        )
      ) {
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

/** Marks a signal delivered: it leaves the pending index (the operator's alert list). */
export async function markSignalDelivered(claimId: string, revision: number, index: number, at: string) {
  await dynamo().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.signal(claimId, revision, index),
      UpdateExpression: 'SET deliveredAt = :at REMOVE gsi2pk, gsi2sk, lastError',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':at': at },
    }),
  );
}

/** Records why a delivery attempt failed (the stream retries it; the operator sees the reason). */
export async function recordSignalFailure(claimId: string, revision: number, index: number, error: string) {
  await dynamo().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.signal(claimId, revision, index),
      UpdateExpression: 'SET lastError = :e, attempts = if_not_exists(attempts, :zero) + :one',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deliveredAt)',
      ExpressionAttributeValues: { ':e': error.slice(0, 500), ':zero': 0, ':one': 1 },
    }),
  );
}

/** Access pattern: a claim's workflow signals (its outbox), oldest first. */
export function signalsOfClaim(claimId: string): Promise<StoredSignal[]> {
  return queryAll<StoredSignal>({ ...under(keys.claim(claimId).pk, prefixes.signal), ConsistentRead: true });
}

/**
 * Access pattern: signals not delivered since before `olderThan` (GSI2 `SIGNAL#PENDING`, a sparse
 * entry removed on delivery) — claims whose workflow is not where the claim says it is.
 */
export async function undeliveredSignals(olderThan: string, limit = 100): Promise<StoredSignal[]> {
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :before',
      ExpressionAttributeValues: { ':pk': 'SIGNAL#PENDING', ':before': olderThan },
      Limit: limit,
    }),
  );
  return (r.Items ?? []).map((i) => stripKeys<StoredSignal>(i));
}

/**
 * Hands a signal that is still pending back to the stream: a copy under a new key (a new INSERT the
 * deliverer picks up) replaces it, in one transaction, so the same signal is never pending twice.
 */
export async function requeueSignal(
  stored: StoredSignal,
  attempt: number,
  at: string,
): Promise<StoredSignal> {
  const index = stored.index + 100 * attempt;
  const copy: StoredSignal = {
    ...stored,
    index,
    createdAt: at,
    lastError: undefined,
    deliveredAt: undefined,
  };
  const [put] = signalPuts(stored.claimId, stored.revision, [stored.signal], at);
  await dynamo().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            ...put!.Put,
            Item: {
              ...put!.Put.Item,
              ...keys.signal(stored.claimId, stored.revision, index),
              ...pendingSignalIndexKeys(at, stored.claimId, stored.revision, index),
              index,
              requeuedFrom: stored.index,
            },
          },
        },
        {
          Update: {
            TableName: tableName(),
            Key: keys.signal(stored.claimId, stored.revision, stored.index),
            UpdateExpression: 'SET requeuedAs = :i REMOVE gsi2pk, gsi2sk',
            ConditionExpression:
              'attribute_exists(pk) AND attribute_not_exists(deliveredAt) AND attribute_not_exists(requeuedAs)',
            ExpressionAttributeValues: { ':i': index },
          },
        },
      ],
    }),
  );
  return copy;
}
