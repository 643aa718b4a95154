import { adminEvents, chainHead } from '../adapters/dynamo/admin-audit-repo.ts';
import { ADMIN_AUDIT_CHAIN } from '../core/audit-anchor.ts';
import { verifyChain } from '../core/events.ts';
import { type Clock, systemClock } from '../core/time.ts';
import { verifyAnchored } from './audit-anchors.ts';

/** How many events GET /admin/audit shows (the whole chain is still verified). */
export const ADMIN_AUDIT_PAGE = 200;

/**
 * The admin audit trail: the whole chain is read and verified (configuration and staff changes are
 * rare, so it stays small), with its KMS anchor, and the newest events are returned first.
 */
export async function adminAuditLog(limit = ADMIN_AUDIT_PAGE, clock: Clock = systemClock) {
  // The head first: events appended after it are fine; the last ones removed are not.
  const head = await chainHead();
  const { verdict, anchoredSeq, events } = await verifyAnchored(
    ADMIN_AUDIT_CHAIN,
    async () => {
      const events = await adminEvents();
      let verdict = verifyChain(events, head);
      // The very first event may have been written between the two reads: judged on the head as it now is.
      if (!verdict.ok && verdict.reason === 'HEAD_MISSING') verdict = verifyChain(events, await chainHead());
      return { events, verdict };
    },
    clock,
  );
  return { verdict, anchoredSeq, items: events.slice(-limit).reverse() };
}
