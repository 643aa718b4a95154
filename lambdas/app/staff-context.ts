import { type UserProfile, getUser } from '../adapters/dynamo/users-repo.ts';
import { DomainError, ForbiddenError } from '../core/errors.ts';
import type { Actor } from '../core/events.ts';
import type { Caller as Principal } from '../core/caller.ts';
import { type Role, STAFF_ROLES } from '../shared/roles.ts';

/** The acting staff member: their token's roles plus the profile that holds limits and skills. */
export interface StaffActor {
  principal: Principal;
  profile: UserProfile;
  /** The role they act in for this action (recorded on events). */
  role: Role;
  actor: Actor;
}

export async function staffActor(principal: Principal, acceptable: readonly Role[]): Promise<StaffActor> {
  const role = acceptable.find((r) => principal.roles.includes(r));
  if (!role) throw new ForbiddenError();
  const profile = await getUser(principal.userId);
  if (!profile?.staff?.active) throw new DomainError('FORBIDDEN', 'No active staff profile for this account');
  return { principal, profile, role, actor: { kind: 'staff', role, id: principal.userId } };
}

export const authorityOf = (s: StaffActor): number => s.profile.staff?.authorityLimit ?? 0;

/**
 * The caller as the staff directory says they are now, not as their token said when it was issued:
 * a deactivated account is refused and a removed role is gone on the very next request, reads
 * included (a token lives up to an hour). Customers are returned unchanged.
 */
export async function currentPrincipal(principal: Principal): Promise<Principal> {
  if (!principal.roles.some((r) => STAFF_ROLES.includes(r))) return principal;
  const profile = await getUser(principal.userId);
  if (!profile?.staff?.active) throw new DomainError('ACCOUNT_INACTIVE', 'This staff account is not active');
  // A token from before the account's contact details changed: that session has ended (token
  // times are whole seconds, so one issued in the cut-off's own second is refused too).
  const from = profile.staff.sessionsFrom;
  if (from && (principal.issuedAt ?? 0) <= Math.floor(Date.parse(from) / 1000))
    throw new DomainError('UNAUTHENTICATED', 'This session ended when the account changed; sign in again');
  return { ...principal, roles: profile.roles.filter((r) => STAFF_ROLES.includes(r)) };
}

/** An administrator as the actor of a configuration or staff change in the admin audit chain. */
export const adminActor = (p: Principal): Actor => ({ kind: 'staff', role: 'admin', id: p.userId });
