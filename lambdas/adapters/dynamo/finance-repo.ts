import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  GetCommand,
  type NativeAttributeValue,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Claim } from '../../core/claim.ts';
import { DomainError } from '../../core/errors.ts';
import { awaitingFrom, type PaymentBatch, type Payout, type RejectionReport } from '../../core/finance.ts';
import { siuHoldsPayment } from '../../core/fraud/siu.ts';
import { dynamo } from '../aws-clients.ts';
import { financeKeys, keys, stripKeys } from './keys.ts';
import { queryAll, under } from './query.ts';
import { tableName } from './table.ts';
import type { GuardedWrite } from './admin-audit-repo.ts';

type Item = Record<string, NativeAttributeValue>;

/** Runs a conditional write; false when the condition did not hold (someone else got there first). */
async function conditional(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
}

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

/**
 * Runs one transaction; false when a condition in it did not hold. A conflict with another
 * transaction on the same item (two files confirming lines of one batch at once) is retried.
 */
async function transact(items: TransactItem[]): Promise<boolean> {
  return (await unmetConditions(items)).length === 0;
}

/**
 * {@link transact}, answering which conditions did not hold (the items' indexes; none when it was
 * written), for a caller whose next step depends on which item refused.
 */
async function unmetConditions(items: TransactItem[]): Promise<number[]> {
  for (let attempt = 0; ; attempt++) {
    try {
      await dynamo().send(new TransactWriteCommand({ TransactItems: items }));
      return [];
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const codes = (e.CancellationReasons ?? []).map((r) => r.Code);
      // Only a condition that did not hold is an answer; throttling, a validation error or anything
      // else is a failure the caller must see (an import listing the line as already handled, and
      // finishing, would never record the payment).
      const unmet = codes.flatMap((code, i) => (code === 'ConditionalCheckFailed' ? [i] : []));
      if (unmet.length > 0) return unmet;
      if (!codes.includes('TransactionConflict') || attempt >= 5) throw e;
      await new Promise((res) => setTimeout(res, 20 * 2 ** attempt));
    }
  }
}

/**
 * One more payout of the batch confirmed paid or rejected by the bank, counted in the same
 * transaction as the payout's own change: each transfer is counted once, however often its
 * confirmation file is imported or resumed.
 */
const countOnBatch = (batchId: string, field: 'paidCount' | 'failedCount'): TransactItem => ({
  Update: {
    TableName: tableName(),
    Key: financeKeys.batch(batchId),
    UpdateExpression: 'ADD #c :one',
    ExpressionAttributeNames: { '#c': field },
    ExpressionAttributeValues: { ':one': 1 },
  },
});

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

const advanceOf = (p: Pick<Payout, 'payoutId' | 'claimId' | 'kind'>) =>
  p.kind === 'advance' ? Number(p.payoutId.slice(p.claimId.length + 2)) : undefined;
const payoutKey = (p: Pick<Payout, 'payoutId' | 'claimId' | 'kind'>) =>
  financeKeys.payout(p.claimId, advanceOf(p));

// ---- payouts ------------------------------------------------------------------------------------

/**
 * Writes a payout line on its own, awaiting a batch; false if it existed (`attribute_not_exists`).
 * The use cases write their lines in the claim's transaction instead (queuePayment, an advance
 * payment), so that each takes the claim's hold; the tests seed lines with no claim with this.
 */
export async function putPayoutIfNew(p: Payout): Promise<boolean> {
  return conditional(() =>
    dynamo().send(
      new PutCommand({
        TableName: tableName(),
        Item: payoutItem(p),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
}

/** The stored payout line (also written inside a claim's transaction, e.g. an advance payment). */
export function payoutItem(p: Payout): Record<string, unknown> {
  return {
    ...payoutKey(p),
    // Payouts by date (finance reports) and the awaiting queue (sparse: only unbatched lines).
    gsi2pk: `PAYOUT#${p.date}`,
    gsi2sk: `${p.queuedAt}#${p.payoutId}`,
    // A held payout (an account change to confirm, the SIU, a failed workflow step) stays out of the awaiting queue.
    ...(p.hold ? {} : financeKeys.payoutsAwaiting(awaitingFrom(p), p.payoutId)),
    entity: 'Payout',
    ...p,
  };
}

export async function getPayout(claimId: string, advance?: number): Promise<Payout | undefined> {
  const r = await dynamo().send(
    new GetCommand({
      TableName: tableName(),
      Key: financeKeys.payout(claimId, advance),
      ConsistentRead: true,
    }),
  );
  return r.Item ? stripKeys<Payout>(r.Item) : undefined;
}

/** The stored item of a payout line read from an index (which may lag the item). */
export const currentPayout = (p: Pick<Payout, 'payoutId' | 'claimId' | 'kind'>) =>
  getPayout(p.claimId, advanceOf(p));

/** Access pattern: payouts awaiting a batch, oldest first, queued up to `cutoff` (GSI4, sparse). */
export async function payoutsAwaiting(opts: {
  cutoff?: string;
  limit: number;
  cursor?: string;
}): Promise<Page<Payout>> {
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi4',
      KeyConditionExpression: opts.cutoff ? 'gsi4pk = :pk AND gsi4sk <= :to' : 'gsi4pk = :pk',
      ExpressionAttributeValues: {
        ':pk': 'PAYOUTS#AWAITING',
        ...(opts.cutoff ? { ':to': `${opts.cutoff}#\uffff` } : {}),
      },
      Limit: opts.limit,
      ExclusiveStartKey: decodeCursor(opts.cursor),
    }),
  );
  return {
    items: (r.Items ?? []).map((i) => stripKeys<Payout>(i)),
    cursor: encodeCursor(r.LastEvaluatedKey),
  };
}

/** Access pattern: the payouts of one batch, in payout-id order (GSI4 `BATCH#<id>`). */
export async function payoutsInBatch(batchId: string, limit: number, cursor?: string): Promise<Page<Payout>> {
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi4',
      KeyConditionExpression: 'gsi4pk = :pk',
      ExpressionAttributeValues: { ':pk': financeKeys.payoutInBatch(batchId, '').gsi4pk },
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor),
    }),
  );
  return {
    items: (r.Items ?? []).map((i) => stripKeys<Payout>(i)),
    cursor: encodeCursor(r.LastEvaluatedKey),
  };
}

