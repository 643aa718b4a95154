import { parse } from 'csv-parse/sync';
import * as z from 'zod/mini';
import { defineSchema } from '../core/define-schema.ts';
import { eventsOfClaim, getClaimIdByNumber } from '../adapters/dynamo/claims-repo.ts';
import {
  currentPayout,
  createReconciliationWrite,
  finishReconciliation,
  getBatch,
  getPayout,
  getReconciliation,
  listBatches,
  listReconciliations,
  lockReconciliationWrite,
  type Page,
  payoutsAwaiting,
  putReconciliationLines,
  reconciliationLines,
  type Reconciliation,
  type ReconciliationLineResult,
  releaseBatchWrite,
  BatchStateChanged,
  confirmReturnsWrite,
  ReconciliationStateChanged,
  recordReturnsOutcome,
  reportRejection,
  returnPayoutToQueue,
  markPayoutPaid,
  payoutsInBatch,
  finishVoid,
  unbatchPayout,
  unlockReconciliation,
  voidBatchWrite,
} from '../adapters/dynamo/finance-repo.ts';
import { commitWithAudit, type GuardedWrite } from '../adapters/dynamo/admin-audit-repo.ts';
import { EXPORTS_PREFIX, presignExportDownload, putExport } from '../adapters/exports-store.ts';
import { DomainError } from '../core/errors.ts';
import type { Actor, NewEvent } from '../core/events.ts';
import { vnd } from '../core/money.ts';
import {
  abandonedBefore,
  advanceNumberOf,
  buildAbandoned,
  type ConfirmationLine,
  confirmationField,
  confirmationFileSha256,
  judgeLine,
  type LineVerdict,
  MAX_CONFIRMATION_LINES,
  paidByAdvances,
  type PaymentBatch,
  type Payout,
  parseReference,
  payoutAttempt,
  reconciliationIdFor,
  type RejectionReport,
} from '../core/finance.ts';
import type { Clock } from '../core/time.ts';
import type { Caller as Principal } from '../core/caller.ts';
import { resumeSignal } from '../core/workflow-signals.ts';
import { mutateClaim } from './claim-store.ts';
import { cursorsFor } from './cursors.ts';
import { revealAccountNumber } from './sealed-account.ts';

/**
 * Finance: payment batches for the bank and the bank's confirmation. Who may call these is fixed
 * by the routes (finance only); the maker-checker rule is enforced here and in the conditional
 * write that releases a batch.
 */

/**
 * The full account number for the bank file: the one place in finance that opens it (the sealed
 * number belongs to the payout's claim; the function building the file has `fieldKey: 'decrypt'`).
 */
export function accountNumberForBankFile(payout: Payout): Promise<string> {
  return revealAccountNumber(payout.claimId, payout.account);
}

const staffActor = (p: Principal): Actor => ({ kind: 'staff', role: 'finance', id: p.userId });
const person = (p: Principal) => ({ id: p.userId, name: p.username });

/**
 * The table's own resume key is the position inside a cursor signed for this caller and list
 * (app/cursors.ts): a forged (`e30`), edited or someone else's cursor is 400 INVALID_CURSOR,
 * never an ExclusiveStartKey DynamoDB refuses with a 500.
 */
const TablePosition = /* @__PURE__ */ defineSchema(() => z.string().check(z.minLength(1), z.maxLength(1024)));

export async function listPayoutsAwaiting(
  callerId: string,
  limit: number,
  cursor?: string,
): Promise<Page<Payout>> {
  const cursors = cursorsFor(callerId, 'payouts-awaiting', {});
  const after = cursors.open(cursor, (p) => TablePosition.parse(p));
  const page = await payoutsAwaiting({ limit, cursor: after });
  return { items: page.items.map(maskPayout), cursor: cursors.seal(page.cursor) ?? undefined };
}

/** Screens show the last four digits; only the bank file carries the full number. */
function maskPayout(p: Payout): Payout {
  const { accountNumberSealed: _sealed, accountFingerprint: _fp, ...account } = p.account;
  return { ...p, account: account as Payout['account'] };
}

