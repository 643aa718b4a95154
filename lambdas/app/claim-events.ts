import { countMetrics } from '../adapters/metrics.ts';
import type { FraudRecord } from '../core/claim.ts';
import { metricsOfEvent, STREAM_RECORD_FAILED_METRIC } from '../core/claim-metrics.ts';
import type { ClaimEvent, EventType } from '../core/events.ts';
import type { Clock } from '../core/time.ts';
import type { StoredSignal } from '../core/workflow-signals.ts';
import { logger } from '../runtime/logger.ts';
import { QUIET_EVENT_TYPES } from '../shared/table-definition.ts';
import {
  cancelAllDeadlines,
  cancelDeadlinesExcept,
  escalateBreach,
  reinstatePaymentDeadline,
  scheduleDeadlines,
  scheduleInspectionReminder,
  settleDeadlines,
} from './deadlines.ts';
import { claimRead } from '../adapters/dynamo/claims-repo.ts';
import { readAll, readNothing } from '../adapters/dynamo/item-reads.ts';
import { userRead } from '../adapters/dynamo/users-repo.ts';
import { scoreClaim } from './fraud.ts';
import { heldBySchedule, mayFold } from '../core/notice-digest.ts';
import { holdNotice } from './held-notices.ts';
import { NOTIFIED_EVENTS, notifyForEvent } from './notifications.ts';
import { readWithConfig } from './products.ts';
import { deliverWorkflowSignal } from './workflow-signals.ts';

/**
 * What happens after a claim event is stored (the table's stream delivers every new event once or
 * more, in order per claim): deadlines are settled, started or cancelled, the fraud indicators are
 * scored again when the event brings a new fact, then the people concerned are told.
 *
 * The deadline steps are idempotent, so they run first; the notification runs last, so a retry
 * caused by a notification failure does not repeat anything but the notification.
 */

/**
 * Events this code writes itself: never reacted to, or every reaction would feed the next.
 * (Deadlines at risk are escalated where they are detected, in onDeadlineFired; a breach is
 * escalated from its `DeadlineBreached` event, which meets and plans nothing.) The
 * stream's event-source filter already drops them (QUIET_EVENT_TYPES); this guards a redelivery.
 */
export const OWN_EVENTS: ReadonlySet<EventType> = new Set<EventType>([
  ...QUIET_EVENT_TYPES,
  'DeadlineBreached',
]);

/** Events after which no deadline applies any more. */
const ENDS_DEADLINES: Partial<Record<EventType, string>> = {
  ClaimRejected: 'claim_rejected',
  ClaimClosed: 'claim_closed',
  ClaimPaid: 'claim_paid',
};

/**
 * Events that bring a new fact about the claim, so its fraud indicators are scored again: a
 * verified document (a shared file, a supplement), an answer to an information request, an
 * assessment, a payout account asked for or confirmed. The stream carries them once or more;
 * scoring writes nothing when nothing changed, so a redelivery is silent, and a rescore that
 * crosses the referral bar refers the claim (and holds its payment) like the first score.
 */
export const RESCORED_ON: Partial<Record<EventType, FraudRecord['trigger']>> = {
  DocumentVerified: 'documents',
  InfoProvided: 'information',
  AssessmentRecorded: 'assessment',
  PayoutAccountChangeRequested: 'payout_account',
  PayoutAccountChanged: 'payout_account',
};

/** Once payment is queued only the payment deadlines still apply; they are met when the bank pays. */
const PAYMENT_DEADLINES = ['payment', 'advance_payment'] as const;

const instant = (v: unknown, fallback: string) =>
  new Date(typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? v : fallback);