/**
 * Puts one payout in a batch. Atomic per payout: only a payout with no batch, still awaiting, is
 * taken (`attribute_not_exists(batchId)`), so two batches built at once never share a payout.
 * The payout leaves the awaiting queue in the same write (its GSI4 entry moves to the batch).
 *
 * Its claim is checked in the same transaction (`claimNotHeld`): a line the claim's hold never
 * reached (a referral that ran before the line existed, a hold step that failed) is not taken, and
 * takes the claim's hold instead, leaving the awaiting queue until what the hold waits for lifts it.
 * The check costs no request, but write units: a ConditionCheck is billed like a transactional write
 * of the claim item, and the payout's update becomes transactional too (twice a plain update's). On
 * DynamoDB Local a straight-through claim of ~10 KB takes 28 units a payout instead of 4: at on-demand
 * prices some 17 US$ more per million payouts, for a check that money never leaves on a held claim.
 */
export async function assignPayoutToBatch(
  p: Payout,
  batchId: string,
  /** What the bank file pays (`pricedForPayment`): written with the assignment. */
  priced: { amount: number; interest: number } = { amount: p.amount, interest: p.interest },
): Promise<boolean> {
  const unmet = await unmetConditions([
    {
      Update: {
        TableName: tableName(),
        Key: payoutKey(p),
        UpdateExpression:
          'SET batchId = :b, #s = :batched, gsi4pk = :gpk, gsi4sk = :gsk, amount = :amount, interest = :interest',
        // A payout held meanwhile (SIU referral, account change) is never taken, even by a batch
        // that read it from the awaiting queue just before the hold.
        ConditionExpression:
          'attribute_exists(pk) AND attribute_not_exists(batchId) AND attribute_not_exists(#h) AND #s = :awaiting',
        ExpressionAttributeNames: { '#s': 'status', '#h': 'hold' },
        ExpressionAttributeValues: {
          ':b': batchId,
          ':batched': 'batched',
          ':awaiting': 'awaiting',
          ':gpk': financeKeys.payoutInBatch(batchId, p.payoutId).gsi4pk,
          ':gsk': p.payoutId,
          ':amount': priced.amount,
          ':interest': priced.interest,
        },
      },
    },
    claimNotHeld(p.claimId),
  ]);
  if (unmet.length === 0) return true;
  // Only the claim refused: the line is put right, so that the next batch does not read it again.
  if (!unmet.includes(0)) {
    const hold = await claimHoldOf(p.claimId);
    if (hold) await holdAwaitingPayout(p, hold);
  }
  return false;
}

/**
 * The claim item does not hold its payment: no `paymentHold` (every referral to the SIU and every
 * pending account change sets it, and it stays while either holds), and no SIU case open or closed
 * `confirmed` on it (the part of `siuHoldsPayment` a condition can read; `paymentHold` covers the
 * rest). A payout with no claim item passes (none in production; the tests seed such lines).
 */
const claimNotHeld = (claimId: string): TransactItem => ({
  ConditionCheck: {
    TableName: tableName(),
    Key: keys.claim(claimId),
    ConditionExpression:
      'attribute_not_exists(#ph) AND (attribute_not_exists(#siu) OR (#siu.#st = :closed AND #siu.#o = :cleared))',
    ExpressionAttributeNames: { '#ph': 'paymentHold', '#siu': 'siu', '#st': 'status', '#o': 'outcome' },
    ExpressionAttributeValues: { ':closed': 'closed', ':cleared': 'cleared' },
  },
});

/**
 * The bank confirmed the transfer: batched → paid, only from the batch the bank paid; the batch's
 * paid count moves with it. A rejection of it reported by an earlier file and not yet confirmed is
 * dropped in the same write: the bank's later word is that it paid, so that report can never return
 * the payout to the queue (confirmReturns finds it paid).
 */
export function markPayoutPaid(
  p: Payout,
  batchId: string,
  paidAt: string,
  bankReference: string,
  reconciliationId: string,
): Promise<boolean> {
  return transact([
    {
      Update: {
        TableName: tableName(),
        Key: payoutKey(p),
        UpdateExpression:
          'SET #s = :paid, paidAt = :at, bankReference = :ref, reconciliationId = :rc REMOVE rejectionReported',
        ConditionExpression: '#s = :batched AND batchId = :b',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':paid': 'paid',
          ':batched': 'batched',
          ':b': batchId,
          ':at': paidAt,
          ':ref': bankReference,
          ':rc': reconciliationId,
        },
      },
    },
    countOnBatch(batchId, 'paidCount'),
  ]);
}

type PayoutHold = NonNullable<Payout['hold']>;

/**
 * What holds the claim's payment now, read from the claim item itself: its payment hold, or an SIU
 * referral the SIU has not cleared. A payout leaving a batch takes it, whether or not the step that
 * set it reached the payout (a referral after the batch was released could not hold the payout then).
 * Undefined for a payout with no claim item (none in production; the tests seed such lines).
 */
