import { createHash } from 'node:crypto';
import { publishToDepartment } from '../adapters/department-topics.ts';
import { markNoticeSent, releaseNotice, takeNotice } from '../adapters/dynamo/notices-repo.ts';
import { eventsOfClaim, getClaim } from '../adapters/dynamo/claims-repo.ts';
import { getPolicy } from '../adapters/dynamo/policies-repo.ts';
import { customerProfile, getUser, listStaff, type UserProfile } from '../adapters/dynamo/users-repo.ts';
import { countMetrics } from '../adapters/metrics.ts';
import { sendEmail, sendSms } from '../adapters/notifier.ts';
import { optionalEnv } from '../adapters/env.ts';
import type {
  Claim,
  ClaimDeadline,
  Department,
  InfoRequest,
  Inspection,
  RejectionReason,
} from '../core/claim.ts';
import { appealWindowEnd } from '../core/appeal.ts';
import { TransientDependencyError } from '../core/errors.ts';
import type { ClaimEvent, EventType } from '../core/events.ts';
import { format, formatCode, group, type MessageGroup } from '../core/i18n.ts';
import { formatLegalReference } from '../core/legal.ts';
import { coveringEvent, foldedInto, mayFold, NOTICE_WINDOW_MS } from '../core/notice-digest.ts';

/** One way to write dates everywhere (core/format.ts); re-exported for the tests that pin it. */
export { formatDate, formatDateTime };
import { CAUSE_TEXT, DOCUMENT_TEXT, type Locale, STATUS_TEXT, t } from '../core/messages.ts';
import { formatMoney, type Money } from '../core/money.ts';
import type { DocumentType } from '../core/products.ts';
import { customerRecipients, notificationContact, outstandingDocuments } from '../core/controls.ts';
import { escalationAudience } from '../core/deadlines.ts';
import { missingDocuments } from '../core/dossier.ts';
import { hasSms, type TemplateName } from '../core/templates.ts';
import { formatDate, formatDateTime, formatDue, formatLetterDate, greeting } from '../core/format.ts';
import { logger } from '../runtime/logger.ts';
import { currentNoticeLease } from '../runtime/notice-lease.ts';
import { isTransient } from '../runtime/transient-errors.ts';
import { NOTIFICATION_FAILED_METRIC } from '../core/claim-metrics.ts';
import { DEPARTMENT_ROLE } from '../core/claim.ts';
import { ACCOUNT_CHANGE_COOLING_MS } from '../core/finance.ts';
import { loadCalendar, loadProduct } from './products.ts';
import { renderTemplate } from './templates.ts';

/**
 * Notifications derived from claim events: the state changes that matter to someone.
 * Customers hear by email (SES) and SMS (SNS) in the claim's language, at the contact they gave and the
 * contacts registered on their policy file;
 * staff by email in their own language, departments on their SNS topic.
 *
 * | Event                                   | Who                                         | Template(s) |
 * |-----------------------------------------|---------------------------------------------|-------------|
 * | InfoRequested                           | customer                                    | info_requested |
 * | InspectionScheduled                     | customer                                    | inspection_scheduled |
 * | ClaimApproved / ClaimPartiallyApproved  | customer                                    | claim_approved |
 * | ClaimRejected                           | customer (the rejection letter)             | claim_rejected |
 * | PaymentQueued                           | customer                                    | payment_queued |
 * | ClaimPaid                               | customer (the bank confirmed the transfer)  | claim_paid |
 * | PaymentFailed                           | `finance` topic + active finance staff      | payment_failed |
 * | ClaimClosed                             | customer (no-response notice)               | claim_closed |
 * | DossierCompleted                        | customer (Art. 31 clock starts)             | dossier_completed |
 * | ClaimAssigned / ClaimReassigned         | the assignee                                | claim_assigned |
 * | InfoProvided                            | the assignee                                | info_provided |
 * | ApprovalRequested (route supervisor)    | every active supervisor                     | approval_requested |
 * | ApprovalRequested (route joint)         | each department's topic + its staff         | approval_requested |
 * | ClaimSentBack / ApprovalSentBack        | the assignee (else whoever asked approval)  | claim_sent_back |
 * | ClaimAppealed                           | customer (letter) + the assignee (else supervisors) | claim_appealed, appeal_filed |
 * | MessagePosted (by the customer)         | the assignee (else supervisors)             | claim_message_staff |
 * | MessagePosted (by staff)                | customer                                    | claim_message |
 * | PayoutAccountChanged                    | customer, every registered contact (+ SMS)  | payout_account_changed |
 * | PayoutAccountConfirmed                  | customer, every registered contact (+ SMS)  | payout_account_confirmed |
 * | deadline at risk (fired)                | the assignee (supervisors if none / waited for) | deadline_escalation |
 * | deadline breached (fired)               | assignee + every active supervisor + `claims` topic | deadline_escalation |
 * | reminders (fired)                       | customer (+ assignee for inspections)       | documents_reminder, closure_warning, inspection_reminder(_staff) |
 *
 * A PaymentQueued of nothing (`paidByAdvances`: the advances paid the decision) sends no payment
 * notice; the approval it carries, if any, goes out as its own letter.
 *
 * Events that happen together are one message (core/notice-digest.ts): an approval followed by
 * its payment within seconds is told once, by the payment notice, which then carries the approval;
 * a completed file settled straight through at once is told in that same notice (its own notice is
 * held by a schedule for its window and fires only when nothing covered it).
 *
 * Delivery is per recipient: a failure is logged and the others still go out. When any recipient's
 * failure is worth retrying (throttling, a timeout, a 5xx: runtime/transient-errors.ts), or another
 * attempt holds a recipient's notice without having said how it went, the caller gets a
 * TransientDependencyError and the stream record or the schedule is retried; the retry sends only
 * what has not gone out (`sendOnce`). A permanent failure (a rejected address) is logged and counted
 * (the NotificationFailed metric, alarmed: docs/operations-runbook.md), never retried forever.
 */
