import { eventsOfClaim } from '../adapters/dynamo/claims-repo.ts';
import type { MessageBody } from '../core/claim-thread.ts';
import type { ClaimEvent } from '../core/events.ts';
import { MESSAGE_MAX_CHARS } from '../core/requests.ts';
import { threadPage } from '../core/claim-thread.ts';
import { ForbiddenError } from '../core/errors.ts';
import type { Clock } from '../core/time.ts';
import type { Caller as Principal } from '../core/caller.ts';
import { CLAIM_HANDLERS } from '../shared/roles.ts';
import { assertHandles } from './assessment.ts';
import { loadClaimFor, mutateClaim } from './claim-store.ts';
import { cursorsFor } from './cursors.ts';
import { messageQuotaSlot } from './quotas.ts';
import { staffActor } from './staff-context.ts';
import * as z from 'zod/mini';
import { defineSchema } from '../core/define-schema.ts';

const Position = /* @__PURE__ */ defineSchema(() => z.int().check(z.positive()));

/**
 * GET /claims/{claimId}/messages: the thread, newest first, for the customer whose claim it is and
 * for staff who may read the claim (the claim-access rules of GET /claims/{claimId}). The events are
 * read whole and paged here: a claim's history is bounded by its own lifecycle.
 */
export async function listMessages(principal: Principal, claimId: string, limit: number, cursor?: string) {
  await loadClaimFor(principal, claimId);
  const customer = principal.roles.includes('customer');
  const cursors = cursorsFor(principal.userId, 'claim-messages', { claimId });
  const before = cursors.open(cursor, (p) => Position.parse(p));
  const page = threadPage(await eventsOfClaim(claimId), customer ? 'customer' : 'staff', limit, before);
  return { items: page.items, cursor: cursors.seal(page.next) ?? undefined };
}

/**
 * POST /claims/{claimId}/messages: the customer on their own claim, or the staff who handle it (the
 * assignee, or a supervisor) — the same rule as attaching documents. The other side is notified from
 * the stream (app/notifications.ts). A message changes nothing a person edits against, so it does not
 * make anyone's open screen stale. The customer may write `messagesPerClaimPerDay` messages a day on
 * one claim (core/quotas.ts); then MESSAGE_QUOTA_EXCEEDED (429, Retry-After: midnight in Vietnam).
 */
export async function postMessage(principal: Principal, claimId: string, body: MessageBody, clock: Clock) {
  const claim = await loadClaimFor(principal, claimId);
  const customer = principal.roles.includes('customer');
  if (customer && claim.customerId !== principal.customerId) throw new ForbiddenError();
  const actor = customer
    ? { kind: 'customer' as const, id: principal.userId }
    : await (async () => {
        const s = await staffActor(principal, CLAIM_HANDLERS);
        assertHandles(s, claim);
        return s.actor;
      })();
  const saved = await appendMessage(claimId, actor, { text: body.text }, clock);
  // The chain's sequence number is staff's to see (a customer's thread numbers messages alone).
  return {
    ...(customer ? {} : { seq: saved.lastEventSeq }),
    from: customer ? 'customer' : 'staff',
    text: body.text,
  };
}

/**
 * A customer's e-mail on their claim's thread (app/email-intake.ts), as a message in the thread:
 * the same event, quota and notification as one written in the app, marked `via: 'email'` with the
 * intake record it came from. Posted once per intake record: a retried intake finds its message.
 */
export async function postEmailMessage(
  claimId: string,
  customer: { userId: string },
  text: string,
  intakeId: string,
  clock: Clock,
): Promise<'POSTED' | 'ALREADY_POSTED'> {
  const events = await eventsOfClaim(claimId);
  if (events.some((e) => e.type === 'MessagePosted' && e.data?.intakeId === intakeId))
    return 'ALREADY_POSTED';
  const clipped = text.length > MESSAGE_MAX_CHARS ? `${text.slice(0, MESSAGE_MAX_CHARS - 1)}…` : text;
  await appendMessage(
    claimId,
    { kind: 'customer', id: customer.userId },
    { text: clipped, via: 'email', intakeId },
    clock,
  );
  return 'POSTED';
}

/**
 * The write behind both: a `MessagePosted` event. The customer's messages count against a daily
 * quota per claim, in the same transaction as the message; staff replies are not limited.
 */
async function appendMessage(
  claimId: string,
  actor: ClaimEvent['actor'],
  data: { text: string; via?: 'email'; intakeId?: string },
  clock: Clock,
) {
  const slot = actor.kind === 'customer' ? await messageQuotaSlot(claimId, clock) : undefined;
  return mutateClaim(claimId, clock, (c) => ({
    claim: c,
    events: [{ type: 'MessagePosted', actor, data }],
    recordsReadOnly: true,
    ...(slot ? { quotaSlots: [slot] } : {}),
  }));
}