async function claimHoldOf(claimId: string): Promise<PayoutHold | undefined> {
  const r = await dynamo().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.claim(claimId),
      ConsistentRead: true,
      ProjectionExpression: '#ph, #siu',
      ExpressionAttributeNames: { '#ph': 'paymentHold', '#siu': 'siu' },
    }),
  );
  const c = r.Item as Pick<Claim, 'paymentHold' | 'siu'> | undefined;
  if (c?.paymentHold) return c.paymentHold;
  if (c?.siu && siuHoldsPayment(c)) return { reason: 'siu_referral', since: c.siu.referredAt };
  return undefined;
}

/**
 * A payout leaves `batchId` and awaits a batch again, recording why (`record`, an extra SET clause
 * with its values). It goes back to the awaiting queue only when neither the payout item nor its
 * claim holds it; held, it stays out of every queue (the claim's hold is written on it) until the
 * hold is lifted. False when it is no longer in that batch.
 */
async function leaveBatch(
  p: Payout,
  batchId: string,
  record: {
    set: string;
    values: Record<string, NativeAttributeValue>;
    count?: 'failedCount';
    /** A further condition on the payout item, and attributes it removes. */
    condition?: string;
    remove?: string;
  },
): Promise<boolean> {
  const also = record.condition ? ` AND ${record.condition}` : '';
  const remove = record.remove ? `, ${record.remove}` : '';
  const counted = record.count ? [countOnBatch(batchId, record.count)] : [];
  const awaiting = financeKeys.payoutsAwaiting(awaitingFrom(p), p.payoutId);
  const claimHold = await claimHoldOf(p.claimId);
  const base = {
    TableName: tableName(),
    Key: payoutKey(p),
    ExpressionAttributeNames: { '#s': 'status', '#h': 'hold' },
  };
  const values = { ':awaiting': 'awaiting', ':batched': 'batched', ':b': batchId, ...record.values };
  if (!claimHold) {
    // The item decides, not the copy read before: a hold written on it meanwhile keeps it out.
    const free = await transact([
      {
        Update: {
          ...base,
          UpdateExpression: `SET #s = :awaiting, gsi4pk = :gpk, gsi4sk = :gsk, ${record.set} REMOVE batchId${remove}`,
          ConditionExpression: `#s = :batched AND batchId = :b AND attribute_not_exists(#h)${also}`,
          ExpressionAttributeValues: { ...values, ':gpk': awaiting.gsi4pk, ':gsk': awaiting.gsi4sk },
        },
      },
      ...counted,
    ]);
    if (free) return true;
  }
  return transact([
    {
      Update: {
        ...base,
        UpdateExpression: `SET #s = :awaiting, ${claimHold ? '#h = if_not_exists(#h, :h), ' : ''}${record.set} REMOVE batchId, gsi4pk, gsi4sk${remove}`,
        ConditionExpression: `#s = :batched AND batchId = :b${claimHold ? '' : ' AND attribute_exists(#h)'}${also}`,
        ExpressionAttributeValues: { ...values, ...(claimHold ? { ':h': claimHold } : {}) },
      },
    },
    ...counted,
  ]);
}

/**
 * The bank's confirmation file says the transfer failed: the rejection is recorded on the payout,
 * which stays in its released batch (and so out of the awaiting queue) until a second finance user
 * confirms it (returnPayoutToQueue). False when the payout is no longer in that batch, or a
 * rejection of it is reported already.
 */
export function reportRejection(p: Payout, report: RejectionReport): Promise<boolean> {
  return conditional(() =>
    dynamo().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: payoutKey(p),
        UpdateExpression: 'SET rejectionReported = :r',
        ConditionExpression: '#s = :batched AND batchId = :b AND attribute_not_exists(rejectionReported)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':r': report, ':batched': 'batched', ':b': report.batchId },
      }),
    ),
  );
}

/**
 * A second finance user confirmed the rejection `report` (as read from the payout): the payout
 * leaves its batch with the reason (counted on the batch in the same transaction) and awaits a new
 * one — out of the awaiting queue while it, or its claim, is held (an SIU referral made after the
 * batch was released), so the next batch cannot pay it during the investigation. Only while that
 * very report is on it: false when it was paid meanwhile (a later file), or returned already.
 */
export function returnPayoutToQueue(
  p: Payout,
  report: RejectionReport,
  confirmedBy: { id: string; name?: string },
  at: string,
): Promise<boolean> {
  const failure = {
    batchId: report.batchId,
    reason: report.reason,
    at: report.at,
    reconciliationId: report.reconciliationId,
    reportedBy: report.reportedBy,
    confirmedBy,
    confirmedAt: at,
  };
  return leaveBatch(p, report.batchId, {
    set: 'failures = list_append(if_not_exists(failures, :none), :f)',
    values: { ':none': [], ':f': [failure], ':rc': report.reconciliationId },
    count: 'failedCount',
    condition: 'rejectionReported.reconciliationId = :rc',
    remove: 'rejectionReported',
  });
}

// ---- batches ------------------------------------------------------------------------------------

const batchItem = (b: PaymentBatch): Item => ({
  ...financeKeys.batch(b.batchId),
  ...financeKeys.batchesByDate(b.createdAt, b.batchId),
  entity: 'PaymentBatch',
  ...b,
});

/** Creates the batch item; false when a batch with this id exists (the same request, again). */
export async function createBatchItem(b: PaymentBatch): Promise<boolean> {
  return conditional(() =>
    dynamo().send(
      new PutCommand({
        TableName: tableName(),
        Item: batchItem(b),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
}

export async function getBatch(batchId: string): Promise<PaymentBatch | undefined> {
  const r = await dynamo().send(
    new GetCommand({ TableName: tableName(), Key: financeKeys.batch(batchId), ConsistentRead: true }),
  );
  return r.Item ? stripKeys<PaymentBatch>(r.Item) : undefined;
}

/** Access pattern: batches, newest first (GSI1 `BATCHES`). */
export async function listBatches(limit: number, cursor?: string): Promise<Page<PaymentBatch>> {
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': 'BATCHES' },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor),
    }),
  );
  return {
    items: (r.Items ?? []).map((i) => stripKeys<PaymentBatch>(i)),
    cursor: encodeCursor(r.LastEvaluatedKey),
  };
}

/** Progress while a batch is built (count and total so far). */
export async function recordBatchProgress(batchId: string, count: number, total: number): Promise<void> {
  await dynamo().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: financeKeys.batch(batchId),
      UpdateExpression: 'SET #c = :c, #t = :t',
      ConditionExpression: '#s = :building',
      ExpressionAttributeNames: { '#c': 'count', '#t': 'total', '#s': 'status' },
      ExpressionAttributeValues: { ':c': count, ':t': total, ':building': 'building' },
    }),
  );
}

