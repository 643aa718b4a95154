import { adminEvents, chainHead } from '../adapters/dynamo/admin-audit-repo.ts';
import { verifyChain } from '../core/events.ts';

/** How many events GET /admin/audit shows (the whole chain is still verified). */
export const ADMIN_AUDIT_PAGE = 200;

/**
 * The admin audit trail: the whole chain is read and verified (configuration and staff changes are
 * rare, so it stays small), and the newest events are returned first.
 */
export async function adminAuditLog(limit = ADMIN_AUDIT_PAGE) {
  // The head first: events appended after it are fine; the last ones removed are not.
  const head = await chainHead();
  const events = await adminEvents();
  return { verdict: verifyChain(events, head), items: events.slice(-limit).reverse() };
}