export const NOTIFIED_EVENTS: Readonly<Partial<Record<EventType, TemplateName>>> = {
  InfoRequested: 'info_requested',
  InspectionScheduled: 'inspection_scheduled',
  ClaimApproved: 'claim_approved',
  ClaimPartiallyApproved: 'claim_approved',
  ClaimRejected: 'claim_rejected',
  PaymentQueued: 'payment_queued',
  ClaimPaid: 'claim_paid',
  PaymentFailed: 'payment_failed',
  ClaimClosed: 'claim_closed',
  DossierCompleted: 'dossier_completed',
  ClaimAssigned: 'claim_assigned',
  ClaimReassigned: 'claim_assigned',
  InfoProvided: 'info_provided',
  ApprovalRequested: 'approval_requested',
  ClaimSentBack: 'claim_sent_back',
  ApprovalSentBack: 'claim_sent_back',
  ClaimAppealed: 'claim_appealed',
  MessagePosted: 'claim_message',
  PayoutAccountChanged: 'payout_account_changed',
  PayoutAccountConfirmed: 'payout_account_confirmed',
};

const DEPARTMENT_TEXT = group('email.department');

export const DEADLINE_TEXT = group('email.deadline');

const INSPECTION_STATUS_TEXT = group<Inspection['status']>('email.inspectionStatus');

const OUTCOME_TEXT = group<'approve' | 'partial'>('email.outcome');

/**
 * The last day the customer may appeal the rejection decided at `rejectedAt`: the very window the
 * appeal route enforces (core/appeal.ts `appealWindowEnd`, the product's `appeal_window` rule with
 * the holiday calendar in force).
 */
async function appealLastDay(c: Claim, rejectedAt: string): Promise<Date> {
  // The day fixed with the rejection, which the appeal route enforces too.
  if (c.decision?.outcome === 'reject' && c.decision.appealBy) return new Date(c.decision.appealBy);
  const [product, calendar] = await Promise.all([
    c.productCode === 'UNKNOWN' ? undefined : loadProduct(c.productCode),
    loadCalendar(),
  ]);
  return appealWindowEnd(rejectedAt, product, calendar);
}

const docNames = (docs: readonly DocumentType[], locale: Locale) =>
  docs.map((d) => ({ name: t(DOCUMENT_TEXT, d, locale) }));
const claimUrl = (c: Claim) => `${optionalEnv('WEB_BASE_URL', '').replace(/\/$/, '')}/#/claims/${c.claimId}`;
const text2 = (table: MessageGroup, key: string, locale: Locale) => formatCode(table, key, locale);

// ---- delivery ---------------------------------------------------------------------------------

export interface SendOutcome {
  sent: number;
  failed: number;
  channels: ('email' | 'sms' | 'topic')[];
}

interface Delivery {
  channel: 'email' | 'sms' | 'topic';
  /** Address, phone number or department: what makes two deliveries of one occasion the same. */
  to: string;
  send: () => Promise<unknown>;
}

/**
 * A sender that took a notice and crashed before saying how it went: after this, it is sent again.
 * A send is over in ~8 s at most (aws-clients.ts cuts each SES/SNS attempt at 2.5 s, three
 * attempts) and a notice marked by its claim change is marked within seconds after, so a minute is
 * far past any live sender; and short enough that the retries of the stream record or the schedule
 * that found it in flight reach it stale, rather than running out first.
 */
const NOTICE_STALE_MS = 60_000;

/**
 * What {@link sendOnce} did: sent the notice now, found it sent before, or found it taken by another
 * attempt less than {@link NOTICE_STALE_MS} ago that has not said how it went (`in_flight`: it may be
 * sending it now, or it crashed before the service answered, and then nobody has sent it).
 */
export type NoticeOutcome = 'sent' | 'sent_before' | 'in_flight';

/**
 * Sends once per claim and `key` (the occasion, channel and recipient): a redelivered stream
 * record, a retried step or a schedule fired twice finds the notice taken and sends nothing.
 * A failed send gives the notice back.
 * `markedBy: 'change'`: the caller writes the claim change this notice belongs to right after, and
 * marks the notice sent in it (`Change.noticesSent`), one request fewer; until then the notice
 * is `in_flight` to a retry within {@link NOTICE_STALE_MS}.
 */
export async function sendOnce(
  claimId: string,
  key: string,
  send: () => Promise<unknown>,
  { markedBy = 'self' }: { markedBy?: 'self' | 'change' } = {},
): Promise<NoticeOutcome> {
  const taken = await takeNotice(claimId, key, new Date(), NOTICE_STALE_MS, currentNoticeLease());
  if (taken === 'sent') return 'sent_before';
  if (taken === 'sending') return 'in_flight';
  try {
    await send();
  } catch (e) {
    await releaseNotice(claimId, key).catch(() => undefined);
    throw e;
  }
  if (markedBy === 'change') return 'sent';
  // Sent: marked, with one more try, since a notice left `sending` holds its retries back until
  // it goes stale and is then sent a second time.
  await markNoticeSent(claimId, key)
    .catch(() => markNoticeSent(claimId, key))
    .catch((e: unknown) => logger.warn('notice sent but not marked', { claimId, error: e as Error }));
  return 'sent';
}