/** The files are in S3: building → prepared (or empty when nothing was left to pay). */
/**
 * A write on a batch item whose condition failed: the batch is no longer in the state the change
 * needs (released or voided meanwhile, or its maker releasing). The use case reads it again to say why.
 */
export class BatchStateChanged extends Error {
  override readonly name = 'BatchStateChanged';
}

/** A conditional update of one batch item, for `commitWithAudit` with the event that records it. */
const batchWrite = (
  batchId: string,
  update: Omit<NonNullable<NonNullable<GuardedWrite['item']>['Update']>, 'TableName' | 'Key'>,
): GuardedWrite => ({
  item: { Update: { TableName: tableName(), Key: financeKeys.batch(batchId), ...update } },
  onConditionFailed: () => new BatchStateChanged(`batch ${batchId} is not in the state this change needs`),
});

/** building → prepared (its files written) or empty; the caller commits it with its audit event. */
export function finishBatchWrite(
  batchId: string,
  fields: Pick<PaymentBatch, 'status' | 'count' | 'total' | 'preparedAt' | 'files' | 'fileSha256'>,
): GuardedWrite {
  return batchWrite(batchId, {
    UpdateExpression: `SET #s = :s, #c = :c, #t = :t, preparedAt = :at${fields.files ? ', files = :f' : ''}${
      fields.fileSha256 ? ', fileSha256 = :h' : ''
    }`,
    ConditionExpression: '#s = :building',
    ExpressionAttributeNames: { '#c': 'count', '#t': 'total', '#s': 'status' },
    ExpressionAttributeValues: {
      ':s': fields.status,
      ':c': fields.count,
      ':t': fields.total,
      ':at': fields.preparedAt,
      ':building': 'building',
      ...(fields.files ? { ':f': fields.files } : {}),
      ...(fields.fileSha256 ? { ':h': fields.fileSha256 } : {}),
    },
  });
}

/**
 * Maker-checker: prepared → released, only by somebody other than who prepared it, and not while a
 * payout in it is held (a late SIU referral counted on the batch, holdBatchedPayout). Its condition
 * failing is `BatchStateChanged`: the caller says which.
 */
export function releaseBatchWrite(
  batchId: string,
  by: { id: string; name?: string },
  at: string,
): GuardedWrite {
  return batchWrite(batchId, {
    UpdateExpression: 'SET #s = :released, releasedBy = :by, releasedAt = :at',
    ConditionExpression:
      '#s = :prepared AND preparedBy.id <> :me AND (attribute_not_exists(heldPayouts) OR heldPayouts = :zero)',
    ExpressionAttributeNames: { '#s': 'status' },
    ExpressionAttributeValues: {
      ':released': 'released',
      ':prepared': 'prepared',
      ':by': by,
      ':me': by.id,
      ':at': at,
      ':zero': 0,
    },
  });
}

/**
 * Voids a prepared batch (not yet released), or one whose build was abandoned (still building, begun
 * or resumed before `abandonedBefore`); `BatchStateChanged` when it is neither (any more). The batch
 * is marked as returning its payouts until the void has returned them all (finishVoid).
 */
export function voidBatchWrite(
  batchId: string,
  by: { id: string; name?: string },
  reason: string,
  at: string,
  abandonedBefore: string,
): GuardedWrite {
  return batchWrite(batchId, {
    UpdateExpression:
      'SET #s = :void, voidedBy = :by, voidedAt = :at, voidReason = :why, returningPayouts = :true',
    ConditionExpression:
      '#s = :prepared OR (#s = :building AND createdAt < :stale AND (attribute_not_exists(resumedAt) OR resumedAt < :stale))',
    ExpressionAttributeNames: { '#s': 'status' },
    ExpressionAttributeValues: {
      ':void': 'void',
      ':prepared': 'prepared',
      ':building': 'building',
      ':stale': abandonedBefore,
      ':by': by,
      ':at': at,
      ':why': reason,
      ':true': true,
    },
  });
}

/** The void has returned every payout of the batch. */
export async function finishVoid(batchId: string): Promise<void> {
  await conditional(() =>
    dynamo().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: financeKeys.batch(batchId),
        UpdateExpression: 'REMOVE returningPayouts',
        ConditionExpression: '#s = :void',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':void': 'void' },
      }),
    ),
  );
}

/**
 * Takes up an abandoned build (the same request again): marks it resumed now, so a void cannot
 * take it meanwhile, nor another request resume it beside this one. False when it is not (any more)
 * an abandoned build.
 */
export function resumeAbandonedBuild(
  batchId: string,
  abandonedBefore: string,
  now: string,
): Promise<boolean> {
  return conditional(() =>
    dynamo().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: financeKeys.batch(batchId),
        UpdateExpression: 'SET resumedAt = :now',
        ConditionExpression:
          '#s = :building AND createdAt < :stale AND (attribute_not_exists(resumedAt) OR resumedAt < :stale)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':building': 'building', ':stale': abandonedBefore, ':now': now },
      }),
    ),
  );
}

