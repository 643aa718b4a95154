import type { ClaimEvent, EventType } from './events.ts';

/**
 * Fewer, better messages (issue 11): customer notices of events that happen together for the same
 * claim become one message. An approval is followed by its payment within the same workflow run, in
 * well under a second; the customer gets one message saying both (the payment notice, which then
 * carries the approval and its Art. 31 due date), not an e-mail and an SMS for each. Pure rules;
 * app/notifications.ts waits out the window and reads the claim's events.
 *
 * The completed file is not folded: the straight-through decision follows it only once the workflow
 * has been resumed by this same stream, so waiting for it here would hold up the decision itself.
 */

/**
 * How long after an event its notice waits for a later one to fold into (the notice is put off
 * until the claim's other stream items are handled). A payment held for days is told on its own.
 */
export const NOTICE_WINDOW_MS: Readonly<Partial<Record<EventType, number>>> = {
  ClaimApproved: 3_000,
};

/** The longest wait (tests wait it out before counting messages). */
export const LONGEST_NOTICE_WINDOW_MS = Math.max(...Object.values(NOTICE_WINDOW_MS));

/**
 * Events whose customer notice a later event's notice covers, and which events cover it. A partial
 * approval is never folded: its reasons and the customer's right to complain are a letter of their own.
 */
const FOLDED_INTO: Partial<Record<EventType, readonly EventType[]>> = {
  // The payment notice says the claim was approved, for how much and by when it is paid.
  ClaimApproved: ['PaymentQueued'],
};

/** Whether an event's notice may be folded into a later one (it then waits out the window first). */
export const mayFold = (type: EventType): boolean => FOLDED_INTO[type] !== undefined;

const within = (earlier: ClaimEvent, later: ClaimEvent) =>
  later.seq > earlier.seq &&
  Date.parse(later.at) - Date.parse(earlier.at) <= (NOTICE_WINDOW_MS[earlier.type] ?? 0);

/** The later event whose notice covers `event`'s, if one happened within the window. */
export function coveringEvent(event: ClaimEvent, events: readonly ClaimEvent[]): ClaimEvent | undefined {
  const into = FOLDED_INTO[event.type];
  if (!into) return undefined;
  return events.find((x) => into.includes(x.type) && within(event, x));
}

/** The earlier events whose notices `event`'s notice carries (they were not sent on their own). */
export function foldedInto(event: ClaimEvent, events: readonly ClaimEvent[]): ClaimEvent[] {
  return events.filter((x) => x.seq < event.seq && coveringEvent(x, events)?.seq === event.seq);
}