/** Recipients are personal data: the notice key carries a digest of the address, not the address. */
const noticeKey = (occasion: string, d: Delivery) =>
  `${occasion}#${d.channel}#${createHash('sha256').update(d.to).digest('hex').slice(0, 20)}`;

/**
 * Sends each delivery (once per `occasion`: an event, a deadline phase, a reminder), counting one
 * sent before as sent. Throws TransientDependencyError when a recipient is still owed the notice
 * and a retry may reach them: their failure is transient, or another attempt holds their notice
 * (it sent it, or it crashed before the service answered: the retry finds out once the notice is
 * marked sent or goes stale). The retry sends to those recipients only. Permanent failures are
 * counted (NotificationFailed) once the outcome is final, so a retried occasion counts them once.
 */
async function deliver(
  what: string,
  claimId: string,
  deliveries: readonly Delivery[],
  occasion: string,
): Promise<SendOutcome> {
  const results = await Promise.allSettled(
    deliveries.map((d) => sendOnce(claimId, noticeKey(occasion, d), d.send)),
  );
  const outcome: SendOutcome = { sent: 0, failed: 0, channels: [] };
  let retryable = 0;
  let inFlight = 0;
  results.forEach((r, i) => {
    const channel = deliveries[i]!.channel;
    // Recipients are personal data: the logs name the channel, not the address.
    if (r.status === 'fulfilled' && r.value === 'in_flight') {
      inFlight += 1;
      logger.warn('notification held by another attempt', { notification: what, claimId, channel });
    } else if (r.status === 'fulfilled') {
      outcome.sent += 1;
      if (!outcome.channels.includes(channel)) outcome.channels.push(channel);
    } else {
      outcome.failed += 1;
      if (isTransient(r.reason)) retryable += 1;
      // The service's own words stay out: SES names the recipient in some of them ("Email address
      // is not verified. … failed the check …: an@example.vn"); the name, status and code say why.
      const e = r.reason as { name?: unknown; code?: unknown; $metadata?: { httpStatusCode?: unknown } };
      logger.error('notification not sent', {
        notification: what,
        claimId,
        channel,
        error: { name: e?.name, httpStatusCode: e?.$metadata?.httpStatusCode, code: e?.code },
      });
    }
  });
  if (retryable > 0 || inFlight > 0) {
    throw new TransientDependencyError(
      `${what}: ${retryable} recipient(s) failed for now, ${inFlight} held by another attempt; ` +
        `${outcome.sent} sent`,
    );
  }
  // Final: these recipients will not hear of it unless someone acts (the alarm and the runbook).
  if (outcome.failed > 0) countMetrics(Array(outcome.failed).fill(NOTIFICATION_FAILED_METRIC));
  return outcome;
}

const email = (
  to: string,
  template: TemplateName,
  locale: Locale,
  data: Record<string, unknown>,
): Delivery => ({
  channel: 'email',
  to,
  send: async () => sendEmail(to, await renderTemplate(template, locale, data)),
});

function sms(
  phone: string,
  template: TemplateName,
  locale: Locale,
  data: Record<string, unknown>,
): Delivery[] {
  // Whether a template has an SMS is fixed by the shipped one (an edited one keeps its parts).
  if (!hasSms(template)) return [];
  const send = async () => {
    const text = (await renderTemplate(template, locale, data)).sms;
    return text ? sendSms(phone, text) : undefined;
  };
  return [{ channel: 'sms', to: phone, send }];
}

/** Department topics get both languages: one message for a whole team. */
function topic(
  department: string,
  template: TemplateName,
  data: (locale: Locale) => Record<string, unknown>,
): Delivery {
  return {
    channel: 'topic',
    to: department,
    send: async () => {
      const [vi, en] = await Promise.all([
        renderTemplate(template, 'vi', data('vi')),
        renderTemplate(template, 'en', data('en')),
      ]);
      return publishToDepartment(department, vi.subject, `${vi.text}\n\n--- English ---\n\n${en.text}`);
    },
  };
}

/**
 * Email and SMS to the customer in the claim's language: at the contact registered on their record,
 * or at the one given on the claim once it matches the record or the customer confirmed it (a
 * contact typed in by staff never receives the customer's mail unconfirmed); and at the contacts the
 * policy administration system registered on the policy file. The policy in force now is read, not
 * the version the claim was checked against: an endorsement that changes the contacts redirects the
 * mail from then on.
 */
async function toCustomer(
  c: Claim,
  template: TemplateName,
  data: Record<string, unknown>,
): Promise<Delivery[]> {
  const [policy, customer] = await Promise.all([getPolicy(c.policyNumber), customerProfile(c.customerId)]);
  const full = {
    claimNumber: c.claimNumber,
    policyNumber: c.policyNumber,
    claimUrl: claimUrl(c),
    // By name where the customer is known, else "Quý khách" (core/format.ts).
    greeting: greeting(customer?.displayName ?? policy?.holderName, c.locale),
    ...data,
  };
  const to = customerRecipients(notificationContact(c), policy?.contacts ?? []);
  return [
    ...to.emails.map((address) => email(address, template, c.locale, full)),
    ...to.phones.flatMap((phone) => sms(phone, template, c.locale, full)),
  ];
}

/** Email to each member of staff in their own language; `data` gets the locale. */
function toStaff(
  people: readonly UserProfile[],
  template: TemplateName,
  data: (locale: Locale) => Record<string, unknown>,
): Delivery[] {
  return people
    .filter((p) => p.email)
    .map((p) =>
      email(p.email, template, p.locale, { greeting: greeting(p.displayName, p.locale), ...data(p.locale) }),
    );
}

