import { type UserProfile, getUser } from '../adapters/dynamo/users-repo.ts';
import { DomainError, ForbiddenError } from '../core/errors.ts';
import type { Actor } from '../core/events.ts';
import type { Principal } from '../http/principal.ts';
import type { Role } from '../shared/roles.ts';

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