export async function loadBatch(batchId: string): Promise<PaymentBatch> {
  const b = await getBatch(batchId);
  if (!b) throw new DomainError('BATCH_NOT_FOUND', 'Batch not found');
  return b;
}

/** A batch as listed: a build that stopped part-way says so (either finance user may void it). */
export type BatchListItem = PaymentBatch & { buildAbandoned?: true };

export async function batchHistory(
  callerId: string,
  limit: number,
  cursor: string | undefined,
  clock: Clock,
): Promise<Page<BatchListItem>> {
  const cursors = cursorsFor(callerId, 'payment-batches', {});
  const page = await listBatches(
    limit,
    cursors.open(cursor, (p) => TablePosition.parse(p)),
  );
  const now = clock.now();
  return {
    items: page.items.map((b) => (buildAbandoned(b, now) ? { ...b, buildAbandoned: true } : b)),
    cursor: cursors.seal(page.cursor) ?? undefined,
  };
}

/** Maker-checker: a second finance user releases what the first prepared. */
export async function releasePaymentBatch(caller: Principal, batchId: string, clock: Clock) {
  const b = await loadBatch(batchId);
  if (b.preparedBy.id === caller.userId) {
    throw new DomainError('SAME_MAKER_AND_CHECKER', 'The person who prepared a batch cannot release it');
  }
  const at = clock.now();
  const released = await auditedChange(releaseBatchWrite(batchId, person(caller), at.toISOString()), at, {
    type: 'PaymentBatchReleased',
    actor: staffActor(caller),
    data: { batchId, count: b.count, total: vnd(b.total), preparedBy: b.preparedBy.id },
  });
  if (released) return loadBatch(batchId);
  const now = await loadBatch(batchId);
  if (now.status === 'released' && now.releasedBy?.id === caller.userId) return now; // a retried release
  if (now.status === 'prepared' && (now.heldPayouts ?? 0) > 0) {
    const held = await heldInBatch(batchId);
    throw new DomainError(
      'BATCH_HAS_HELD_PAYOUTS',
      'A payout in this batch was held after the batch was prepared: void the batch and prepare it again',
      { count: now.heldPayouts ?? held.length, claims: held.map((p) => p.claimNumber).join(', ') },
    );
  }
  throw new DomainError('BATCH_NOT_RELEASABLE', `A ${now.status} batch cannot be released`, {
    status: now.status,
  });
}

/** The payouts of a batch that are held now (read from the items, not the index). */
async function heldInBatch(batchId: string): Promise<Payout[]> {
  const held: Payout[] = [];
  let cursor: string | undefined;
  do {
    const page = await payoutsInBatch(batchId, 500, cursor);
    for (const p of page.items) {
      const current = await currentPayout(p);
      if (current?.hold && current.batchId === batchId) held.push(current);
    }
    cursor = page.cursor;
  } while (cursor);
  return held;
}

/**
 * Voids a prepared batch before it goes to the bank (a payout in it was held, or the batch is
 * wrong), or a batch whose build stopped part-way (`buildAbandoned`): its payouts leave it — back to
 * the awaiting queue, or kept out while held — and a new batch is prepared from the queue. Either
 * finance user may void; the batch keeps who, when and why, and its files stay as they were (a void
 * batch cannot be downloaded). A retried void resumes returning the payouts a stopped one left
 * (the batch says so meanwhile: `returningPayouts`).
 */
export async function voidPaymentBatch(caller: Principal, batchId: string, reason: string, clock: Clock) {
  const b = await loadBatch(batchId);
  const at = clock.now();
  const write = voidBatchWrite(batchId, person(caller), reason, at.toISOString(), abandonedBefore(at));
  const voided = await auditedChange(write, at, {
    type: 'PaymentBatchVoided',
    actor: staffActor(caller),
    data: {
      batchId,
      count: b.count,
      total: vnd(b.total),
      reason,
      ...(b.status === 'building' ? { buildAbandoned: true } : {}),
    },
  });
  if (!voided && b.status !== 'void') {
    const now = await loadBatch(batchId);
    if (now.status !== 'void') {
      throw new DomainError('BATCH_NOT_VOIDABLE', `A ${now.status} batch cannot be voided`, {
        status: now.status,
      });
    }
  }
  let returned = 0;
  let cursor: string | undefined;
  do {
    const page = await payoutsInBatch(batchId, 500, cursor);
    for (const p of page.items) if (await unbatchPayout(p, batchId)) returned += 1;
    cursor = page.cursor;
  } while (cursor);
  await finishVoid(batchId);
  return { batch: await loadBatch(batchId), returned };
}