const activeWithRole = async (role: string) =>
  (await listStaff()).filter(
    (u) => u.roles.includes(role as UserProfile['roles'][number]) && u.staff?.active !== false,
  );

// ---- what the claim record says -----------------------------------------------------------------

const dataOf = (e: ClaimEvent) => (e.data ?? {}) as Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const money = (v: unknown): Money | undefined => {
  const m = v as Money | undefined;
  return m && typeof m.amount === 'number' ? { amount: m.amount, currency: m.currency ?? 'VND' } : undefined;
};

function infoRequestOf(c: Claim, requestId?: string): InfoRequest | undefined {
  return (requestId && c.infoRequests?.find((r) => r.requestId === requestId)) || c.infoRequests?.at(-1);
}

/** The open deadline of `kind` with the latest clock (e.g. the closure of the latest request). */
function openDeadline(c: Claim, kind: string): ClaimDeadline | undefined {
  return (c.deadlines ?? [])
    .filter((d) => d.kind === kind && (d.status === 'open' || d.status === 'at_risk'))
    .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))
    .at(-1);
}

const paymentDueOf = (c: Claim) => c.payment?.dueAt ?? openDeadline(c, 'payment')?.dueAt;

function infoData(
  c: Claim,
  request: { message?: string; documents?: readonly DocumentType[]; dueAt?: string } | undefined,
) {
  const docs = request?.documents ?? [];
  const close = openDeadline(c, 'no_response_close');
  return (locale: Locale) => ({
    message: request?.message ?? '',
    documents: docNames(docs, locale),
    hasDocuments: docs.length > 0,
    dueAt: request?.dueAt ? formatDue(request.dueAt, locale) : close ? formatDue(close.dueAt, locale) : '',
    dueDate: request?.dueAt
      ? formatDate(request.dueAt, locale)
      : close
        ? formatDate(close.dueAt, locale)
        : '',
    closeAt: close ? formatDue(close.dueAt, locale) : undefined,
    closeDate: close ? formatDate(close.dueAt, locale) : undefined,
  });
}

function reasonsOf(e: ClaimEvent, c: Claim): RejectionReason[] {
  const fromEvent = dataOf(e).reasons;
  const reasons = Array.isArray(fromEvent) ? (fromEvent as RejectionReason[]) : (c.decision?.reasons ?? []);
  return reasons.filter((r) => r && typeof r.text === 'string');
}

async function productName(c: Claim, locale: Locale): Promise<string> {
  const p = c.productCode === 'UNKNOWN' ? undefined : await loadProduct(c.productCode);
  return p ? p.name[locale] : c.productCode;
}

// ---- events -------------------------------------------------------------------------------------

/**
 * Sends what `event` calls for (see the table above). `claim` is the claim as it is now, read after
 * the event: where the event's data is thin, the claim record fills in (decision reasons, the latest
 * information request or approval round). Events that notify nobody return `undefined`.
 */
export async function notifyForEvent(
  claim: Claim,
  event: ClaimEvent,
  options: {
    /** Set when a held notice's schedule fired (its window has passed: nothing to wait for). */
    held?: { events: readonly ClaimEvent[] };
    /** Profiles the caller already read with the claim (the member of staff an assignment names). */
    people?: ReadonlyMap<string, UserProfile>;
  } = {},
): Promise<SendOutcome | undefined> {
  const { held, people } = options;
  let events: readonly ClaimEvent[] = held?.events ?? [];
  if (mayFold(event.type)) {
    // Events that happen together are one message (core/notice-digest.ts): wait out the window
    // (real time: it is about steps following each other, not the business clock), then leave this
    // notice to a later one that covers it. Deterministic, so a redelivered event skips it again.
    if (!held) {
      const left = Date.parse(event.at) + (NOTICE_WINDOW_MS[event.type] ?? 0) - Date.now();
      if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
      events = await eventsOfClaim(claim.claimId);
    }
    const later = coveringEvent(event, events);
    if (later) {
      logger.info('notice folded into a later one', {
        claimId: claim.claimId,
        event: event.type,
        into: later.type,
      });
      return undefined;
    }
  }
  // A notice that may carry earlier ones (core/notice-digest.ts) reads what came before it.
  if (COVERS.has(event.type) && events.length === 0) events = await eventsOfClaim(claim.claimId);
  const deliveries = await deliveriesFor(claim, event, events, people);
  if (!deliveries || deliveries.length === 0) return undefined;
  return deliver(event.type, claim.claimId, deliveries, `event#${event.seq}`);
}

/** Events whose notice may carry an earlier one's. */
const COVERS: ReadonlySet<EventType> = new Set<EventType>(['ClaimApproved', 'PaymentQueued']);

/**
 * A held notice's schedule fired (app/claim-events.ts holds it, core/notice-digest.ts says which):
 * it is sent now, unless an event in its window covered it. Idempotent like every notice (one
 * delivery per event and recipient), so a schedule fired twice, or a redelivered event whose window
 * had passed, sends it once.
 */
export async function sendHeldNotice(
  claimId: string,
  seq: number,
  now = Date.now(),
): Promise<
  { outcome: 'sent' | 'folded' | 'ignored'; notified?: number } | { outcome: 'early'; leftMs: number }
