import { adminEvents } from '../adapters/dynamo/admin-audit-repo.ts';
import { verifyChain } from '../core/events.ts';

/** How many events GET /admin/audit shows (the whole chain is still verified). */
export const ADMIN_AUDIT_PAGE = 200;

/**
 * The admin audit trail: the whole chain is read and verified (configuration and staff changes are
 * rare, so it stays small), and the newest events are returned first.
 */
export async function adminAuditLog(limit = ADMIN_AUDIT_PAGE) {
  const events = await adminEvents();
  return { verdict: verifyChain(events), items: events.slice(-limit).reverse() };
}