/**
 * A payout leaves a voided batch: back to the awaiting queue for the next batch — or, when it or
 * its claim is held, out of every queue until the hold is lifted. The batch it leaves is recorded.
 * False when it is no longer in that batch (a retried void already returned it).
 */
export function unbatchPayout(p: Payout, batchId: string): Promise<boolean> {
  return leaveBatch(p, batchId, {
    set: 'voidedBatches = list_append(if_not_exists(voidedBatches, :none), :b1)',
    values: { ':none': [], ':b1': [batchId] },
  });
}

/**
 * Sets or lifts the hold on a payout a batch already took. While the bank does not have the batch
 * yet (`unreleased`: building or prepared), the batch's count of held payouts moves with it in one
 * transaction, so the release (conditional on that count) and a hold cannot both win. Once the batch
 * is `past` holding — released (the bank has it) or void (its payouts are being returned) — only the
 * payout item changes, on the condition that the batch is still so: the hold rides with the payout,
 * and a transfer the bank rejects, or the void, returns it held (leaveBatch). False when a condition
 * failed: the batch is not in that state, or the payout's hold is not as `change` expects. Its uses
 * stay separate functions, so a bundle that only holds does not carry the lifting.
 */
async function changeBatchedHold(
  p: Payout,
  batch: 'unreleased' | 'past',
  change: {
    update: string;
    holdCondition: string;
    hold?: Payout['hold'];
    /** The reason the hold to lift must have (`#h.#r = :r` in `holdCondition`). */
    reason?: PayoutHold['reason'];
    delta: 1 | -1;
  },
): Promise<boolean> {
  if (!p.batchId) return false;
  const lifting = change.delta < 0;
  const batchKey = { TableName: tableName(), Key: financeKeys.batch(p.batchId) };
  try {
    await dynamo().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: payoutKey(p),
              UpdateExpression: change.update,
              ConditionExpression: `#s = :batched AND batchId = :b AND ${change.holdCondition}`,
              ExpressionAttributeNames: {
                '#h': 'hold',
                '#s': 'status',
                ...(change.reason ? { '#r': 'reason' } : {}),
              },
              ExpressionAttributeValues: {
                ...(change.hold ? { ':h': change.hold } : {}),
                ...(change.reason ? { ':r': change.reason } : {}),
                ':batched': 'batched',
                ':b': p.batchId,
              },
            },
          },
          batch === 'past'
            ? {
                ConditionCheck: {
                  ...batchKey,
                  ConditionExpression: '#s IN (:released, :void)',
                  ExpressionAttributeNames: { '#s': 'status' },
                  ExpressionAttributeValues: { ':released': 'released', ':void': 'void' },
                },
              }
            : {
                Update: {
                  ...batchKey,
                  UpdateExpression: 'ADD heldPayouts :delta',
                  // Lifting never takes the count below zero.
                  ConditionExpression: lifting
                    ? '#s IN (:building, :prepared) AND heldPayouts > :zero'
                    : '#s IN (:building, :prepared)',
                  ExpressionAttributeNames: { '#s': 'status' },
                  ExpressionAttributeValues: {
                    ':delta': change.delta,
                    ':building': 'building',
                    ':prepared': 'prepared',
                    ...(lifting ? { ':zero': 0 } : {}),
                  },
                },
              },
        ],
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof TransactionCanceledException) return false;
    throw e;
  }
}

/** Holds a payout in its unreleased batch (changeBatchedHold); false when released first or already held. */
export const holdBatchedPayout = (p: Payout, hold: NonNullable<Payout['hold']>) =>
  changeBatchedHold(p, 'unreleased', {
    update: 'SET #h = :h',
    holdCondition: 'attribute_not_exists(#h)',
    hold,
    delta: 1,
  });

/** Records a hold on a payout whose batch is released or void; it applies when the payout leaves it. */
const holdPayoutPastBatch = (p: Payout, hold: PayoutHold) =>
  changeBatchedHold(p, 'past', {
    update: 'SET #h = :h',
    holdCondition: 'attribute_not_exists(#h)',
    hold,
    delta: 1,
  });

/** Lifts the SIU's hold on a payout still in its batch: counted while unreleased, on the item alone after. */
const releaseBatchedPayoutHold = async (p: Payout) => {
  const lift = {
    update: 'REMOVE #h',
    holdCondition: '#h.#r = :r',
    reason: 'siu_referral',
    delta: -1,
  } as const;
  return (await changeBatchedHold(p, 'unreleased', lift)) || changeBatchedHold(p, 'past', lift);
};

// ---- reconciliations ----------------------------------------------------------------------------

export interface ReconciliationLineResult {
  line: number;
  reference: string;
  amount: string;
  outcome: 'paid' | 'failed' | 'unmatched';
  reason?: string;
  bankReason?: string;
  claimId?: string;
  claimNumber?: string;
  batchId?: string;
}

export interface Reconciliation {
  reconId: string;
  fileName: string;
  fileKey: string;
  status: 'processing' | 'done';
  importedBy: { id: string; name?: string };
  importedAt: string;
  lines: number;
  paid: number;
  failed: number;
  unmatched: number;
  /**
   * While an import of the file runs: until when it holds the file (reconciliationLock). Another
   * import of the same file meanwhile answers that it is in progress and changes nothing.
   */
  lockedUntil?: string;
  /** SHA-256 (hex) of the file as imported: the reconciliation id is its first 24 digits. */
  fileSha256?: string;
  /**
   * The lines whose rejection this import reported (the bank said FAILED): their payouts wait, out
   * of the queue, for a second finance user to confirm the returns. Absent on imports from before
   * the confirmation, whose rejections returned their payouts at once.
   */
  rejectionsReported?: number;
  /**
   * Who confirmed the reported rejections (never the importer), and when; `returned` and
   * `superseded` (paid by a later file meanwhile, so not returned) once the returns are made.
   */
  returnsConfirmed?: {
    by: { id: string; name?: string };
    at: string;
    returned?: number;
    superseded?: number;
  };
}