> {
  const claim = await getClaim(claimId);
  if (!claim) return { outcome: 'ignored' };
  const events = await eventsOfClaim(claimId);
  const event = events.find((e) => e.seq === seq);
  if (!event || !NOTIFIED_EVENTS[event.type]) return { outcome: 'ignored' };
  const covered = coveringEvent(event, events);
  const leftMs = Date.parse(event.at) + (NOTICE_WINDOW_MS[event.type] ?? 0) - now;
  if (leftMs > 0 && !covered) return { outcome: 'early', leftMs };
  if (covered) {
    logger.info('held notice folded into a later one', { claimId, event: event.type });
    return { outcome: 'folded' };
  }
  const sent = await notifyForEvent(claim, event, { held: { events } });
  return { outcome: 'sent', notified: sent?.sent ?? 0 };
}

/** When the file completed, for a notice that carries the completed-file notice (folded into it). */
function completedFileOf(e: ClaimEvent, events: readonly ClaimEvent[], L: Locale) {
  const done = foldedInto(e, events).find((x) => x.type === 'DossierCompleted');
  if (!done) return {};
  return { dossierCompletedAt: formatDateTime(str(dataOf(done).completedAt) ?? done.at, L) };
}

async function deliveriesFor(
  c: Claim,
  e: ClaimEvent,
  /** The claim's events, where the notice may carry earlier ones (core/notice-digest.ts). */
  events: readonly ClaimEvent[],
  people?: ReadonlyMap<string, UserProfile>,
  /** The event whose notice this one is sent as (a letter carried by a later event's notice). */
  carrier: ClaimEvent = e,
): Promise<Delivery[] | undefined> {
  const d = dataOf(e);
  const L = c.locale;
  switch (e.type) {
    case 'InfoRequested': {
      const stored = infoRequestOf(c, str(d.requestId));
      const request = {
        message: str(d.message) ?? stored?.message,
        documents: (Array.isArray(d.documents) ? d.documents : stored?.documents) as
          | DocumentType[]
          | undefined,
        dueAt: str(d.dueAt) ?? stored?.dueAt,
      };
      return toCustomer(c, 'info_requested', infoData(c, request)(L));
    }
    case 'InspectionScheduled': {
      const stored = c.inspections?.find((i) => i.inspectionId === d.inspectionId) ?? c.inspections?.at(-1);
      const at = str(d.at) ?? stored?.at;
      if (!at) return undefined;
      return toCustomer(c, 'inspection_scheduled', {
        when: formatDateTime(at, L),
        place: str(d.place) ?? stored?.place ?? '',
        note: str(d.note) ?? stored?.note,
      });
    }
    case 'ClaimApproved':
    case 'ClaimPartiallyApproved': {
      const amount = money(d.amount) ?? c.decision?.amount;
      if (!amount) return undefined;
      const reasons = reasonsOf(e, c);
      const due = paymentDueOf(c);
      return toCustomer(c, 'claim_approved', {
        ...completedFileOf(carrier, events, L),
        partial: e.type === 'ClaimPartiallyApproved',
        amount: formatMoney(amount, L),
        reasons,
        hasReasons: reasons.length > 0,
        account: c.report.payoutAccount.accountMask,
        bankName: c.report.payoutAccount.bankName,
        paymentDue: due ? formatDate(due, L) : undefined,
      });
    }
    case 'ClaimRejected': {
      const reasons = reasonsOf(e, c).map((r, i) => ({ ...r, index: i + 1 }));
      // A first rejection can be appealed until the window closes; one upholding an appeal cannot
      // (one appeal per claim, core/appeal.ts), so its letter names no such day.
      const rejectedAt = c.decision?.outcome === 'reject' ? c.decision.decidedAt : e.at;
      const appealBy = c.appeal
        ? undefined
        : formatLetterDate((await appealLastDay(c, rejectedAt)).toISOString(), L);
      return toCustomer(c, 'claim_rejected', {
        productName: await productName(c, L),
        date: formatDate(e.at, L),
        reasons,
        ...(appealBy ? { appealBy } : {}),
      });
    }
    case 'PaymentQueued': {
      const amount = money(d.amount) ?? c.payment?.amount;
      if (!amount) return undefined;
      if (d.paidByAdvances === true || amount.amount === 0) {
        // The advances paid the decision: nothing is transferred, so no "payment on its way" notice
        // (it would announce ₫0 to an account). What the customer waits to hear is the decision:
        // an approval this event covers (core/notice-digest.ts) is told by its own letter, which
        // would otherwise be lost in the fold; one told on its own already was.
        const approval = foldedInto(e, events).find((x) => x.type === 'ClaimApproved');
        return approval ? deliveriesFor(c, approval, events, people, e) : undefined;
      }
      const interest = money(d.lateInterest);
      // An approval just before is told here, with its due date, instead of in a message of its own.
      const approved = foldedInto(e, events).some((x) => x.type === 'ClaimApproved');
      const due = paymentDueOf(c);
      return toCustomer(c, 'payment_queued', {
        ...completedFileOf(e, events, L),
        approved,
        paymentDue: approved && due ? formatDate(due, L) : undefined,
        amount: formatMoney(amount, L),
        hasInterest: Boolean(interest && interest.amount > 0),
        interest: interest ? formatMoney(interest, L) : undefined,
        account: c.report.payoutAccount.accountMask,
        bankName: c.report.payoutAccount.bankName,
      });
    }
    case 'PayoutAccountChanged': {
      // Told to every registered contact (e-mail and SMS): whoever took over one of them to confirm
      // the change cannot keep the others from hearing of it before the cooling-off ends.
      const from = (d.from ?? {}) as { bankName?: string; accountMask?: string };
      const to = (d.to ?? {}) as { bankName?: string; accountMask?: string };
      const changedAt = str(d.confirmedAt) ?? e.at;
      return toCustomer(c, 'payout_account_changed', {
        changedAt: formatDateTime(changedAt, L),
        oldAccount: from.accountMask ?? '',
        oldBankName: from.bankName ?? '',
        account: to.accountMask ?? c.report.payoutAccount.accountMask,
        bankName: to.bankName ?? c.report.payoutAccount.bankName,
        payableFrom: formatDateTime(
          new Date(Date.parse(changedAt) + ACCOUNT_CHANGE_COOLING_MS).toISOString(),
          L,
        ),
      });
    }
    case 'PayoutAccountConfirmed': {
      // The account staff typed in was confirmed: told to every registered contact (e-mail and SMS),
      // like a change of account, so a supervisor who "verified" it by phone with nobody, or with
      // the filer's accomplice, cannot release the money without the customer hearing of it at
      // once. Whether the payment may now go ahead is said only when nothing else holds it (the
      // SIU's hold is never named to the customer); the supervisor's note of the call is for staff.
      // After a phone verification nothing is paid for a day (core/finance.ts, payoutNotBefore):
      // the notice says until when, so she knows how long she has to object.
      const byPhone = d.by === 'phone';
      return toCustomer(c, 'payout_account_confirmed', {
        confirmedAt: formatDateTime(e.at, L),
        account: str(d.accountMask) ?? c.report.payoutAccount.accountMask,
        bankName: str(d.bankName) ?? c.report.payoutAccount.bankName,
        byPhone,
        paymentReleased: d.paymentReleased === true,
        payableFrom: byPhone
          ? formatDateTime(new Date(Date.parse(e.at) + ACCOUNT_CHANGE_COOLING_MS).toISOString(), L)
          : undefined,
      });
    }
    case 'ClaimPaid': {
      const amount = money(d.amount) ?? c.payment?.amount;
      // Paid by its advances, nothing transferred now: the approval letter said what was decided.
      if (!amount || amount.amount === 0) return undefined;
      return toCustomer(c, 'claim_paid', {
        amount: formatMoney(amount, L),
        paidOn: formatDate(str(d.paidAt) ?? e.at, L),
        account: c.report.payoutAccount.accountMask,
        bankName: c.report.payoutAccount.bankName,
      });
    }
    case 'PaymentFailed': {
      const amount = money(d.amount);
      const data = (locale: Locale) => ({
        claimNumber: c.claimNumber,
        batchId: str(d.batchId) ?? '',
        amount: amount ? formatMoney(amount, locale) : '',
        reason: [str(d.reason), str(d.bankReason)].filter(Boolean).join(' — '),
      });
      return [
        topic('finance', 'payment_failed', (locale) => ({
          ...data(locale),
          greeting: greetingTeam('finance', locale),
        })),
        ...toStaff(await activeWithRole('finance'), 'payment_failed', data),
      ];
    }
    case 'ClaimClosed': {
      const noResponse = d.reason === 'no_response' || c.status === 'CLOSED_NO_RESPONSE';
      const request = infoRequestOf(c, str(d.requestId));
      return toCustomer(c, 'claim_closed', {
        noResponse,
        requestedAt: request ? formatDate(request.requestedAt, L) : '',
        reason: noResponse ? undefined : str(d.reason),
      });
    }
    case 'DossierCompleted': {
      const completedAt = str(d.completedAt) ?? e.at;
      const due = paymentDueOf(c);
      return toCustomer(c, 'dossier_completed', {
        completedAt: formatDateTime(completedAt, L),
        paymentDue: due ? formatDate(due, L) : undefined,
      });
    }
    case 'ClaimAssigned':
    case 'ClaimReassigned': {
      const to = d.to as { staffId?: string } | undefined;
      const staffId = to?.staffId ?? (e.type === 'ClaimAssigned' ? c.assignee?.staffId : undefined);
      if (!staffId) return undefined; // assigned to a team queue: the queue is the notification
      const person = people?.get(staffId) ?? (await getUser(staffId));
      if (!person) return undefined;
      const products = { vi: await productName(c, 'vi'), en: await productName(c, 'en') };
      return toStaff([person], 'claim_assigned', (locale) => ({
        claimNumber: c.claimNumber,
        reassigned: e.type === 'ClaimReassigned',
        productName: products[locale],
        cause: t(CAUSE_TEXT, c.report.cause, locale),
        province: c.report.lossPlace.province,
        estimated: formatMoney(c.report.estimatedAmount, locale),
        status: t(STATUS_TEXT, c.status, locale),
        reason: str(d.reasonText) ?? str(d.reason),
        nextDue: c.nextDeadline ? formatDue(c.nextDeadline.dueAt, locale) : undefined,
        nextKind: c.nextDeadline ? text2(DEADLINE_TEXT, c.nextDeadline.kind, locale) : undefined,
      }));
    }
    case 'InfoProvided': {
      if (!c.assignee) return undefined;
      const person = await getUser(c.assignee.staffId);
      if (!person) return undefined;
      const response =
        str(d.message) ?? str(d.response) ?? infoRequestOf(c, str(d.requestId))?.response ?? '';
      return toStaff([person], 'info_provided', () => ({ claimNumber: c.claimNumber, response }));
    }
    case 'ClaimAppealed': {
      const reason = str(d.reason) ?? c.appeal?.reason ?? '';
      const decideBy = str(d.decideBy) ?? c.appeal?.decideBy;
      const staff = await handlerOrSupervisors(c);
      return [
        ...(await toCustomer(c, 'claim_appealed', {
          reason,
          filedOn: formatDate(str(d.filedAt) ?? e.at, L),
          rejectedOn: c.appeal ? formatDate(c.appeal.rejection.decidedAt, L) : '',
          decideBy: decideBy ? formatDate(decideBy, L) : '',
        })),
        ...toStaff(staff, 'appeal_filed', (locale) => ({
          claimNumber: c.claimNumber,
          reason,
          decideBy: decideBy ? formatDue(decideBy, locale) : '',
        })),
      ];
    }
    case 'MessagePosted': {
      const text = str(d.text) ?? '';
      if (e.actor.kind !== 'customer') return toCustomer(c, 'claim_message', { text });
      return toStaff(await handlerOrSupervisors(c), 'claim_message_staff', () => ({
        claimNumber: c.claimNumber,
        text,
      }));
    }
    case 'ApprovalRequested':
      return approvalDeliveries(c, d);
    case 'ClaimSentBack':
    case 'ApprovalSentBack': {
      const round = c.approvals?.find((r) => r.round === d.round) ?? c.approvals?.at(-1);
      const staffId = c.assignee?.staffId ?? round?.requestedBy.id;
      if (!staffId) return undefined;
      const person = await getUser(staffId);
      if (!person) return undefined;
      const department = str(d.department);
      const missing = outstandingDocuments(c);
      return toStaff([person], 'claim_sent_back', (locale) => ({
        claimNumber: c.claimNumber,
        from: department
          ? text2(DEPARTMENT_TEXT, department, locale)
          : locale === 'vi'
            ? 'cấp phê duyệt'
            : 'the approver',
        amount: round ? formatMoney(round.amount, locale) : '',
        comment: str(d.comment) ?? '',
        missing: docNames(missing, locale),
        hasMissing: missing.length > 0,
      }));
    }
    default:
      return undefined;
  }
}