export async function reactToClaimEvent(
  event: ClaimEvent,
  clock: Clock,
  /**
   * Where a notice that may fold into a later one is put off to (core/notice-digest.ts): it waits
   * for what follows, so it must not hold up this claim's workflow signals, which bring it.
   */
  later?: (() => Promise<unknown>)[],
): Promise<void> {
  // The business metrics, in this one place every stored claim event passes (at least once: a
  // batch retried after a failure counts its events again, an accepted overcount).
  countMetrics(metricsOfEvent(event));
  // A breach is recorded before anyone is told: its escalation is owed here, retried with the event.
  if (event.type === 'DeadlineBreached') return escalateBreach(event);
  if (OWN_EVENTS.has(event.type)) return;
  const { claimId, seq } = event;
  const at = new Date(event.at);
  const data = event.data ?? {};

  // Every deadline step is told the event's `seq`: it plans deadlines marked with it, and settles or
  // cancels only those planned before it, so a replayed event changes nothing that followed it.
  await settleDeadlines(claimId, [event.type], clock, at, data, seq);
  switch (event.type) {
    case 'ClaimSubmitted':
      await scheduleDeadlines(claimId, 'submitted', at, clock, seq);
      break;
    case 'DossierCompleted':
      await scheduleDeadlines(claimId, 'dossier_complete', instant(data.completedAt, event.at), clock, seq);
      break;
    case 'InfoRequested':
      await scheduleDeadlines(claimId, 'info_requested', at, clock, seq);
      break;
    case 'ClaimAppealed':
      await scheduleDeadlines(claimId, 'appealed', instant(data.filedAt, event.at), clock, seq);
      break;
    case 'AppealDecided':
      // The rejection cancelled the payment deadline; reversing it on appeal owes the payment again.
      if (data.outcome === 'overturned') await reinstatePaymentDeadline(claimId, clock, seq);
      break;
    case 'InspectionScheduled':
      if (typeof data.at === 'string')
        await scheduleInspectionReminder(
          claimId,
          instant(data.at, event.at),
          clock,
          typeof data.inspectionId === 'string' ? data.inspectionId : undefined,
          seq,
        );
      break;
    case 'PaymentQueued':
      await cancelDeadlinesExcept(claimId, PAYMENT_DEADLINES, 'payment_queued', clock, seq);
      break;
    default: {
      const reason = ENDS_DEADLINES[event.type];
      if (reason) await cancelAllDeadlines(claimId, reason, clock, seq);
    }
  }

  const rescore = RESCORED_ON[event.type];
  if (rescore) await scoreClaim(claimId, clock, rescore);

  if (NOTIFIED_EVENTS[event.type] && heldBySchedule(event.type)) {
    await holdNotice(event, clock);
  } else if (NOTIFIED_EVENTS[event.type]) {
    const notify = async () => {
      // With the configuration (the templates) and the member of staff an assignment names in
      // the same read.
      const staffId = (data.to as { staffId?: unknown } | undefined)?.staffId;
      const { claim, person } = await readWithConfig(
        readAll({
          claim: claimRead(claimId),
          person: typeof staffId === 'string' && staffId ? userRead(staffId) : readNothing,
        }),
      );
      if (claim)
        await notifyForEvent(claim, event, person ? { people: new Map([[person.userId, person]]) } : {});
    };
    if (later && mayFold(event.type)) later.push(notify);
    else await notify();
  }
}

/** A table-stream record the processor acts on: a claim event, or a workflow signal to deliver. */
export type QueuedItem =
  | {
      /** The stream record's id to report back when it fails (its sequence number). */
      itemIdentifier: string;
      event: ClaimEvent;
    }
  | { itemIdentifier: string; signal: StoredSignal };

const claimOf = (i: QueuedItem) => ('event' in i ? i.event.claimId : i.signal.claimId);
/** The stored item a record carries (a batch that holds one twice reacts once). */
const itemKey = (i: QueuedItem) =>
  'event' in i ? `event#${i.event.seq}` : `signal#${i.signal.revision}#${i.signal.index}`;

/** A record with its place in the stream. */
interface Placed {
  item: QueuedItem;
  at: bigint;
}
const byPlace = (a: Placed, b: Placed) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0);
/** Events in chain order, signals in the order their writes happened. */
const byChain = ({ item: a }: Placed, { item: b }: Placed) =>
  'event' in a && 'event' in b
    ? a.event.seq - b.event.seq
    : 'signal' in a && 'signal' in b
      ? a.signal.revision - b.signal.revision || a.signal.index - b.signal.index
      : 0;

/** A stream sequence number: digits only (the API allows up to 40). */
const SEQUENCE_NUMBER = /^\d{1,40}$/;

/**
 * The batch's records in stream order. Sequence numbers are decimal strings of varying length, so
 * they are compared as numbers (as text, '99' would come after '100'). A batch whose identifiers
 * are not all sequence numbers (one made by hand) keeps the order given, the order in which Lambda
 * hands a shard's records over.
 */
