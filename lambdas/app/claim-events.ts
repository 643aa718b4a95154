import { countMetrics } from '../adapters/metrics.ts';
import type { FraudRecord } from '../core/claim.ts';
import { metricsOfEvent } from '../core/claim-metrics.ts';
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
/** Events in chain order, then signals in the order their writes happened. */
const orderOf = (i: QueuedItem): [number, number, number] =>
  'event' in i ? [0, i.event.seq, 0] : [1, i.signal.revision, i.signal.index];
const sameItem = (a: QueuedItem, b: QueuedItem) => orderOf(a).every((v, k) => v === orderOf(b)[k]);
const byOrder = (a: QueuedItem, b: QueuedItem) => {
  const [x, y] = [orderOf(a), orderOf(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};

/**
 * Reacts to a batch: claims in parallel, each claim's items one by one (events in `seq` order,
 * then workflow signals in write order). When one fails, that claim's later items wait (they are
 * retried with it); other claims go on. Returns the identifiers of the first failed item of each
 * claim, for `batchItemFailures`.
 */
export async function reactInClaimOrder(items: readonly QueuedItem[], clock: Clock): Promise<string[]> {
  const byClaim = new Map<string, QueuedItem[]>();
  for (const item of items) {
    const list = byClaim.get(claimOf(item)) ?? [];
    if (!list.some((x) => sameItem(x, item))) list.push(item);
    byClaim.set(claimOf(item), list);
  }
  const failures = await Promise.all(
    [...byClaim.values()].map(async (list) => {
      // Notices put off until this claim's signals are delivered, with the item each belongs to.
      const putOff: { item: QueuedItem; run: () => Promise<unknown> }[] = [];
      for (const item of list.sort(byOrder)) {
        try {
          if ('event' in item) {
            const later: (() => Promise<unknown>)[] = [];
            await reactToClaimEvent(item.event, clock, later);
            for (const run of later) putOff.push({ item, run });
          } else await deliverWorkflowSignal(item.signal, clock);
        } catch (e) {
          logger.error('claim stream record failed', {
            claimId: claimOf(item),
            ...('event' in item
              ? { seq: item.event.seq, type: item.event.type }
              : { revision: item.signal.revision, signal: item.signal.signal.kind }),
            error: e as Error,
          });
          return item.itemIdentifier;
        }
      }
      for (const { item, run } of putOff) {
        try {
          await run();
        } catch (e) {
          logger.error('claim notice failed', { claimId: claimOf(item), error: e as Error });
          // The event is retried from here: what it did before the notice is idempotent.
          return item.itemIdentifier;
        }
      }
      return undefined;
    }),
  );
  return failures.filter((f): f is string => f !== undefined);
}