async function approvalDeliveries(c: Claim, d: Record<string, unknown>): Promise<Delivery[]> {
  const round = c.approvals?.at(-1);
  const route = (str(d.route) ?? round?.route) === 'joint' ? 'joint' : 'supervisor';
  const amount = money(d.amount) ?? round?.amount;
  const outcome = (str(d.outcome) ?? round?.outcome) === 'partial' ? 'partial' : 'approve';
  const departments = (
    Array.isArray(d.departments) ? d.departments : (round?.departments ?? [])
  ) as Department[];
  const products = { vi: await productName(c, 'vi'), en: await productName(c, 'en') };
  const data = (locale: Locale) => ({
    claimNumber: c.claimNumber,
    productName: products[locale],
    joint: route === 'joint',
    amount: amount ? formatMoney(amount, locale) : '',
    outcome: t(OUTCOME_TEXT, outcome, locale),
    departments: departments.map((x) => text2(DEPARTMENT_TEXT, x, locale)).join(', '),
    quorum: d.quorum ?? round?.quorum ?? 1,
    round: d.round ?? round?.round ?? 1,
  });
  if (route === 'supervisor') return toStaff(await activeWithRole('supervisor'), 'approval_requested', data);
  const out: Delivery[] = [];
  for (const dep of departments) {
    out.push(
      topic(dep, 'approval_requested', (locale) => ({
        ...data(locale),
        greeting: greetingTeam(dep, locale),
      })),
    );
    out.push(...toStaff(await activeWithRole(DEPARTMENT_ROLE[dep] ?? dep), 'approval_requested', data));
  }
  return out;
}