/**
 * A reconciliation write whose condition failed: the confirmation no longer applies as asked (it
 * was confirmed already, or by its importer). The use case reads it again to say why.
 */
export class ReconciliationStateChanged extends Error {
  override readonly name = 'ReconciliationStateChanged';
}

/**
 * Maker-checker on the bank's rejections: records who confirms the rejections an import reported,
 * only on a finished import with rejections reported and not confirmed yet, and never by its
 * importer. The caller commits it with its audit event, then returns the payouts.
 */
export function confirmReturnsWrite(
  reconId: string,
  by: { id: string; name?: string },
  at: string,
): GuardedWrite {
  return {
    item: {
      Update: {
        TableName: tableName(),
        Key: financeKeys.reconciliation(reconId),
        UpdateExpression: 'SET returnsConfirmed = :c',
        ConditionExpression:
          '#s = :done AND rejectionsReported > :zero AND importedBy.id <> :me AND attribute_not_exists(returnsConfirmed)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':c': { by, at }, ':done': 'done', ':zero': 0, ':me': by.id },
      },
    },
    onConditionFailed: () =>
      new ReconciliationStateChanged(`reconciliation ${reconId} cannot have its returns confirmed now`),
  };
}

/** What the confirmed returns came to: payouts returned, and those a later file paid meanwhile. */
export async function recordReturnsOutcome(
  reconId: string,
  outcome: { returned: number; superseded: number },
): Promise<void> {
  await dynamo().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: financeKeys.reconciliation(reconId),
      UpdateExpression: 'SET returnsConfirmed.returned = :r, returnsConfirmed.superseded = :s',
      ConditionExpression: 'attribute_exists(returnsConfirmed)',
      ExpressionAttributeValues: { ':r': outcome.returned, ':s': outcome.superseded },
    }),
  );
}

const reconciliationItem = (r: Reconciliation): Item => ({
  ...financeKeys.reconciliation(r.reconId),
  ...financeKeys.reconciliationsByDate(r.importedAt, r.reconId),
  entity: 'Reconciliation',
  ...r,
});

/** Creates the reconciliation record; false when this very file was imported before. */
export async function createReconciliation(r: Reconciliation): Promise<boolean> {
  return conditional(() =>
    dynamo().send(
      new PutCommand({
        TableName: tableName(),
        Item: reconciliationItem(r),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
}

/**
 * The reconciliation record of a first import, for `commitWithAudit` with the event recording the
 * import; `ReconciliationStateChanged` when this very file was imported before.
 */
export function createReconciliationWrite(r: Reconciliation): GuardedWrite {
  return {
    item: {
      Put: {
        TableName: tableName(),
        Item: reconciliationItem(r),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    onConditionFailed: () => new ReconciliationStateChanged(`reconciliation ${r.reconId} exists`),
  };
}

/**
 * Takes the lock of a reconciliation still processing for an import that resumes it: only when no
 * other import holds it (none did, or its lock ran out: it stopped). For `commitWithAudit` with the
 * event recording the resumed import; `ReconciliationStateChanged` when another import holds it, or
 * the reconciliation is done.
 */
export function lockReconciliationWrite(reconId: string, now: string, until: string): GuardedWrite {
  return {
    item: {
      Update: {
        TableName: tableName(),
        Key: financeKeys.reconciliation(reconId),
        UpdateExpression: 'SET lockedUntil = :until',
        ConditionExpression: '#s = :processing AND (attribute_not_exists(lockedUntil) OR lockedUntil < :now)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':processing': 'processing', ':now': now, ':until': until },
      },
    },
    onConditionFailed: () =>
      new ReconciliationStateChanged(`reconciliation ${reconId} is not free to resume`),
  };
}

/** Gives the lock back (an import that failed), so the file can be imported again at once. */
export async function unlockReconciliation(reconId: string, until: string): Promise<void> {
  await conditional(() =>
    dynamo().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: financeKeys.reconciliation(reconId),
        UpdateExpression: 'REMOVE lockedUntil',
        ConditionExpression: 'lockedUntil = :until',
        ExpressionAttributeValues: { ':until': until },
      }),
    ),
  );
}

export async function getReconciliation(reconId: string): Promise<Reconciliation | undefined> {
  const r = await dynamo().send(
    new GetCommand({
      TableName: tableName(),
      Key: financeKeys.reconciliation(reconId),
      ConsistentRead: true,
    }),
  );
  return r.Item ? stripKeys<Reconciliation>(r.Item) : undefined;
}

/** Access pattern: reconciliations, newest first (GSI1 `RECONCILIATIONS`). */
export async function listReconciliations(limit: number): Promise<Reconciliation[]> {
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': 'RECONCILIATIONS' },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (r.Items ?? []).map((i) => stripKeys<Reconciliation>(i));
}

export async function putReconciliationLines(
  reconId: string,
  lines: readonly ReconciliationLineResult[],
): Promise<void> {
  for (let i = 0; i < lines.length; i += 25) {
    let pending: Item[] = lines.slice(i, i + 25).map((l) => ({
      PutRequest: {
        Item: { ...financeKeys.reconciliationLine(reconId, l.line), entity: 'ReconciliationLine', ...l },
      },
    }));
    for (let attempt = 0; pending.length > 0 && attempt < 8; attempt++) {
      const r = await dynamo().send(new BatchWriteCommand({ RequestItems: { [tableName()]: pending } }));
      pending = (r.UnprocessedItems?.[tableName()] ?? []) as Item[];
      if (pending.length > 0) await new Promise((res) => setTimeout(res, 20 * 2 ** attempt));
    }
    if (pending.length > 0) throw new Error('reconciliation lines not written');
  }
}

/** Access pattern: the lines of a reconciliation, in file order. */
export function reconciliationLines(reconId: string): Promise<ReconciliationLineResult[]> {
  return queryAll<ReconciliationLineResult>(under(financeKeys.reconciliation(reconId).pk, 'LINE#'));
}

/** `failed` lines are rejections reported: `rejectionsReported` says they await confirmation. */
export async function finishReconciliation(
  reconId: string,
  counts: Pick<Reconciliation, 'paid' | 'failed' | 'unmatched' | 'lines'>,
): Promise<void> {
  await dynamo().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: financeKeys.reconciliation(reconId),
      UpdateExpression:
        'SET #s = :done, paid = :p, failed = :f, rejectionsReported = :f, unmatched = :u, #l = :l REMOVE lockedUntil',
      ExpressionAttributeNames: { '#s': 'status', '#l': 'lines' },
      ExpressionAttributeValues: {
        ':done': 'done',
        ':p': counts.paid,
        ':f': counts.failed,
        ':u': counts.unmatched,
        ':l': counts.lines,
      },
    }),
  );
}

