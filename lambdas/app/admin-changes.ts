import { closeAdminChangeWrite, pendingAdminChanges } from '../adapters/dynamo/admin-change-repo.ts';
import { commitWithAudit } from '../adapters/dynamo/admin-audit-repo.ts';
import type { UserProfile } from '../adapters/dynamo/users-repo.ts';
import { cognitoIdentity, type IdentityProvider } from '../adapters/identity.ts';
import type { AdminChangeDecisionBody, PendingAdminChange } from '../core/admin-changes.ts';
import type { Caller as Principal } from '../core/caller.ts';
import { DomainError, NotFoundError } from '../core/errors.ts';
import type { NewEvent } from '../core/events.ts';
import type { Clock } from '../core/time.ts';
import { applyCalendarChange, applyProductChange } from './configuration.ts';
import { applyStaffChange, snapshot } from './staff.ts';
import { adminActor } from './staff-context.ts';

/**
 * Deciding administration changes that need a second administrator (core/admin-changes.ts): the
 * list the console shows, with what is in force and what is proposed, and the decision: approve or
 * reject by an administrator other than the proposer (SOD_OWN_PROPOSAL), withdraw by the proposer.
 * An approval puts the change in force in the same transaction that closes it and records both.
 */

/** A staff change as the console shows it: the audit snapshot (masked bank account), not the profile. */
const shown = (c: PendingAdminChange): PendingAdminChange =>
  c.kind === 'staff'
    ? {
        ...c,
        before: c.before && snapshot(c.before as UserProfile),
        after: snapshot(c.after as UserProfile),
      }
    : c;

/** GET /admin/changes: every change awaiting a second administrator, oldest first. */
export async function listAdminChanges(): Promise<{ items: PendingAdminChange[] }> {
  return { items: (await pendingAdminChanges()).map(shown) };
}

export interface AdminChangeDecided {
  changeId: string;
  decision: 'approved' | 'rejected' | 'withdrawn';
  /** What the approved change put in force (the product's or calendar's version, the staff account). */
  result?: unknown;
}

/** POST /admin/changes/{changeId}. */
export async function decideAdminChange(
  principal: Principal,
  changeId: string,
  body: AdminChangeDecisionBody,
  clock: Clock,
  idp: IdentityProvider = cognitoIdentity,
): Promise<AdminChangeDecided> {
  const change = (await pendingAdminChanges()).find((c) => c.changeId === changeId);
  if (!change) throw new NotFoundError('CHANGE_NOT_FOUND', 'No such change awaits a decision');
  const own = change.proposedBy === principal.userId;
  if (body.action === 'withdraw' && !own)
    throw new DomainError('FORBIDDEN', 'Only the administrator who proposed a change can withdraw it');
  if (body.action !== 'withdraw' && own)
    throw new DomainError('SOD_OWN_PROPOSAL', 'Another administrator must decide a change you proposed');
  const decision = ({ approve: 'approved', reject: 'rejected', withdraw: 'withdrawn' } as const)[body.action];
  const event: NewEvent = {
    type: 'AdminChangeDecided',
    actor: adminActor(principal),
    data: {
      changeId,
      kind: change.kind,
      target: change.target,
      decision,
      proposedBy: change.proposedBy,
      ...(body.note ? { note: body.note } : {}),
    },
  };
  const close = { writes: [closeAdminChangeWrite(change)], events: [event] };
  if (decision !== 'approved') {
    await commitWithAudit(close.writes, close.events, clock.now());
    return { changeId, decision };
  }
  const result =
    change.kind === 'product'
      ? await applyProductChange(principal, change, close, clock)
      : change.kind === 'calendar'
        ? await applyCalendarChange(principal, change, close, clock)
        : await applyStaffChange(principal, change, close, clock, idp);
  return { changeId, decision, result };
}