/** The claim's handler when reachable; else every active supervisor (a claim in a queue, or a handler who left). */
async function handlerOrSupervisors(c: Claim): Promise<UserProfile[]> {
  const handler = c.assignee ? await getUser(c.assignee.staffId) : undefined;
  return handler?.email && handler.staff?.active !== false ? [handler] : activeWithRole('supervisor');
}

const greetingTeam = (department: string, locale: Locale) =>
  locale === 'vi'
    ? `Kính gửi ${text2(DEPARTMENT_TEXT, department, 'vi')},`
    : `To the ${text2(DEPARTMENT_TEXT, department, 'en')} team,`;

// ---- deadlines (called by the deadline engine when a schedule fires) -----------------------------

/**
 * Escalation of a deadline at risk or breached, up the ladder of {@link escalationAudience}: at
 * risk, the assigned adjuster (the supervisors only when the claim has no one else, or waits for
 * them); missed, the adjuster, every active supervisor and the claims department's topic. The
 * departments whose vote a joint decision waits for hear on their topics at both steps. One email
 * per person, even when the assignee is also a supervisor.
 */
export async function escalateDeadline(
  c: Claim,
  d: Pick<ClaimDeadline, 'kind' | 'dueAt' | 'basis'>,
  level: 'at_risk' | 'breached',
): Promise<SendOutcome> {
  const data = (locale: Locale) => ({
    claimNumber: c.claimNumber,
    breached: level === 'breached',
    kindName: text2(DEADLINE_TEXT, d.kind, locale),
    dueAt: formatDue(d.dueAt, locale),
    basis: formatLegalReference(d.basis, locale),
    status: t(STATUS_TEXT, c.status, locale),
    assignee:
      c.assignee?.name ?? c.assignee?.staffId ?? c.assignedQueue ?? format(locale, 'email.unassigned'),
  });
  const audience = escalationAudience(c, level);
  const people = new Map<string, UserProfile>();
  const assignee = audience.assignee ? await getUser(audience.assignee) : undefined;
  const reachable = Boolean(assignee?.email) && assignee?.staff?.active !== false;
  if (assignee && reachable) people.set(assignee.userId, assignee);
  // An assignee who left (or has no address) cannot be the first step: the supervisors are.
  if (audience.supervisors || !reachable)
    for (const s of await activeWithRole('supervisor')) people.set(s.userId, s);
  const topics = [...(audience.claimsTopic ? ['claims'] : []), ...audience.departments];
  const deliveries = [
    ...toStaff([...people.values()], 'deadline_escalation', data),
    ...[...new Set(topics)].map((dep) =>
      topic(dep, 'deadline_escalation', (locale) => ({
        ...data(locale),
        greeting: greetingTeam(dep, locale),
      })),
    ),
  ];
  return deliver(`deadline_${level}`, c.claimId, deliveries, `deadline#${d.kind}#${d.dueAt}#${level}`);
}