/**
 * A short-lived link to the released batch's file (CSV or XLSX), the one place full account
 * numbers leave the system: each link is recorded on the audit chain (who, which batch, which
 * format) before it is handed out, so no download goes unrecorded.
 */
export async function batchDownload(
  caller: Principal,
  batchId: string,
  format: 'csv' | 'xlsx',
  clock: Clock,
) {
  const b = await loadBatch(batchId);
  if (b.status !== 'released' || !b.files) {
    throw new DomainError('BATCH_NOT_RELEASED', 'Only a released batch can be downloaded', {
      status: b.status,
    });
  }
  await commitWithAudit(
    [],
    [
      {
        type: 'PaymentBatchDownloaded',
        actor: staffActor(caller),
        // The file's SHA-256 as generated: what is uploaded to the bank can be checked against it.
        data: { batchId, format, count: b.count, total: vnd(b.total), sha256: b.fileSha256?.[format] },
      },
    ],
    clock.now(),
  );
  return presignExportDownload(b.files[format], `${b.batchId}.${format}`);
}

/**
 * A batch's (or a reconciliation's) change of state with the event that records it, in one
 * transaction on the admin audit chain; false when it was no longer in the state the change needs
 * (nothing is written).
 */
async function auditedChange(write: GuardedWrite, at: Date, event: NewEvent): Promise<boolean> {
  try {
    await commitWithAudit([write], [event], at);
    return true;
  } catch (e) {
    if (e instanceof BatchStateChanged || e instanceof ReconciliationStateChanged) return false;
    throw e;
  }
}

// ---- the bank's confirmation --------------------------------------------------------------------

