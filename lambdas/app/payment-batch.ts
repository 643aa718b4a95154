import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { writeBankFiles } from '../adapters/bank-file-writer.ts';
import { commitWithAudit } from '../adapters/dynamo/admin-audit-repo.ts';
import { vnd } from '../core/money.ts';
import {
  assignPayoutToBatch,
  createBatchItem,
  finishBatchWrite,
  getBatch,
  payoutsAwaiting,
  payoutsInBatch,
  recordBatchProgress,
  resumeAbandonedBuild,
} from '../adapters/dynamo/finance-repo.ts';
import { EXPORTS_PREFIX, S3MultipartWritable } from '../adapters/exports-store.ts';
import { DomainError } from '../core/errors.ts';
import {
  abandonedBefore,
  type BankRow,
  batchIdFor,
  bankRow,
  buildAbandoned,
  type PaymentBatch,
  pricedForPayment,
} from '../core/finance.ts';
import type { Clock } from '../core/time.ts';
import type { Caller as Principal } from '../core/caller.ts';
import { accountNumberForBankFile } from './finance.ts';

/**
 * Building a payment batch and its bank files (CSV and XLSX). Kept apart from app/finance.ts so
 * that only the function that writes the files (CreatePaymentBatch) bundles the XLSX writer
 * (exceljs' streaming writer with archiver, ~0.5 MB); the other finance functions do not.
 */

const PAGE = 100;
const person = (p: Principal) => ({ id: p.userId, name: p.username });

/**
 * Creates the payment batch for everything awaiting payment up to `cutoff`, idempotently: the id
 * comes from the cut-off and the Idempotency-Key, so the same request — again, or at the same time
 * — finds the same batch instead of making a second one. Each payout is taken by a conditional
 * write, so a payout can only ever sit in one batch. The files are streamed to S3 as they are
 * built; `count` on the batch item shows progress meanwhile.
 */
export async function createPaymentBatch(
  caller: Principal,
  input: { cutoff: string; idempotencyKey: string },
  clock: Clock,
): Promise<{ batch: PaymentBatch; created: boolean }> {
  const now = clock.now();
  const cutoff = new Date(input.cutoff);
  if (cutoff.getTime() > now.getTime() + 60_000) {
    throw new DomainError('VALIDATION_FAILED', 'The cut-off cannot be in the future', {
      fields: [{ path: 'cutoff', code: 'too_big', message: 'cut-off in the future' }],
    });
  }
  const cutoffIso = cutoff.toISOString();
  const batchId = batchIdFor(cutoffIso, input.idempotencyKey);
  const fresh: PaymentBatch = {
    batchId,
    cutoff: cutoffIso,
    status: 'building',
    createdAt: now.toISOString(),
    preparedBy: person(caller),
    count: 0,
    total: 0,
  };
  if (!(await createBatchItem(fresh))) {
    const existing = await getBatch(batchId);
    if (!existing) throw new DomainError('BATCH_NOT_FOUND', 'Batch not found');
    // Abandoned by a crashed request: this one takes it up, unless a void (or another) got there first.
    if (!buildAbandoned(existing, now)) return { batch: existing, created: false };
    if (!(await resumeAbandonedBuild(batchId, abandonedBefore(now), now.toISOString())))
      return { batch: (await getBatch(batchId)) ?? existing, created: false };
    return { batch: await buildBatch(existing, clock), created: false };
  }
  return { batch: await buildBatch(fresh, clock), created: true };
}

async function buildBatch(batch: PaymentBatch, clock: Clock): Promise<PaymentBatch> {
  let assigned = 0;
  let total = 0;
  let cursor: string | undefined;
  do {
    const page = await payoutsAwaiting({ cutoff: batch.cutoff, limit: PAGE, cursor });
    for (const p of page.items) {
      // Late interest runs to the day the file is written, the day the money goes.
      const priced = pricedForPayment(p, clock.now());
      if (await assignPayoutToBatch(p, batch.batchId, priced)) {
        assigned += 1;
        total += priced.amount;
      }
    }
    await recordBatchProgress(batch.batchId, assigned, total);
    cursor = page.cursor;
  } while (cursor);

  const preparedAt = clock.now().toISOString();
  const existing = await countInBatch(batch.batchId, assigned);
  if (existing === 0) {
    await commitWithAudit(
      [finishBatchWrite(batch.batchId, { status: 'empty', count: 0, total: 0, preparedAt })],
      [],
      clock.now(),
    );
    return { ...batch, status: 'empty', preparedAt };
  }
  const files = {
    csv: `${EXPORTS_PREFIX}batches/${batch.batchId}/${batch.batchId}.csv`,
    xlsx: `${EXPORTS_PREFIX}batches/${batch.batchId}/${batch.batchId}.xlsx`,
  };
  const csv = new Sha256Writable(new S3MultipartWritable(files.csv, 'text/csv; charset=utf-8'));
  const xlsx = new Sha256Writable(
    new S3MultipartWritable(files.xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
  );
  const totals = await writeBankFiles(bankRowsOfBatch(batch.batchId), { csv, xlsx });
  const fileSha256 = { csv: csv.sha256(), xlsx: xlsx.sha256() };
  const prepared = {
    status: 'prepared' as const,
    count: totals.count,
    total: totals.total,
    preparedAt,
    files,
    fileSha256,
  };
  // Prepared, with who prepared it and what it pays, on the audit chain in the same transaction.
  await commitWithAudit(
    [finishBatchWrite(batch.batchId, prepared)],
    [
      {
        type: 'PaymentBatchPrepared',
        actor: { kind: 'staff', role: 'finance', id: batch.preparedBy.id },
        data: {
          batchId: batch.batchId,
          cutoff: batch.cutoff,
          count: totals.count,
          total: vnd(totals.total),
          sha256: fileSha256,
        },
      },
    ],
    clock.now(),
  );
  return { ...batch, ...prepared };
}

/**
 * Passes what is written on to `inner` and keeps the SHA-256 of it: the digest of the file exactly
 * as stored. A write completes when `inner` has taken it (its back-pressure stays), and the stream
 * finishes only when `inner` has (the upload is complete).
 */
class Sha256Writable extends Writable {
  private readonly hash = createHash('sha256');
  private digest: string | undefined;

  constructor(private readonly inner: Writable) {
    super({ highWaterMark: 256 * 1024 });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.hash.update(chunk);
    this.inner.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.inner.end();
    finished(this.inner).then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (error) this.inner.destroy(error);
    callback(error);
  }

  /** Hex digest of everything written; read once the file is finished. */
  sha256(): string {
    this.digest ??= this.hash.digest('hex');
    return this.digest;
  }
}

/**
 * The batch's index entries are written by the assignments just made; an index is eventually
 * consistent, so wait (briefly) until it shows at least as many as were assigned.
 */
async function countInBatch(batchId: string, atLeast: number): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    let n = 0;
    let cursor: string | undefined;
    do {
      const page = await payoutsInBatch(batchId, 1000, cursor);
      n += page.items.length;
      cursor = page.cursor;
    } while (cursor);
    if (n >= atLeast || attempt >= 20) return n;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The bank rows of a batch, page by page from the index: never the whole batch in memory. */
async function* bankRowsOfBatch(batchId: string): AsyncGenerator<BankRow> {
  let seq = 0;
  let cursor: string | undefined;
  do {
    const page = await payoutsInBatch(batchId, 500, cursor);
    for (const p of page.items) {
      seq += 1;
      yield bankRow(p, seq, await accountNumberForBankFile(p));
    }
    cursor = page.cursor;
  } while (cursor);
}