/**
 * Every payout line of a claim — the final payout and each advance — in one strongly consistent
 * Query of the claim's payout partition (`PAYOUT#<claimId>`). Holds, releases and account changes
 * act on all of them: an advance is the claim's money too.
 */
export function payoutLinesOf(claimId: string): Promise<Payout[]> {
  return queryAll<Payout>({
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': financeKeys.payout(claimId).pk },
    ConsistentRead: true,
  });
}

/** The final payout first: a refusal about it comes before anything else is changed. */
const finalFirst = (lines: Payout[]) =>
  [...lines].sort((a, b) => Number(a.kind !== 'final') - Number(b.kind !== 'final'));

/** Still to be paid and not handed to a batch. */
const awaitingLine = (p: Payout) => p.status === 'awaiting' && !p.batchId;

/**
 * Takes a payout still awaiting a batch off the awaiting queue (its index keys) with a hold; false
 * when the condition failed: a batch took it meanwhile, or it is held already for another reason.
 * A hold is never overwritten by one of another reason: each is lifted only by what it waits for
 * (an account change by the customer's confirmation, a referral by the SIU, a workflow failure by
 * nobody here), so replacing one would let the other's lifting release the payout.
 */
function holdAwaitingPayout(p: Payout, hold: PayoutHold): Promise<boolean> {
  return conditional(() =>
    dynamo().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: payoutKey(p),
        UpdateExpression: 'SET #h = :h REMOVE gsi4pk, gsi4sk',
        ConditionExpression:
          '#s = :awaiting AND attribute_not_exists(batchId) AND (attribute_not_exists(#h) OR #h.#r = :r)',
        ExpressionAttributeNames: { '#h': 'hold', '#s': 'status', '#r': 'reason' },
        ExpressionAttributeValues: { ':h': hold, ':awaiting': 'awaiting', ':r': hold.reason },
      }),
    ),
  );
}

/**
 * Holds a claim's payouts while the customer confirms a new payout account: every line still
 * awaiting a batch leaves the awaiting queue, so no batch can take it. False when there is no
 * payout line to hold; PAYOUT_IN_BATCH when the final payout is already in a batch or paid (the
 * account can no longer change under it). An advance already with the bank goes where it was sent.
 */
export async function holdPayoutForAccountChange(claimId: string, since: string): Promise<boolean> {
  let held = false;
  for (const p of finalFirst(await payoutLinesOf(claimId))) {
    if (!awaitingLine(p)) {
      if (p.kind === 'final') throw new DomainError('PAYOUT_IN_BATCH', 'The payout is already with the bank');
      continue;
    }
    if (await holdAwaitingPayout(p, { reason: 'payout_account_change', since })) held = true;
    else {
      // Held meanwhile for another reason (the SIU): it stays so, and out of every batch.
      const now = await currentPayout(p);
      if (now && awaitingLine(now) && now.hold) held = true;
      else if (p.kind === 'final')
        throw new DomainError('PAYOUT_IN_BATCH', 'The payout is already with the bank');
    }
  }
  return held;
}

/**
 * The confirmed account replaces the held payouts' (every line still awaiting a batch), and the
 * account-change hold is lifted: they return to the awaiting queue — unless `stillHeld` (the SIU
 * holds them too): then the hold becomes the SIU's. A line held for another reason (the SIU, a
 * workflow failure) keeps its hold; only its account changes.
 */
export async function releasePayoutWithAccount(
  claimId: string,
  account: Payout['account'],
  stillHeld = false,
  notBefore?: string,
): Promise<void> {
  for (const line of await payoutLinesOf(claimId)) {
    let current: Payout | undefined = line;
    // Conditional on the hold as read; read again when it changed meanwhile.
    for (let attempt = 0; current && awaitingLine(current) && attempt < 3; attempt++) {
      if (await applyConfirmedAccount(current, account, stillHeld, notBefore)) break;
      current = await currentPayout(line);
    }
  }
}

const ACCOUNT_CHANGE = 'payout_account_change';