/** Reads the confirmation CSV into lines; a file without the needed columns is refused whole. */
export function parseConfirmationFile(content: string): ConfirmationLine[] {
  let records: string[][];
  try {
    records = parse(content, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch (e) {
    throw new DomainError('CONFIRMATION_FILE_INVALID', `Not a CSV file: ${(e as Error).message}`);
  }
  const [header, ...rows] = records;
  if (!header) throw new DomainError('CONFIRMATION_FILE_INVALID', 'The file is empty');
  const fields = header.map(confirmationField);
  for (const need of ['reference', 'amount', 'status'] as const) {
    if (!fields.includes(need))
      throw new DomainError('CONFIRMATION_FILE_INVALID', `The file has no ${need} column`, { missing: need });
  }
  if (rows.length > MAX_CONFIRMATION_LINES) {
    throw new DomainError('CONFIRMATION_FILE_INVALID', `At most ${MAX_CONFIRMATION_LINES} lines per file`);
  }
  return rows.map((cells, i) => {
    const line: ConfirmationLine = {
      line: i + 2,
      reference: '',
      amount: '',
      status: '',
      reason: '',
      bankRef: '',
      account: '',
    };
    fields.forEach((f, j) => {
      if (f) line[f] = cells[j] ?? '';
    });
    return line;
  });
}

/**
 * How long an import holds its file: longer than an API function may run (10 s,
 * lib/claims-function.ts), so a running import is never resumed beside itself, and short enough that
 * an import stopped by a timeout or a crash can be resumed by importing the file again soon after.
 */
export const IMPORT_LOCK_MS = 2 * 60_000;

export interface ReconciliationView extends Reconciliation {
  results: ReconciliationLineResult[];
  /** Rejections this import reported that still wait for a second finance user (0 once confirmed). */
  rejectionsAwaitingConfirmation: number;
}

/** How many of an import's reported rejections still wait for a second finance user's confirmation. */
const awaitingConfirmation = (r: Reconciliation): number =>
  r.status === 'done' && !r.returnsConfirmed ? (r.rejectionsReported ?? 0) : 0;

/**
 * Imports the bank's confirmation file. Matched successful lines mark their payout paid and move
 * the claim on (the workflow records PAID); failed lines report the bank's rejection on the payout,
 * which stays out of the queue until a second finance user confirms the returns (confirmReturns:
 * a clerk's made-up FAILED line alone never puts a paid transfer back in the queue to be paid
 * twice); anything else is listed and changes nothing. The same file
 * imported again is recognised by its hash and changes nothing either; imported while an import of
 * it runs, it answers with the reconciliation still processing (with its lock's end) and changes
 * nothing.
 */
export async function importConfirmation(
  caller: Principal,
  file: { fileName: string; content: string },
  clock: Clock,
): Promise<{ reconciliation: ReconciliationView; replay: boolean }> {
  const reconId = reconciliationIdFor(file.content);
  const before = await getReconciliation(reconId);
  if (before?.status === 'done') return { reconciliation: await loadReconciliation(reconId), replay: true };
  const lines = parseConfirmationFile(file.content);
  const at = clock.now();
  const now = at.toISOString();
  const lockedUntil = new Date(at.getTime() + IMPORT_LOCK_MS).toISOString();
  const fileKey = `${EXPORTS_PREFIX}reconciliations/${reconId}.csv`;
  const sha256 = confirmationFileSha256(file.content);
  // Each import that applies the file's lines is on the admin audit chain, written with the record
  // (or the lock) that lets it run, so no line is applied unrecorded: who, which file, its SHA-256.
  const imported: NewEvent = {
    type: 'BankConfirmationImported',
    actor: staffActor(caller),
    data: {
      reconId,
      fileName: file.fileName,
      sha256,
      lines: lines.length,
      ...(before ? { resumed: true, importedBy: before.importedBy.id } : {}),
    },
  };
  if (!before) {
    await putExport(fileKey, file.content, 'text/csv; charset=utf-8');
    const created = await auditedChange(
      createReconciliationWrite({
        reconId,
        fileName: file.fileName,
        fileKey,
        fileSha256: sha256,
        status: 'processing',
        importedBy: person(caller),
        importedAt: now,
        lines: lines.length,
        paid: 0,
        failed: 0,
        unmatched: 0,
        lockedUntil,
      }),
      at,
      imported,
    );
    // Somebody is importing the same file at this moment: theirs is the import.
    if (!created) return { reconciliation: await loadReconciliation(reconId), replay: true };
  } else if (!(await auditedChange(lockReconciliationWrite(reconId, now, lockedUntil), at, imported))) {
    // Another import of this file is running (its lock holds): it is in progress, nothing changes.
    return { reconciliation: await loadReconciliation(reconId), replay: true };
  }
  try {
    const results = await applyConfirmation(caller, reconId, before !== undefined, lines, clock);
    await putReconciliationLines(reconId, results);
    const count = (k: ReconciliationLineResult['outcome']) => results.filter((r) => r.outcome === k).length;
    await finishReconciliation(reconId, {
      lines: results.length,
      paid: count('paid'),
      failed: count('failed'),
      unmatched: count('unmatched'),
    });
  } catch (e) {
    // Failed, not stopped: the file may be imported again at once (it resumes where this one was).
    await unlockReconciliation(reconId, lockedUntil);
    throw e;
  }
  return { reconciliation: await loadReconciliation(reconId), replay: false };
}

/**
 * Applies the confirmation's lines in file order and says what each one did. `resuming`: this
 * file's import stopped before (a timeout, a crash) and the lines it had applied are finished.
 */
async function applyConfirmation(
  caller: Principal,
  reconId: string,
  resuming: boolean,
  lines: readonly ConfirmationLine[],
  clock: Clock,
): Promise<ReconciliationLineResult[]> {
  const now = clock.now().toISOString();
  const seen = new Set<string>();
  const batches = new Map<string, PaymentBatch | undefined>();
  const results: ReconciliationLineResult[] = [];
  for (const line of lines) {
    const ref = parseReference(line.reference);
    const key = ref ? `${ref.claimNumber}#${ref.advance ?? ''}#${ref.attempt}` : `?${line.reference}`;
    const claimId = ref ? await getClaimIdByNumber(ref.claimNumber) : undefined;
    const payout = claimId ? await getPayout(claimId, ref?.advance) : undefined;
    if (payout?.batchId && !batches.has(payout.batchId))
      batches.set(payout.batchId, await getBatch(payout.batchId));
    const batch = payout?.batchId ? batches.get(payout.batchId) : undefined;
    // This very file was being imported when the import stopped (a timeout, a crash): a line it had
    // applied to the payout is finished on the claim (once), not listed as already paid.
    const resumed =
      resuming && payout && !seen.has(key) ? resumedLine(payout, reconId, ref?.attempt) : undefined;
    const verdict = resumed ? resumed.verdict : judgeLine(line, payout, batch, seen.has(key));
    seen.add(key);
    const result: ReconciliationLineResult = {
      line: line.line,
      reference: line.reference.slice(0, 60),
      amount: line.amount.slice(0, 30),
      outcome: verdict.outcome,
      reason: verdict.reason,
      bankReason: verdict.bankReason,
      claimId: payout?.claimId,
      claimNumber: payout?.claimNumber,
      batchId: payout?.batchId,
    };
    if (resumed && payout) {
      Object.assign(result, { batchId: resumed.batchId });
      const types = new Set(
        (await eventsOfClaim(payout.claimId))
          .filter((e) => e.data?.payoutId === payout.payoutId && e.data?.batchId === resumed.batchId)
          .map((e) => e.type),
      );
      if (verdict.outcome === 'paid' && !types.has('PaymentConfirmed'))
        await confirmClaimPayment(caller, payout, resumed.batchId, line.bankRef, reconId, clock);
      // A rejection this file reported waits for its confirmation: nothing to finish on the claim.
    } else if (payout?.batchId && verdict.outcome === 'paid') {
      const ok = await markPayoutPaid(payout, payout.batchId, now, line.bankRef || reconId, reconId);
      if (ok) await confirmClaimPayment(caller, payout, payout.batchId, line.bankRef, reconId, clock);
      else Object.assign(result, { outcome: 'unmatched', reason: 'ALREADY_PAID' });
    } else if (payout?.batchId && verdict.outcome === 'failed') {
      const report: RejectionReport = {
        batchId: payout.batchId,
        reason: verdict.reason ?? 'BANK_REJECTED',
        ...(verdict.bankReason ? { bankReason: verdict.bankReason } : {}),
        reconciliationId: reconId,
        reportedBy: person(caller),
        at: now,
      };
      if (!(await reportRejection(payout, report))) {
        // Reported by another file meanwhile, or no longer in that batch (paid, returned).
        const current = await getPayout(payout.claimId, ref?.advance);
        Object.assign(result, {
          outcome: 'unmatched',
          reason: current?.rejectionReported ? 'REJECTION_REPORTED' : 'NOT_IN_RELEASED_BATCH',
        });
      }
    }
    results.push(result);
  }
  return results;
}

/**
 * A line the same file's stopped import had already applied to its payout: paid by this file (the
 * line's transfer is the one paid, not an earlier one the bank rejected), its rejection reported by
 * this file, or returned to the queue on this file's word (the line's transfer is the one it rejected).
 */
function resumedLine(
  payout: Payout,
  reconId: string,
  attempt: number | undefined,
): { verdict: LineVerdict; batchId: string } | undefined {
  if (
    payout.status === 'paid' &&
    payout.reconciliationId === reconId &&
    payout.batchId &&
    attempt === payoutAttempt(payout)
  )
    return { verdict: { outcome: 'paid' }, batchId: payout.batchId };
  const reported = payout.rejectionReported;
  if (reported?.reconciliationId === reconId && attempt === payoutAttempt(payout))
    return {
      verdict: {
        outcome: 'failed',
        reason: reported.reason as LineVerdict['reason'],
        bankReason: reported.bankReason,
      },
      batchId: reported.batchId,
    };
  const failures = payout.failures ?? [];
  const failed = attempt ? failures[attempt - 1] : undefined;
  if (failed?.reconciliationId === reconId)
    return {
      verdict: { outcome: 'failed', reason: failed.reason as LineVerdict['reason'] },
      batchId: failed.batchId,
    };
  return undefined;
}

export async function loadReconciliation(reconId: string): Promise<ReconciliationView> {
  const r = await getReconciliation(reconId);
  if (!r) throw new DomainError('RECONCILIATION_NOT_FOUND', 'Reconciliation not found');
  // Lines are written with the final counts; a reconciliation still processing shows none yet.
  return {
    ...r,
    results: r.status === 'done' ? await reconciliationLines(reconId) : [],
    rejectionsAwaitingConfirmation: awaitingConfirmation(r),
  };
}

export const reconciliationHistory = async (limit: number) =>
  (await listReconciliations(limit)).map((r) => ({
    ...r,
    rejectionsAwaitingConfirmation: awaitingConfirmation(r),
  }));

/**
 * Maker-checker on the bank's rejections: a finance user other than the one who imported the file
 * confirms the rejections it reported, and only then do their payouts leave their batch for the
 * queue (or stay out, held, as any payout leaving a batch) and their claims record PaymentFailed
 * (finance is alerted). Who confirmed is recorded on the reconciliation with its event on the admin
 * audit chain, in one transaction, before any payout moves; a retry (by anyone but the importer)
 * finishes what a stopped one began and records nothing twice. A rejection a later file paid
 * meanwhile is not returned (superseded).
 */
export async function confirmReturns(caller: Principal, reconId: string, clock: Clock) {
  const r = await getReconciliation(reconId);
  if (!r) throw new DomainError('RECONCILIATION_NOT_FOUND', 'Reconciliation not found');
  if (r.importedBy.id === caller.userId) {
    throw new DomainError(
      'SAME_MAKER_AND_CHECKER',
      "The person who imported the bank's confirmation cannot confirm the returns it reports",
      { reconId },
    );
  }
  const at = clock.now();
  const confirmed =
    r.returnsConfirmed ||
    (await auditedChange(confirmReturnsWrite(reconId, person(caller), at.toISOString()), at, {
      type: 'BankReturnsConfirmed',
      actor: staffActor(caller),
      data: {
        reconId,
        fileName: r.fileName,
        sha256: r.fileSha256,
        count: r.rejectionsReported ?? 0,
        importedBy: r.importedBy.id,
      },
    }));
  if (!confirmed) {
    const now = await getReconciliation(reconId);
    // Confirmed by someone else a moment ago: finishing it below changes nothing twice.
    if (!now?.returnsConfirmed) {
      throw new DomainError('RETURNS_NOT_CONFIRMABLE', 'No rejection of this import awaits confirmation', {
        status: now?.status,
        rejectionsReported: now?.rejectionsReported ?? 0,
      });
    }
  }
  let returned = 0;
  let superseded = 0;
  for (const line of await reconciliationLines(reconId)) {
    if (line.outcome !== 'failed' || !line.claimId) continue;
    const advance = parseReference(line.reference)?.advance;
    const payout = await getPayout(line.claimId, advance);
    if (!payout) continue;
    if (await returnReported(caller, payout, reconId, at, clock)) returned += 1;
    else superseded += 1;
  }
  await recordReturnsOutcome(reconId, { returned, superseded });
  return loadReconciliation(reconId);
}

/**
 * Returns one payout whose rejection `reconId` reported, and records PaymentFailed on its claim
 * (once: a retry after a stop between the two finishes it). False when it was not returned on this
 * file's word: a later file paid it.
 */
async function returnReported(
  caller: Principal,
  payout: Payout,
  reconId: string,
  at: Date,
  clock: Clock,
): Promise<boolean> {
  let current: Payout | undefined = payout;
  const report = current.rejectionReported;
  if (report?.reconciliationId === reconId) {
    if (await returnPayoutToQueue(current, report, person(caller), at.toISOString())) {
      await recordPaymentFailure(
        caller,
        current,
        report.batchId,
        report.reason,
        report.bankReason ?? '',
        clock,
        {
          reconciliationId: reconId,
          reportedBy: report.reportedBy.id,
        },
      );
      return true;
    }
    current = await currentPayout(payout);
  }
  const failure = current?.failures?.find((f) => f.reconciliationId === reconId);
  if (!current || !failure) return false;
  const recorded = (await eventsOfClaim(current.claimId)).some(
    (e) =>
      e.type === 'PaymentFailed' &&
      e.data?.payoutId === current.payoutId &&
      e.data?.batchId === failure.batchId,
  );
  if (!recorded)
    await recordPaymentFailure(caller, current, failure.batchId, failure.reason, '', clock, {
      reconciliationId: reconId,
      reportedBy: failure.reportedBy?.id,
    });
  return true;
}

/**
 * The bank paid the claim's payout: records it on the claim and resumes the workflow waiting for
 * the payment, whose RecordPayment step sets PAID.
 * The resume is a signal saved with the claim change (delivered from the table stream).
 */
async function confirmClaimPayment(
  caller: Principal,
  payout: Payout,
  batchId: string,
  bankReference: string,
  reconId: string,
  clock: Clock,
): Promise<void> {
  const paidAt = clock.now().toISOString();
  await mutateClaim(payout.claimId, clock, (c) => {
    const advances =
      payout.kind === 'advance'
        ? c.advances?.map((a) => (a.n === advanceNumberOf(payout) ? { ...a, paidAt } : a))
        : c.advances;
    // The advances paid the decision (nothing was left to transfer): the last one's confirmation
    // pays the claim (core/finance.ts `paidByAdvances`).
    const settled =
      payout.kind === 'advance' && !c.payment?.paidAt ? paidByAdvances({ ...c, advances }) : undefined;
    const token =
      (payout.kind === 'final' || settled) && c.waitingFor === 'payment' ? c.waitToken : undefined;
    const data = {
      payoutId: payout.payoutId,
      kind: payout.kind,
      batchId,
      amount: { amount: payout.amount, currency: 'VND' },
      bankReference: bankReference || undefined,
      reconciliationId: reconId,
    };
    return {
      claim: {
        ...c,
        ...(token ? { waitToken: undefined, waitingFor: undefined } : {}),
        // An advance's transfer is not the claim's payment: only the final one marks it paid; an
        // advance's confirmation is kept on that advance.
        // The amount is what the bank paid: priced for its batch's day, late interest included.
        payment:
          c.payment && payout.kind === 'final'
            ? { ...c.payment, amount: vnd(payout.amount), paidAt, batchId }
            : c.payment && settled
              ? { ...c.payment, paidAt: settled }
              : c.payment,
        advances,
      },
      events: [{ type: 'PaymentConfirmed', actor: staffActor(caller), data }],
      signals: token ? [resumeSignal(token, { paidAt, batchId, payoutId: payout.payoutId })] : [],
    };
  });
}

/**
 * The bank refused the transfer: the claim's record says why (and, once confirmed by a second
 * finance user, which file reported it and who imported it), and finance is alerted.
 */
async function recordPaymentFailure(
  caller: Principal,
  payout: Payout,
  batchId: string,
  reason: string,
  bankReason: string,
  clock: Clock,
  confirmed: { reconciliationId: string; reportedBy?: string },
): Promise<void> {
  await mutateClaim(payout.claimId, clock, (c) => ({
    claim: c,
    events: [
      {
        type: 'PaymentFailed',
        actor: staffActor(caller),
        data: {
          payoutId: payout.payoutId,
          kind: payout.kind,
          batchId,
          amount: { amount: payout.amount, currency: 'VND' },
          reason,
          bankReason,
          ...confirmed,
        },
      },
    ],
  }));
}