function inStreamOrder(items: readonly QueuedItem[]): Placed[] {
  const numbered = items.every((i) => SEQUENCE_NUMBER.test(i.itemIdentifier));
  return items
    .map((item, k) => ({ item, at: numbered ? BigInt(item.itemIdentifier) : BigInt(k) }))
    .sort(byPlace);
}

/**
 * The order a claim's records are reacted to in: the stream's (the order of the writes), except
 * that the records of one write (a transaction) may reach the stream in any order among
 * themselves, so wherever events fall they are taken in `seq` order, and signals in write order.
 * Events are not all taken before signals: a signal earlier in the stream must not wait behind a
 * later event that keeps failing (a batch boundary can split a write anyway, so nothing may rely
 * on an event's reaction coming before a signal of the same write).
 */
function reactionOrder(list: readonly Placed[]): Placed[] {
  const events = list.filter((p) => 'event' in p.item).sort(byChain);
  const signals = list.filter((p) => 'signal' in p.item).sort(byChain);
  return list.map((p) => ('event' in p.item ? events.shift() : signals.shift()) as Placed);
}

const logFailure = (message: string, item: QueuedItem, e: unknown) => {
  logger.error(message, {
    claimId: claimOf(item),
    sequenceNumber: item.itemIdentifier,
    ...('event' in item
      ? { seq: item.event.seq, type: item.event.type }
      : { revision: item.signal.revision, signal: item.signal.signal.kind }),
    error: e as Error,
  });
  // Reported back to the stream rather than thrown: counted, or no alarm would ever see it.
  countMetrics([STREAM_RECORD_FAILED_METRIC]);
};

/**
 * One claim's records (in stream order), reacted to one by one until one fails. Returns the
 * record the stream must be resumed from, if any: the earliest in the stream of those not fully
 * handled (the failed one, every one after it, one whose put-off notice could not be sent).
 */
async function reactToClaimRecords(list: readonly Placed[], clock: Clock): Promise<string | undefined> {
  const owed: Placed[] = [];
  // Notices put off until this claim's signals are delivered, with the record each belongs to.
  const putOff: { record: Placed; run: () => Promise<unknown> }[] = [];
  const order = reactionOrder(list);
  for (const [k, record] of order.entries()) {
    const { item } = record;
    try {
      if ('event' in item) {
        const later: (() => Promise<unknown>)[] = [];
        await reactToClaimEvent(item.event, clock, later);
        for (const run of later) putOff.push({ record, run });
      } else await deliverWorkflowSignal(item.signal, clock);
    } catch (e) {
      logFailure('claim stream record failed', item, e);
      owed.push(...order.slice(k)); // this claim stops here; the rest are retried with it
      break;
    }
  }
  // The records before a failure are finished, their put-off notices included.
  for (const { record, run } of putOff) {
    try {
      await run();
    } catch (e) {
      // The event is retried from here: what it did before the notice is idempotent.
      logFailure('claim notice failed', record.item, e);
      owed.push(record);
    }
  }
  return owed.sort(byPlace)[0]?.item.itemIdentifier;
}

/**
 * Reacts to a batch: claims in parallel, each claim's records one by one in stream order (see
 * `reactionOrder`). When one fails, that claim stops (its later records are retried with it);
 * other claims go on. Returns, for `batchItemFailures`, each stopped claim's earliest record not
 * fully handled.
 *
 * Lambda resumes a shard from the LOWEST sequence number reported and takes every record before it
 * as done, so nothing not fully handled may lie before what is reported: reporting only the record
 * that failed would skip for good an earlier one that was never tried (a workflow signal, and the
 * claim would wait forever) or whose notice was put off. Records after it that were handled are
 * delivered again, which every reaction tolerates (deadline steps keyed by `seq`, notices by
 * occasion, a signal the workflow already had counted as delivered).
 */
export async function reactInClaimOrder(items: readonly QueuedItem[], clock: Clock): Promise<string[]> {
  const byClaim = new Map<string, Map<string, Placed>>();
  for (const record of inStreamOrder(items)) {
    const claimId = claimOf(record.item);
    const list = byClaim.get(claimId) ?? new Map<string, Placed>();
    if (!list.has(itemKey(record.item))) list.set(itemKey(record.item), record);
    byClaim.set(claimId, list);
  }
  const failures = await Promise.all(
    [...byClaim.values()].map((list) => reactToClaimRecords([...list.values()], clock)),
  );
  return failures.filter((f): f is string => f !== undefined);
}
