import { maskAccountNumber, type StoredBankAccount } from './payout-account.ts';
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { latePaymentInterest } from './deadlines.ts';
import { defineSchema } from './define-schema.ts';
import { vnd } from './money.ts';
import { businessDate } from './time.ts';

/**
 * Paying claims through the bank: payout lines, payment batches (the bank's bulk-transfer file),
 * and the bank's confirmation file. Pure: the use cases in app/finance.ts load, call these and write.
 *
 * A payout moves `awaiting → batched → paid`; a line the bank rejects (closed account, wrong
 * name…) goes back to `awaiting` with the reason, so finance can fix it and pay it in a later
 * batch — but only once a second finance user confirms the rejection the importer of the bank's
 * file reported (maker-checker): until then it stays `batched` in its released batch with
 * `rejectionReported`, out of every queue. While it is batched it belongs to exactly one batch
 * (assignment is a conditional write).
 */
export const PAYOUT_STATUSES = ['awaiting', 'batched', 'paid'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

/** `final`: the approved claim's payment; `advance`: an advance payment (Decree 67/2023 Art. 14). */
export type PayoutKind = 'final' | 'advance';

/** As on the claim: bank, holder, mask and the sealed number (opened only for the bank file). */
export type PayoutAccount = StoredBankAccount;

export interface Payout {
  /** `<claimId>` for the final payout, `<claimId>-A<n>` for the n-th advance. */
  payoutId: string;
  claimId: string;
  claimNumber: string;
  kind: PayoutKind;
  /** What the bank transfers (integer VND): principal + late interest − advances already paid. */
  amount: number;
  interest: number;
  /**
   * The final payout: what the decision leaves to pay without interest, and the payment deadline
   * after which interest runs (`pricedForPayment` prices it again for the day the bank file is
   * written). Absent on advances, and on payouts queued before they were kept.
   */
  owed?: number;
  dueAt?: string;
  currency: 'VND';
  account: PayoutAccount;
  queuedAt: string;
  date: string;
  status: PayoutStatus;
  batchId?: string;
  paidAt?: string;
  bankReference?: string;
  /** The confirmation file that paid it (a resumed import of that file finishes what it began). */
  reconciliationId?: string;
  /**
   * Earlier attempts the bank rejected, newest last, each with the confirmation file that said so,
   * who imported it and who confirmed the return (absent on returns made before the confirmation).
   */
  failures?: {
    batchId: string;
    reason: string;
    at: string;
    reconciliationId?: string;
    reportedBy?: { id: string; name?: string };
    confirmedBy?: { id: string; name?: string };
    confirmedAt?: string;
  }[];
  /**
   * The bank's confirmation file says this transfer failed, and a second finance user has not yet
   * confirmed it: the payout stays in its released batch, out of the awaiting queue, until then. A
   * later file saying the bank paid it pays it (and this report can no longer be confirmed).
   */
  rejectionReported?: RejectionReport;
  /**
   * Kept out of every batch while the customer confirms a new payout account, the SIU investigates,
   * or the claim's workflow stopped on a failed payment step.
   */
  hold?: { reason: 'payout_account_change' | 'siu_referral' | 'workflow_failure'; since: string };
  /** Batches voided before release that this payout left (it was prepared, then returned). */
  voidedBatches?: string[];
  /**
   * Not in a batch before this time: the payout account changed on the claim, and the registered
   * contacts have {@link ACCOUNT_CHANGE_COOLING_MS} to stop a change they did not make.
   */
  notBefore?: string;
}

/** A bank rejection read from a confirmation file, awaiting a second finance user's confirmation. */
export interface RejectionReport {
  batchId: string;
  /** `ACCOUNT_CLOSED` or `BANK_REJECTED` (a {@link LineReason}). */
  reason: string;
  /** The bank's own words. */
  bankReason?: string;
  /** The confirmation file (its reconciliation) that reported it. */
  reconciliationId: string;
  /** Who imported that file: never the one who confirms the return. */
  reportedBy: { id: string; name?: string };
  at: string;
}

/**
 * How long after a payout account change no money goes to the new account: a mailbox taken over
 * (the sign-in is recovered by e-mail) can confirm a change, and the customer, told of it by every
 * registered contact, has this long to call before it is paid.
 */
export const ACCOUNT_CHANGE_COOLING_MS = 24 * 3_600_000;

/** What of a claim says when its payout account last became payable: a change, or a phone verification. */
export interface PayoutAccountTimes {
  payoutAccountChangedAt?: string;
  payoutAccountCheck?: { confirmedBy?: string; confirmedAt?: string };
}

/**
 * The time before which none of the claim's payouts is batched, or nothing when it has passed:
 * {@link ACCOUNT_CHANGE_COOLING_MS} after the payout account last changed, or after a supervisor
 * verified an account staff typed in by phone. That verification is one insider's word for another's
 * entry (the filer and a colluding supervisor could record a call that never happened), so, like a
 * change, it pays only once every registered contact has had a day to object to the notice it sends.
 * The customer's own confirmation, signed in, is her word and waits for nothing.
 */
export function payoutNotBefore(c: PayoutAccountTimes, now: Date): string | undefined {
  const check = c.payoutAccountCheck;
  const starts = [
    c.payoutAccountChangedAt,
    check?.confirmedBy === 'phone' ? check.confirmedAt : undefined,
  ].filter((t): t is string => t !== undefined);
  if (starts.length === 0) return undefined;
  const until = Math.max(...starts.map(Date.parse)) + ACCOUNT_CHANGE_COOLING_MS;
  return until > now.getTime() ? new Date(until).toISOString() : undefined;
}

/** `{ notBefore }` for a payout of the claim queued at `now`, or nothing when no cooling-off runs. */
export function withNotBefore(c: PayoutAccountTimes, now: Date): { notBefore?: string } {
  const notBefore = payoutNotBefore(c, now);
  return notBefore ? { notBefore } : {};
}

/**
 * Where a payout sorts in the awaiting queue: from when it was queued, or from when it may be paid
 * if that is later. A batch takes what sorts at or before its cut-off, which is at most a minute
 * ahead (payment-batch.ts), so a payout in its cooling-off period waits in the queue, shown, until it
 * is (nearly) over.
 */
export const awaitingFrom = (p: Pick<Payout, 'queuedAt' | 'notBefore'>): string =>
  p.notBefore && p.notBefore > p.queuedAt ? p.notBefore : p.queuedAt;

/**
 * A batch is built, prepared (its bank files written), then released by a second person — or voided
 * before release (its payouts return to the queue), e.g. when the SIU holds one of its payouts.
 */
export const BATCH_STATUSES = ['building', 'prepared', 'released', 'empty', 'void'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export interface PaymentBatch {
  batchId: string;
  /** Payouts queued up to this instant are in the batch. */
  cutoff: string;
  status: BatchStatus;
  createdAt: string;
  preparedBy: { id: string; name?: string };
  preparedAt?: string;
  releasedBy?: { id: string; name?: string };
  releasedAt?: string;
  /** Payouts assigned so far (while building) and in the end. */
  count: number;
  /** Sum of the payouts' amounts (integer VND). */
  total: number;
  files?: { csv: string; xlsx: string };
  /**
   * SHA-256 (hex) of each file as it was written when the batch was prepared: each download's audit
   * event carries it, so the file uploaded to the bank can be checked against what was generated.
   */
  fileSha256?: { csv: string; xlsx: string };
  /** Confirmed by the bank so far. */
  paidCount?: number;
  failedCount?: number;
  /**
   * Payouts held after the batch took them (a late SIU referral): counted on the batch in the same
   * transaction as the hold, so a release can never slip between the two. A batch with held
   * payouts cannot be released; it is voided and prepared again without them.
   */
  heldPayouts?: number;
  voidedBy?: { id: string; name?: string };
  voidedAt?: string;
  voidReason?: string;
  /**
   * Voided, and its payouts not all returned yet: set with the void, removed once the last one has
   * left. A void that stopped part-way keeps it, and the batch offers to finish the void.
   */
  returningPayouts?: boolean;
  /** When an abandoned build was taken up again (by the same request): it is not abandoned since. */
  resumedAt?: string;
}

/**
 * A batch still `building` this long after its build began (or was resumed) was abandoned: every
 * API function stops within seconds (lib/claims-function.ts), so no build of it is running. The same
 * request resumes it; either finance user may void it instead.
 */
export const BUILD_ABANDONED_AFTER_MS = 15 * 60_000;

/** The instant before which a build began (or resumed) is abandoned, if the batch is still building. */
export const abandonedBefore = (now: Date): string =>
  new Date(now.getTime() - BUILD_ABANDONED_AFTER_MS).toISOString();

/** Whether a batch is a build that stopped part-way ({@link BUILD_ABANDONED_AFTER_MS}). */
export const buildAbandoned = (
  b: Pick<PaymentBatch, 'status' | 'createdAt' | 'resumedAt'>,
  now: Date,
): boolean => b.status === 'building' && (b.resumedAt ?? b.createdAt) < abandonedBefore(now);

/**
 * Deterministic batch id from the request: the same cut-off and Idempotency-Key give the same id,
 * so two concurrent creations write the same batch item and only one of them builds it.
 */
export function batchIdFor(cutoff: string, idempotencyKey: string): string {
  // The business day of the cut-off in Vietnam, whatever offset the instant was written with.
  const day = businessDate(new Date(cutoff)).replace(/-/g, '');
  const h = createHash('sha256').update(`${cutoff}\n${idempotencyKey}`).digest('hex').slice(0, 12);
  return `PB-${day}-${h}`;
}

export const BATCH_ID_PATTERN = /^PB-\d{8}-[0-9a-f]{12}$/;

/**
 * Which transfer of a payout a bank line is about: 1 for the first, one more for every batch the
 * bank rejected it in (a voided batch never reached the bank and does not count).
 */
export const payoutAttempt = (p: Pick<Payout, 'failures'>): number => (p.failures?.length ?? 0) + 1;

/**
 * The reference the bank echoes back: the claim number, plus `-TU<n>` for an advance, plus `-L<k>`
 * from the second transfer on. A payout the bank rejected goes out again under a new reference, so
 * a late or repeated line about the rejected transfer can never be read as news of the new one.
 */
export function payoutReference(
  p: Pick<Payout, 'payoutId' | 'claimId' | 'claimNumber' | 'kind' | 'failures'>,
): string {
  const line = p.kind === 'final' ? p.claimNumber : `${p.claimNumber}-TU${advanceNumberOf(p)}`;
  const attempt = payoutAttempt(p);
  return attempt === 1 ? line : `${line}-L${attempt}`;
}

/** Splits a reference back into claim number, payout line (`final` or the advance number) and transfer. */
export function parseReference(
  ref: string,
): { claimNumber: string; advance?: number; attempt: number } | undefined {
  const m = /^(BT-\d{4}-\d{6,})(?:-TU(\d{1,3}))?(?:-L(\d{1,3}))?$/.exec(ref.trim().toUpperCase());
  if (!m?.[1]) return undefined;
  return { claimNumber: m[1], ...(m[2] ? { advance: Number(m[2]) } : {}), attempt: m[3] ? Number(m[3]) : 1 };
}

export const payoutIdFor = (claimId: string, advance?: number) =>
  advance === undefined ? claimId : `${claimId}-A${advance}`;

/** The advance an advance payout line pays (`<claimId>-A<n>` → n); undefined for the final payout. */
export const advanceNumberOf = (p: Pick<Payout, 'payoutId' | 'claimId' | 'kind'>): number | undefined =>
  p.kind === 'advance' ? Number(p.payoutId.slice(p.claimId.length + 2)) : undefined;

/**
 * A payout priced for the day its bank file is written, the day the money goes: late interest on a
 * final payout runs until the payment, not until the payment was queued (queued on time and paid
 * after the deadline still owes it; queued late, it owes for every further day). Never less than
 * what was priced before; advances and payouts with no deadline kept are paid as queued.
 */
export function pricedForPayment(
  p: Pick<Payout, 'kind' | 'amount' | 'interest' | 'owed' | 'dueAt'>,
  payDate: Date,
): { amount: number; interest: number } {
  if (p.kind !== 'final' || p.owed === undefined || !p.dueAt)
    return { amount: p.amount, interest: p.interest };
  const interest = Math.max(p.interest, latePaymentInterest(vnd(p.owed), new Date(p.dueAt), payDate).amount);
  return { amount: p.owed + interest, interest };
}

/** What the advances approved on a claim add up to (whole đồng). */
export const advancedAmount = (c: { advances?: readonly { amount: { amount: number } }[] }): number =>
  (c.advances ?? []).reduce((sum, a) => sum + a.amount.amount, 0);

/** Why a claim's advances can add up to no more: which bound is the lowest. */
export type AdvanceCeilingCode =
  | 'reserve'
  | 'cover_limit'
  | 'joint_decision_threshold'
  | 'assessed'
  | 'estimate';

/** What of a claim bounds its advances. */
export interface AdvanceBounds {
  classification?: { reserve: { amount: number } };
  assessment?: { payable: { amount: number } };
  report: { estimatedAmount: { amount: number } };
}

/**
 * What all of a claim's advances together may add up to: the lowest of the case reserve, what the
 * covers answering the cause can pay (`coverLimit`), what one person may decide (`jointThreshold`:
 * above it the departments decide together, and an advance does not go round them) and what the
 * claim is shown to be worth — once assessed, the assessed payout (an advance is part of the
 * compensation, never more than the contract pays); before that, the customer's own estimate (0 is
 * an estimate not given, e.g. a claim made from an e-mail, and bounds nothing).
 */
export function advanceCeiling(
  c: AdvanceBounds,
  limits: { coverLimit: number; jointThreshold?: number },
): { code: AdvanceCeilingCode; amount: number } {
  const estimate = c.report.estimatedAmount.amount;
  const ceilings: { code: AdvanceCeilingCode; amount: number }[] = [
    { code: 'reserve', amount: c.classification?.reserve.amount ?? 0 },
    { code: 'cover_limit', amount: limits.coverLimit },
    ...(limits.jointThreshold !== undefined
      ? [{ code: 'joint_decision_threshold' as const, amount: limits.jointThreshold }]
      : []),
    ...(c.assessment
      ? [{ code: 'assessed' as const, amount: c.assessment.payable.amount }]
      : estimate > 0
        ? [{ code: 'estimate' as const, amount: estimate }]
        : []),
  ];
  return ceilings.reduce((a, b) => (b.amount < a.amount ? b : a));
}

/**
 * When the advances paid a claim's decision in full: the final transfer is nothing (no payout line is
 * written for it), and the claim is paid once the bank has confirmed every advance — at the last
 * confirmation. Undefined while a transfer is still owed or an advance is not yet confirmed.
 */
export function paidByAdvances(c: {
  payment?: { amount: { amount: number } };
  advances?: readonly { amount: { amount: number }; paidAt?: string }[];
}): string | undefined {
  const advances = c.advances ?? [];
  if (c.payment?.amount.amount !== 0 || advances.length === 0) return undefined;
  if (advances.some((a) => !a.paidAt)) return undefined;
  // ISO instants in UTC sort as they happened.
  return advances
    .map((a) => a.paidAt as string)
    .sort()
    .at(-1);
}

/**
 * How the final transfer is made up, the one sum the payout line, the bank file and both apps show:
 * the decision, less the advances already approved (each its own transfer), plus the late-payment
 * interest added when the payment was queued after its deadline (Law 08/2022 Art. 31). `lateInterest`
 * is what the transfer holds beyond what was still owed.
 */
export function finalTransfer(c: {
  decision?: { amount: { amount: number } };
  advances?: readonly { amount: { amount: number } }[];
  payment?: { amount: { amount: number } };
}): { decided: number; advanced: number; owed: number; lateInterest: number; amount: number } | undefined {
  if (!c.decision || !c.payment) return undefined;
  const decided = c.decision.amount.amount;
  const advanced = advancedAmount(c);
  const owed = decided - advanced;
  const amount = c.payment.amount.amount;
  return { decided, advanced, owed, lateInterest: amount - owed, amount };
}

/**
 * The columns of the bulk-transfer file ("chuyển khoản theo lô") in the order Vietnamese banks'
 * templates use: sequence, beneficiary name, account, beneficiary bank, amount (VND, integer),
 * transfer description. The reference is a column of its own too, for matching the confirmation.
 */
export const BANK_FILE_COLUMNS = [
  { key: 'seq', header: 'STT' },
  { key: 'beneficiaryName', header: 'Ten nguoi thu huong' },
  { key: 'accountNumber', header: 'So tai khoan' },
  { key: 'bankName', header: 'Ngan hang thu huong' },
  { key: 'amount', header: 'So tien (VND)' },
  { key: 'description', header: 'Noi dung chuyen khoan' },
  { key: 'reference', header: 'Ma tham chieu' },
] as const;

export interface BankRow {
  seq: number;
  beneficiaryName: string;
  accountNumber: string;
  bankName: string;
  amount: number;
  description: string;
  reference: string;
}

/**
 * Bank transfer text: most Vietnamese banks take only unaccented letters, digits and spaces in
 * names and descriptions (NAPAS), so diacritics are folded (đ → d) and other signs dropped.
 */
export function bankText(s: string, max: number): string {
  return (
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/g, 'd')
      .replace(/Đ/g, 'D')
      .replace(/[^A-Za-z0-9 .\-/]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      // Nothing a spreadsheet reads as a formula (`-2+3`): finance opens the CSV before the bank does.
      .replace(/^[-.\s/]+/, '')
      .toUpperCase()
      .slice(0, max)
  );
}

/** One line of the bank file. `accountNumber` is passed in: the caller decides how it is revealed. */
export function bankRow(p: Payout, seq: number, accountNumber: string): BankRow {
  const reference = payoutReference(p);
  const what = p.kind === 'advance' ? 'TAM UNG BOI THUONG' : 'BOI THUONG';
  return {
    seq,
    beneficiaryName: bankText(p.account.accountHolder, 70),
    accountNumber: accountNumber.replace(/\s+/g, ''),
    bankName: bankText(p.account.bankName, 70),
    amount: p.amount,
    description: bankText(`${what} HO SO ${reference}`, 140),
    reference,
  };
}

export const bankRowValues = (r: BankRow) => BANK_FILE_COLUMNS.map((c) => r[c.key]);

// ---- the bank's confirmation file ----------------------------------------------------------------

/**
 * A line of the confirmation file. Columns (header row, any order, case-insensitive; Vietnamese
 * or English names): `reference`/`ma tham chieu`, `amount`/`so tien`, `status`/`trang thai`
 * (`SUCCESS`/`THANH CONG` or `FAILED`/`THAT BAI`), `reason`/`ly do`, `bank_ref`/`so giao dich`,
 * and, optionally, the account the bank credited, `account`/`so tai khoan` (the full number or its
 * last four digits).
 */
export const ConfirmationLine = /* @__PURE__ */ defineSchema(() =>
  z.object({
    line: z.int(),
    reference: z.string(),
    amount: z.string(),
    status: z.string(),
    reason: z._default(z.string(), ''),
    bankRef: z._default(z.string(), ''),
    account: z._default(z.string(), ''),
  }),
);
export type ConfirmationLine = z.infer<typeof ConfirmationLine>;

const HEADER_ALIASES: Record<string, keyof Omit<ConfirmationLine, 'line'>> = {
  reference: 'reference',
  'ma tham chieu': 'reference',
  amount: 'amount',
  'so tien': 'amount',
  'so tien (vnd)': 'amount',
  status: 'status',
  'trang thai': 'status',
  reason: 'reason',
  'ly do': 'reason',
  bank_ref: 'bankRef',
  'so giao dich': 'bankRef',
  account: 'account',
  account_number: 'account',
  'account number': 'account',
  'so tai khoan': 'account',
  'tai khoan': 'account',
  stk: 'account',
};

/** Maps a header cell to the field it holds (accents and case ignored), or undefined. */
export function confirmationField(header: string): keyof Omit<ConfirmationLine, 'line'> | undefined {
  return HEADER_ALIASES[bankText(header, 40).toLowerCase()];
}

export const LINE_OUTCOMES = ['paid', 'failed', 'unmatched'] as const;
export type LineOutcome = (typeof LINE_OUTCOMES)[number];

export const LINE_REASONS = [
  'UNKNOWN_REFERENCE',
  'AMOUNT_MISMATCH',
  'ACCOUNT_MISMATCH',
  'DUPLICATE_LINE',
  'ALREADY_PAID',
  'EARLIER_TRANSFER',
  'NOT_IN_RELEASED_BATCH',
  // The bank's rejection of this transfer was reported by another file and awaits confirmation.
  'REJECTION_REPORTED',
  'BAD_STATUS',
  'ACCOUNT_CLOSED',
  'BANK_REJECTED',
] as const;
export type LineReason = (typeof LINE_REASONS)[number];

export interface LineVerdict {
  outcome: LineOutcome;
  reason?: LineReason;
  /** The bank's own words for a rejected transfer. */
  bankReason?: string;
}

/** Parses a VND amount as banks write it (`1.500.000`, `1,500,000`, `1500000`); integers only. */
export function parseVnd(s: string): number | undefined {
  const t = s.trim().replace(/\s|₫|VND/gi, '');
  if (!/^\d{1,3}([.,]\d{3})*$|^\d+$/.test(t)) return undefined;
  const n = Number(t.replace(/[.,]/g, ''));
  return Number.isSafeInteger(n) ? n : undefined;
}

const SUCCESS = new Set(['SUCCESS', 'SUCCEEDED', 'OK', 'THANH CONG']);
const FAILED = new Set(['FAILED', 'FAIL', 'REJECTED', 'THAT BAI', 'LOI']);

/**
 * What one confirmation line means for its payout. Nothing is marked paid on a guess: the
 * reference must name a payout of a released batch, not yet paid, for exactly its amount, and the
 * bank must say it succeeded. A failed transfer is reported with the bank's reason (a second
 * finance user confirms it before the payout returns to the queue); a rejection already reported
 * by another file is not reported again; every other mismatch changes nothing and is listed for
 * finance. A success after a reported rejection pays the payout: the bank's later word wins.
 */
export function judgeLine(
  line: ConfirmationLine,
  payout: Payout | undefined,
  batch: Pick<PaymentBatch, 'status'> | undefined,
  seenBefore: boolean,
): LineVerdict {
  if (seenBefore) return { outcome: 'unmatched', reason: 'DUPLICATE_LINE' };
  if (!payout) return { outcome: 'unmatched', reason: 'UNKNOWN_REFERENCE' };
  // A line about a transfer the bank already rejected (a late or cumulative file): the payout has
  // moved on to a new transfer, which this line says nothing about — whether or not that one is paid
  // yet, so a file read again after it paid the new transfer says the same of this line.
  if (parseReference(line.reference)?.attempt !== payoutAttempt(payout))
    return { outcome: 'unmatched', reason: 'EARLIER_TRANSFER' };
  if (payout.status === 'paid') return { outcome: 'unmatched', reason: 'ALREADY_PAID' };
  if (payout.status !== 'batched' || batch?.status !== 'released')
    return { outcome: 'unmatched', reason: 'NOT_IN_RELEASED_BATCH' };
  if (parseVnd(line.amount) !== payout.amount) return { outcome: 'unmatched', reason: 'AMOUNT_MISMATCH' };
  // The bank credited another account than the file prepared for this payout (a file edited after
  // download): never marked paid, nor returned to the queue, on the strength of this line.
  if (lineAccountMatches(line.account, payout.account.accountMask) === false)
    return { outcome: 'unmatched', reason: 'ACCOUNT_MISMATCH' };
  const status = bankText(line.status, 20);
  if (SUCCESS.has(status)) return { outcome: 'paid' };
  if (FAILED.has(status)) {
    if (payout.rejectionReported) return { outcome: 'unmatched', reason: 'REJECTION_REPORTED' };
    const bankReason = line.reason.trim().slice(0, 200);
    const closed = /CLOSED|DONG|KHOA/.test(bankText(bankReason, 200));
    return { outcome: 'failed', reason: closed ? 'ACCOUNT_CLOSED' : 'BANK_REJECTED', bankReason };
  }
  return { outcome: 'unmatched', reason: 'BAD_STATUS' };
}

/**
 * Whether the account a confirmation line names is the payout's, compared on the last four digits:
 * the mask is the one form of the number kept readable beside the sealed one, so the import opens
 * no account number, and the line's number goes no further than this comparison. A line with no
 * account (or a file without the column) is not judged on it: undefined.
 */
export function lineAccountMatches(cell: string, accountMask: string): boolean | undefined {
  if (!cell.trim()) return undefined;
  const digits = cell.replace(/\D/g, '');
  return digits.length >= 4 && maskAccountNumber(digits) === accountMask;
}

/** SHA-256 (hex) of a confirmation file's text as imported (UTF-8): what the audit chain records. */
export const confirmationFileSha256 = (content: string) => createHash('sha256').update(content).digest('hex');

/**
 * Reconciliation id: the first 24 hex digits (96 bits) of the file's SHA-256, so importing the same
 * file again finds the first import.
 */
export const reconciliationIdFor = (content: string) => `RC-${confirmationFileSha256(content).slice(0, 24)}`;

export const RECONCILIATION_ID_PATTERN = /^RC-[0-9a-f]{24}$/;

/** Bounds of an imported confirmation file (JSON body, text inside). */
export const MAX_CONFIRMATION_BYTES = 1024 * 1024;
export const MAX_CONFIRMATION_LINES = 5000;

/** Why a prepared batch is voided (kept on the batch). */
export const VoidBatchBody = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    reason: z.string().check(z.trim(), z.minLength(3), z.maxLength(500)),
  }),
);

export const CreateBatchBody = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    /** Payouts queued up to this instant (ISO with offset). With the Idempotency-Key it names the batch. */
    cutoff: z.iso.datetime({ offset: true }).check(z.maxLength(40)),
  }),
);

export const ImportConfirmationBody = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    fileName: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    content: z.string().check(z.minLength(1), z.maxLength(MAX_CONFIRMATION_BYTES)),
  }),
);

export const PayoutsQuery = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    status: z._default(z.literal('awaiting'), 'awaiting'),
    limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 50),
    cursor: z.optional(z.string().check(z.maxLength(2000))),
  }),
);

export const DownloadQuery = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({ format: z._default(z.enum(['csv', 'xlsx']), 'csv') }),
);

export const BatchIdParam = /* @__PURE__ */ defineSchema(() => z.string().check(z.regex(BATCH_ID_PATTERN)));
export const ReconciliationIdParam = /* @__PURE__ */ defineSchema(() =>
  z.string().check(z.regex(RECONCILIATION_ID_PATTERN)),
);
