import { createHash } from 'node:crypto';

/**
 * Claim events are past-tense facts (HOUSE_STYLE §7). They are append-only; the timeline and the
 * audit trail are both read from them. Each event carries the hash of the previous one so any edit
 * or deletion breaks the chain (see {@link verifyChain}).
 */
export const EVENT_TYPES = [
  'ClaimSubmitted',
  'ClaimChecked',
  'ClaimReferred',
  'ClaimClassified',
  'AcknowledgementSent',
  'DocumentUploadRequested',
  'DocumentVerified',
  'DocumentQuarantined',
  // The customer withdrew a document of theirs before anyone relied on it; data: { documentId, docType, fileName }.
  'DocumentWithdrawn',
  'DossierCompleted',
  'AssessmentAwaited',
  'ClaimAssigned',
  'ClaimReassigned',
  'InfoRequested',
  'InfoProvided',
  'InspectionScheduled',
  'AssessmentRecorded',
  'PayoutCalculated',
  'ApprovalRequested',
  'DepartmentVoted',
  'ClaimApproved',
  'ClaimPartiallyApproved',
  'ClaimRejected',
  'PaymentQueued',
  'DeadlineScheduled',
  'DeadlineAtRisk',
  'DeadlineBreached',
  'DeadlineMet',
  'DeadlineCancelled',
  'ReminderSent',
  'InspectionConfirmed',
  'InspectionRescheduleRequested',
  'ApprovalSentBack',
  'ClaimSentBack',
  'NoteAdded',
  'ClaimClosed',
  'WorkflowSignalsRedelivered',
  // A workflow step failed for good (the compensating state), and a supervisor's acknowledgement.
  'WorkflowStepFailed',
  'WorkflowFailureAcknowledged',
  // A step whose failure does not stop the claim failed for good and the workflow went on without
  // it (the acknowledgement); data: { state, error, cause }.
  'WorkflowStepSkipped',
  // Compulsory motor TPL advance payment (Decree 67/2023 Art. 14); data: { amount }.
  'AdvancePaymentApproved',
  // Audited reads of personal data (finance sees a full payout account number to pay it; staff
  // open a document of the claim; data: { documentId, docType, status }).
  'PayoutAccountRevealed',
  'DocumentOpened',
  'DocumentWaived',
  'ContactConfirmed',
  'PayoutAccountChangeRequested',
  'PayoutAccountChanged',
  // A payout account staff typed in, confirmed by the customer or verified by a supervisor by phone
  // (core/payout-account-check.ts); data: { by, bankName, accountMask, note?, paymentReleased }.
  'PayoutAccountConfirmed',
  'InvoiceFlagged',
  'PostAuditSampled',
  'PostAuditReviewed',
  // Payment through the bank (finance batches and the bank's confirmation).
  'PaymentConfirmed',
  'PaymentFailed',
  'ClaimPaid',
  // Fraud indicators and the SIU (staff only; a customer never sees these).
  'IndicatorsScored',
  'ClaimReferredToSiu',
  'SiuInvestigationStarted',
  'SiuOutcomeRecorded',
  // The customer's appeal after a rejection (core/appeal.ts): filed, and its outcome.
  'ClaimAppealed',
  'AppealDecided',
  // The message thread between the customer and the handler (core/claim-thread.ts); data: { text }.
  'MessagePosted',
  // Administration (the admin audit chain, claimId 'ADMIN'), not claim events.
  'ProductConfigChanged',
  'CalendarChanged',
  'TemplateChanged',
  'StaffChanged',
  'QuotasChanged',
  // Four eyes on administration: a change proposed, then approved, rejected or withdrawn
  // (data: { changeId, kind, target, decision }); an approved one is followed by its *Changed event.
  'AdminChangeProposed',
  'AdminChangeDecided',
  // Payment batches, on the same chain: who prepared, released, voided and downloaded each bank file.
  'PaymentBatchPrepared',
  'PaymentBatchReleased',
  'PaymentBatchVoided',
  'PaymentBatchDownloaded',
  // The bank's confirmation: each import that applies its lines (the file's SHA-256), and a second
  // finance user's confirmation of the rejections an import reported.
  'BankConfirmationImported',
  'BankReturnsConfirmed',
  // The SIU's training export (claim numbers with their fraud label) left the system; on the same
  // chain: data { rows, sha256 } (the CSV as handed out).
  'SiuLabelsExported',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type ActorKind = 'system' | 'customer' | 'staff';

export interface Actor {
  kind: ActorKind;
  /** Staff role that acted (adjuster, supervisor, …); customers and the system have none. */
  role?: string;
  /** Who exactly; kept for the audit trail, never shown to customers. */
  id?: string;
}

export const SYSTEM: Actor = { kind: 'system' };

export interface NewEvent {
  type: EventType;
  actor: Actor;
  data?: Record<string, unknown>;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

export interface ClaimEvent extends NewEvent {
  claimId: string;
  seq: number;
  at: string;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** Deterministic JSON: keys sorted at every level, so the hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function hashEvent(e: Omit<ClaimEvent, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(e)).digest('hex');
}

/** Seals new events onto the end of a chain whose last link is (`lastSeq`, `lastHash`). */
export function sealEvents(
  claimId: string,
  lastSeq: number,
  lastHash: string,
  events: readonly NewEvent[],
  at: Date,
): ClaimEvent[] {
  const sealed: ClaimEvent[] = [];
  let prevHash = lastHash;
  let seq = lastSeq;
  for (const e of events) {
    seq += 1;
    const body: Omit<ClaimEvent, 'hash'> = { ...e, claimId, seq, at: at.toISOString(), prevHash };
    const hash = hashEvent(body);
    sealed.push({ ...body, hash });
    prevHash = hash;
  }
  return sealed;
}

export type ChainVerdict = { ok: true; length: number } | { ok: false; brokenAt: number; reason: string };

/**
 * Walks the chain in order and reports the first broken link. With the chain's head (the sequence
 * and hash its owner item last recorded, read before the events), the newest events are checked to
 * be there too: removing the last entries leaves an unbroken but shorter chain, which only the head
 * tells apart (`TAIL_MISSING`, `HEAD_MISMATCH`). Events written after the head was read are fine.
 */
export function verifyChain(
  events: readonly ClaimEvent[],
  head?: { lastSeq: number; lastHash?: string },
): ChainVerdict {
  let prev = GENESIS_HASH;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.seq !== i + 1) return { ok: false, brokenAt: e.seq, reason: 'SEQUENCE_GAP' };
    if (e.prevHash !== prev) return { ok: false, brokenAt: e.seq, reason: 'PREVIOUS_HASH_MISMATCH' };
    const { hash, ...body } = e;
    if (hashEvent(body) !== hash) return { ok: false, brokenAt: e.seq, reason: 'CONTENT_ALTERED' };
    prev = hash;
  }
  // A chain with events whose owner records none: the head itself was removed.
  if (head && head.lastSeq === 0 && events.length > 0)
    return { ok: false, brokenAt: 1, reason: 'HEAD_MISSING' };
  if (head && head.lastSeq > 0) {
    if (events.length < head.lastSeq)
      return { ok: false, brokenAt: events.length + 1, reason: 'TAIL_MISSING' };
    if (head.lastHash !== undefined && events[head.lastSeq - 1]?.hash !== head.lastHash)
      return { ok: false, brokenAt: head.lastSeq, reason: 'HEAD_MISMATCH' };
  }
  return { ok: true, length: events.length };
}
