import type { ClaimEvent, EventType } from './events.ts';

/**
 * Fewer, better messages (issue 11): customer notices of events that happen together for the same
 * claim become one message. Pure rules; app/notifications.ts and app/claim-events.ts apply them.
 *
 * - An approval is followed by its payment within the same workflow run, in well under a second:
 *   the payment notice says both (the approval and its Art. 31 due date). The approval's notice
 *   waits out its window in the stream processor, after the claim's workflow signals.
 * - A completed file may be settled straight through at once (approved and queued for payment a
 *   few seconds later): the approval or payment notice then also says the file was complete. The
 *   straight-through decision follows only once the workflow has been resumed through the same
 *   stream, so this notice is not waited for there (it would hold up the decision): it is *held*,
 *   a one-time schedule fires it after its window, and it is sent then unless a later notice
 *   covered it.
 */

/**
 * How long after an event its notice waits for a later one to fold into. A payment held for days,
 * or a decision a person takes later, is told on its own.
 */
export const NOTICE_WINDOW_MS: Readonly<Partial<Record<EventType, number>>> = {
  ClaimApproved: 3_000,
  DossierCompleted: 20_000,
};

/** Notices put off by a one-time schedule (rather than waited for in the stream processor). */
const HELD_BY_SCHEDULE: ReadonlySet<EventType> = new Set<EventType>(['DossierCompleted']);

/** What the deadline schedules' target (DeadlineFired) is told when a held notice's window ends. */
export const HELD_NOTICE_KIND = 'held_notice';

/**
 * `n-<claimId>-<seq>[-<rearm>]`: one schedule per held notice, and one more each time it came back
 * early (Scheduler allows 64 of `[0-9a-zA-Z-_.]`).
 */
export const heldNoticeName = (claimId: string, seq: number, rearm = 0) =>
  `n-${claimId}-${seq}${rearm > 0 ? `-${rearm}` : ''}`;

/** The longest wait (tests wait it out before counting messages). */
export const LONGEST_NOTICE_WINDOW_MS = Math.max(...Object.values(NOTICE_WINDOW_MS));

/**
 * Events whose customer notice a later event's notice covers, and which events cover it. A partial
 * approval or a rejection is never a cover: their reasons and the customer's right to complain are
 * a letter of their own.
 */
const FOLDED_INTO: Partial<Record<EventType, readonly EventType[]>> = {
  // The payment notice says the claim was approved, for how much and by when it is paid.
  ClaimApproved: ['PaymentQueued'],
  // The approval (or the payment notice carrying it) says the file was complete, and when.
  DossierCompleted: ['ClaimApproved', 'PaymentQueued'],
};

/** Whether an event's notice may be folded into a later one (it then waits out its window first). */
export const mayFold = (type: EventType): boolean => FOLDED_INTO[type] !== undefined;

/** Whether an event's notice is held by a schedule until its window has passed. */
export const heldBySchedule = (type: EventType): boolean => HELD_BY_SCHEDULE.has(type);

const within = (earlier: ClaimEvent, later: ClaimEvent) =>
  later.seq > earlier.seq &&
  Date.parse(later.at) - Date.parse(earlier.at) <= (NOTICE_WINDOW_MS[earlier.type] ?? 0);

const directCover = (event: ClaimEvent, events: readonly ClaimEvent[]) => {
  const into = FOLDED_INTO[event.type];
  return into ? events.find((x) => into.includes(x.type) && within(event, x)) : undefined;
};

/**
 * The event whose notice carries `event`'s, if one happened within the window: the last of a chain
 * (a completed file folds into its approval, which folds into its payment: the payment notice says
 * all three).
 */
export function coveringEvent(event: ClaimEvent, events: readonly ClaimEvent[]): ClaimEvent | undefined {
  let cover = directCover(event, events);
  for (let next = cover && directCover(cover, events); next; next = directCover(next, events)) cover = next;
  return cover;
}

/** The earlier events whose notices `event`'s notice carries (they were not sent on their own). */
export function foldedInto(event: ClaimEvent, events: readonly ClaimEvent[]): ClaimEvent[] {
  return events.filter((x) => x.seq < event.seq && coveringEvent(x, events)?.seq === event.seq);
}