/** `notBefore`: the new account's cooling-off end, kept on the line (the queue sorts it from then). */
async function applyConfirmedAccount(
  current: Payout,
  account: Payout['account'],
  stillHeld: boolean,
  notBefore: string | undefined,
) {
  const other = current.hold && current.hold.reason !== ACCOUNT_CHANGE ? current.hold : undefined;
  const awaiting = financeKeys.payoutsAwaiting(
    awaitingFrom({ ...current, ...(notBefore ? { notBefore } : {}) }),
    current.payoutId,
  );
  const names = { '#h': 'hold', '#s': 'status', '#r': 'reason' };
  const onLine = '#s = :awaiting AND attribute_not_exists(batchId)';
  const mine = `${onLine} AND (attribute_not_exists(#h) OR #h.#r = :change)`;
  const setAccount = notBefore ? 'account = :a, notBefore = :nb' : 'account = :a';
  const values = { ':a': account, ':awaiting': 'awaiting', ...(notBefore ? { ':nb': notBefore } : {}) };
  return conditional(() =>
    dynamo().send(
      other
        ? new UpdateCommand({
            TableName: tableName(),
            Key: payoutKey(current),
            UpdateExpression: `SET ${setAccount}`,
            ConditionExpression: `${onLine} AND #h.#r = :other`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: { ...values, ':other': other.reason },
          })
        : stillHeld
          ? new UpdateCommand({
              TableName: tableName(),
              Key: payoutKey(current),
              UpdateExpression: `SET ${setAccount}, #h = :h`,
              ConditionExpression: mine,
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: {
                ...values,
                ':change': ACCOUNT_CHANGE,
                ':h': { reason: 'siu_referral', since: current.hold?.since ?? current.queuedAt },
              },
            })
          : new UpdateCommand({
              TableName: tableName(),
              Key: payoutKey(current),
              UpdateExpression: `SET ${setAccount}, gsi4pk = :gpk, gsi4sk = :gsk REMOVE #h`,
              ConditionExpression: mine,
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: {
                ...values,
                ':change': ACCOUNT_CHANGE,
                ':gpk': awaiting.gsi4pk,
                ':gsk': awaiting.gsi4sk,
              },
            }),
    ),
  );
}

/**
 * Holds a claim's payouts while the SIU investigates: each line still awaiting leaves the awaiting
 * queue, and one already in a batch not yet released holds that batch's release. A line in a batch
 * released (or voided) already carries the hold too, so that it stays out of the queue if the bank
 * rejects it (or the void returns it). True when some line is kept from payment now; false when none
 * is (none yet, or released batches have them all: then it is too late for this transfer).
 */
export async function holdPayoutForSiu(claimId: string, since: string): Promise<boolean> {
  let held = false;
  for (const p of await payoutLinesOf(claimId))
    held = (await holdLine(p, { reason: 'siu_referral', since })) || held;
  return held;
}

/** Whether the bank has the batch (it was released). */
const bankHas = async (batchId: string) => (await getBatch(batchId))?.status === 'released';

/**
 * Holds one payout line wherever it is. Each write is conditional on the line as read: when it moved
 * meanwhile (a batch took it, a void or the bank's rejection returned it) it is read again and held
 * where it is now. True when it is kept from payment: held while awaiting, in an unreleased batch,
 * or in a void batch (it returns held); false when paid, or in a released batch (the hold waits).
 */
async function holdLine(line: Payout, hold: PayoutHold): Promise<boolean> {
  let p: Payout | undefined = line;
  for (let attempt = 0; p && attempt < 5; attempt++) {
    if (p.status === 'paid') return false;
    if (p.status === 'batched' && p.batchId) {
      if (p.hold || (await holdBatchedPayout(p, hold)) || (await holdPayoutPastBatch(p, hold)))
        return !(await bankHas(p.batchId));
    } else if (awaitingLine(p)) {
      if (p.hold || (await holdAwaitingPayout(p, hold))) return true;
    }
    p = await currentPayout(line);
  }
  return false;
}

/**
 * The claim's workflow stopped on a failed payment step: a payout still waiting for a batch leaves
 * the awaiting queue, so finance cannot pay a claim whose workflow will not record the payment.
 * True when the payout is (now or already) held; false when there is none or a batch has it.
 * The final payout only: the step that failed is its.
 */
export async function holdPayoutForWorkflowFailure(claimId: string, since: string): Promise<boolean> {
  const current = await getPayout(claimId);
  if (!current || !awaitingLine(current)) return false;
  if (current.hold) return true;
  return holdAwaitingPayout(current, { reason: 'workflow_failure', since });
}

/**
 * The SIU cleared the claim: the payouts it held return to the awaiting queue (accounts unchanged),
 * or, `becomes` given, stay out of it held for that instead (a new account still to be confirmed).
 * A payout held for another reason (an account change, a workflow failure) stays held.
 */
export async function releasePayoutHold(claimId: string, becomes?: PayoutHold): Promise<void> {
  for (const current of await payoutLinesOf(claimId)) {
    if (current.hold?.reason !== 'siu_referral') continue;
    if (current.status === 'batched') {
      await releaseBatchedPayoutHold(current);
      continue;
    }
    if (!awaitingLine(current)) continue;
    const awaiting = financeKeys.payoutsAwaiting(awaitingFrom(current), current.payoutId);
    const names = { '#h': 'hold', '#s': 'status', '#r': 'reason' };
    const condition = '#s = :awaiting AND attribute_not_exists(batchId) AND #h.#r = :siu';
    await conditional(() =>
      dynamo().send(
        becomes
          ? // Still waiting for something else (the customer's code for a new account): held for that.
            new UpdateCommand({
              TableName: tableName(),
              Key: payoutKey(current),
              UpdateExpression: 'SET #h = :h',
              ConditionExpression: condition,
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: { ':h': becomes, ':awaiting': 'awaiting', ':siu': 'siu_referral' },
            })
          : new UpdateCommand({
              TableName: tableName(),
              Key: payoutKey(current),
              UpdateExpression: 'SET gsi4pk = :gpk, gsi4sk = :gsk REMOVE #h',
              ConditionExpression: condition,
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: {
                ':gpk': awaiting.gsi4pk,
                ':gsk': awaiting.gsi4sk,
                ':awaiting': 'awaiting',
                ':siu': 'siu_referral',
              },
            }),
      ),
    );
  }
}