/**
 * A reminder to the customer: missing documents (after submission) or an unanswered information
 * request (`documents_reminder`), or the warning that the claim will be closed (`closure_warning`).
 */
export async function remindCustomer(
  c: Claim,
  d: Pick<ClaimDeadline, 'kind' | 'dueAt'> & { from?: string; id?: string },
  template: 'documents_reminder' | 'closure_warning',
): Promise<SendOutcome> {
  const open = c.infoRequests?.filter((r) => r.status === 'open').at(-1);
  if (template === 'closure_warning' && !open) return { sent: 0, failed: 0, channels: [] }; // answered meanwhile
  // A reminder of an information request that was answered with documents still missing reminds
  // of those documents: the reminder stays open until they are all in.
  const aboutInfo =
    Boolean(open) && (template === 'closure_warning' || d.from === 'info_requested' || !d.from);
  const missing = missingDocuments(c.requiredDocuments, c.receivedDocuments);
  if (!aboutInfo && missing.length === 0) return { sent: 0, failed: 0, channels: [] };
  const info = aboutInfo ? infoData(c, open)(c.locale) : {};
  const close = template === 'closure_warning' ? d.dueAt : undefined;
  return deliver(
    template,
    c.claimId,
    await toCustomer(c, template, {
      ...info,
      info: aboutInfo,
      documents: aboutInfo ? (info as { documents: unknown }).documents : docNames(missing, c.locale),
      requestedAt: open ? formatDate(open.requestedAt, c.locale) : '',
      ...(close ? { closeAt: formatDue(close, c.locale), closeDate: formatDate(close, c.locale) } : {}),
    }),
    // Per deadline: two reminders due at the same instant (the documents after submission and an
    // information request's) are two messages.
    `reminder#${template}#${d.id ?? d.kind}#${d.dueAt}`,
  );
}

/** The day-before reminder of an inspection: the customer (email + SMS) and the assignee (email). */
export async function remindInspection(
  c: Claim,
  d: { anchorAt?: string; dueAt: string; inspectionId?: string },
): Promise<SendOutcome> {
  // The appointment the reminder was planned for (by its id; older reminders by its time).
  const inspection = d.inspectionId
    ? c.inspections?.find((i) => i.inspectionId === d.inspectionId)
    : (c.inspections?.find(
        (i) =>
          d.anchorAt !== undefined && Date.parse(i.at) === Date.parse(d.anchorAt) && i.status !== 'cancelled',
      ) ?? c.inspections?.filter((i) => i.status === 'proposed' || i.status === 'confirmed').at(-1));
  // Nothing to remind of: cancelled, done, or the customer asked for another time (the adjuster's
  // new proposal brings its own reminder).
  if (!inspection || (inspection.status !== 'proposed' && inspection.status !== 'confirmed')) {
    return { sent: 0, failed: 0, channels: [] };
  }
  const assignee = c.assignee ? await getUser(c.assignee.staffId) : undefined;
  const deliveries = [
    ...(await toCustomer(c, 'inspection_reminder', {
      when: formatDateTime(inspection.at, c.locale),
      place: inspection.place,
    })),
    ...toStaff(assignee ? [assignee] : [], 'inspection_reminder_staff', (locale) => ({
      claimNumber: c.claimNumber,
      when: formatDateTime(inspection.at, locale),
      place: inspection.place,
      inspectionStatus: text2(INSPECTION_STATUS_TEXT, inspection.status, locale),
      customerPhone: c.report.contact.phone,
    })),
  ];
  return deliver(
    'inspection_reminder',
    c.claimId,
    deliveries,
    `inspection#${d.inspectionId ?? d.anchorAt ?? ''}#${d.dueAt}`,
  );
}

/** What a StaffChanged event records of an account (app/staff.ts `snapshot`), as far as this reads. */
interface StaffContact {
  email?: string;
  phone?: string;
  displayName?: string;
  username?: string;
}

/**
 * A staff account's e-mail or phone changed (an approved StaffChanged event on the admin chain):
 * its holder is told at the e-mail they had, where sign-in and reset codes no longer go, so a
 * takeover does not go unnoticed. Once per event (`ADMIN` is the administration chain's id).
 */
export async function notifyStaffContactChanged(e: ClaimEvent): Promise<SendOutcome | undefined> {
  const before = (e.before ?? {}) as StaffContact;
  const after = (e.after ?? {}) as StaffContact;
  const newEmail = after.email !== before.email ? after.email : undefined;
  const newPhone = (after.phone ?? '') !== (before.phone ?? '') ? after.phone || '—' : undefined;
  if (!before.email || (!newEmail && !newPhone)) return undefined;
  const userId = typeof e.data?.userId === 'string' ? e.data.userId : '';
  const locale = (userId && (await getUser(userId))?.locale) || 'vi';
  const data = {
    greeting: greeting(before.displayName, locale),
    username: after.username ?? before.username ?? '',
    changedAt: formatDateTime(e.at, locale),
    newEmail,
    newPhone,
  };
  return deliver(
    'staff_contact_changed',
    e.claimId,
    [email(before.email, 'staff_contact_changed', locale, data)],
    `StaffChanged#${e.seq}`,
  );
}
