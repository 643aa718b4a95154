import * as z from 'zod/mini';
import { defineSchema } from './define-schema.ts';
import type { ClaimEvent } from './events.ts';

/**
 * The message thread on a claim between the customer and the claims handler (issue 10). Each
 * message is a `MessagePosted` claim event, so it is hash-chained with the rest of the claim's
 * history and delivered (notified) from the table stream like every other event. Staff-internal
 * notes stay `NoteAdded` events: never part of the thread, never shown to the customer.
 */
/** POST /claims/{claimId}/messages (./requests.ts, shared with the web apps). */
export { MESSAGE_MAX_CHARS, MessageBody } from './requests.ts';

/** GET /claims/{claimId}/messages: newest first. */
export const MessageQuery = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(50)), 20),
    // Loose outer bound: the cursor's own bound and signature answer 400 INVALID_CURSOR.
    cursor: z.optional(z.string().check(z.maxLength(8192))),
  }),
);

export interface ThreadMessage {
  seq: number;
  at: string;
  /** Who wrote it: the customer, or staff by role (customers never see a staff member's name or id). */
  from: 'customer' | 'staff';
  role?: string;
  text: string;
  /** Sent by e-mail to the claims inbox (app/email-intake.ts), not written in the app. */
  via?: 'email';
  authorId?: string;
}

/**
 * One page of the thread, newest first, before event `beforeSeq` (exclusive; undefined: from the
 * newest). `next` is where the following page starts, if any. `audience` drops author ids for customers.
 */
export function threadPage(
  events: readonly ClaimEvent[],
  audience: 'customer' | 'staff',
  limit: number,
  beforeSeq?: number,
): { items: ThreadMessage[]; next?: number } {
  // Customers number the messages among themselves (1, 2, 3…), and page by that number: the chain's
  // own numbers would leave gaps where internal events are, which tell what they hide.
  const messages = events
    .filter((e) => e.type === 'MessagePosted')
    .sort((a, b) => a.seq - b.seq)
    .map((e, i) => ({ e, seq: audience === 'customer' ? i + 1 : e.seq }));
  const all = messages
    .filter((m) => beforeSeq === undefined || m.seq < beforeSeq)
    .sort((a, b) => b.seq - a.seq);
  const items = all.slice(0, limit).map(
    ({ e, seq }): ThreadMessage => ({
      seq,
      at: e.at,
      from: e.actor.kind === 'customer' ? 'customer' : 'staff',
      ...(e.actor.kind === 'staff' ? { role: e.actor.role } : {}),
      text: String(e.data?.text ?? ''),
      ...(e.data?.via === 'email' ? { via: 'email' as const } : {}),
      ...(audience === 'staff' && e.actor.id ? { authorId: e.actor.id } : {}),
    }),
  );
  return { items, next: all.length > limit ? items.at(-1)?.seq : undefined };
}
