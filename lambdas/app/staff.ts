import { logger } from '../runtime/logger.ts';
import { commitWithAudit, type GuardedWrite } from '../adapters/dynamo/admin-audit-repo.ts';
import { openClaimCount } from '../adapters/dynamo/claims-repo.ts';
import {
  getUser,
  getUserByUsername,
  listStaff as staffByRole,
  staffProfileWrite,
  type UserProfile,
} from '../adapters/dynamo/users-repo.ts';
import { cognitoIdentity, type IdentityProvider } from '../adapters/identity.ts';
import {
  DomainError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  VersionConflictError,
} from '../core/errors.ts';
import { type PendingAdminChange, staffLoosening } from '../core/admin-changes.ts';
import { canonicalJson, type NewEvent } from '../core/events.ts';
import { sameContact } from '../core/controls.ts';
import {
  type FingerprintedBankAccount,
  type MaskedBankAccount,
  maskedAccount,
} from '../core/payout-account.ts';
import type { StaffUpdateBody } from '../core/staff-schemas.ts';
import type { Clock } from '../core/time.ts';
import type { Caller as Principal } from '../core/caller.ts';
import type { Role } from '../shared/roles.ts';
import { fingerprintedAccount } from './sealed-account.ts';
import { proposeChange } from './pending-changes.ts';
import { adminActor } from './staff-context.ts';

/**
 * Staff accounts: the profile in our table (roles, skills, regions, authority limit) and the
 * sign-in account at the identity provider, kept in step. Every change is a StaffChanged event in
 * the admin audit chain, written with the profile in one transaction.
 */

/** PUT /admin/staff/new creates an account; its id is the identity provider's `sub`, known only then. */
export const NEW_STAFF_ID = 'new';

export interface StaffView {
  userId: string;
  username: string;
  displayName: string;
  email: string;
  phone?: string;
  roles: Role[];
  skills: string[];
  regions: string[];
  authorityLimit: number;
  active: boolean;
  department?: string;
  /** Masked: the number itself is never stored, only its fingerprint (for segregation of duties). */
  bankAccount?: MaskedBankAccount;
  version: number;
}

const view = (u: UserProfile): StaffView => ({
  userId: u.userId,
  username: u.username,
  displayName: u.displayName,
  email: u.email,
  phone: u.phone,
  roles: u.roles,
  skills: u.staff?.skills ?? [],
  regions: u.staff?.regions ?? [],
  authorityLimit: u.staff?.authorityLimit ?? 0,
  active: u.staff?.active ?? false,
  department: u.staff?.department,
  bankAccount: u.staff?.bankAccount && maskedAccount(u.staff.bankAccount),
  version: u.version ?? 0,
});

/** What the audit trail records of a profile: everything an admin can change, nothing secret. */
export function snapshot(u: UserProfile): Record<string, unknown> {
  const { userId: _id, version: _v, ...rest } = view(u);
  // A new account with the same last four digits is still a change (the fingerprint is a keyed hash).
  return { ...rest, bankAccountFingerprint: u.staff?.bankAccount?.accountFingerprint };
}

/** Workload queries in flight at once (one Query per staff member). */
const WORKLOAD_CONCURRENCY = 8;

/** GET /staff: every staff profile with the number of open claims assigned to them. */
export async function listStaff(): Promise<(StaffView & { openClaims: number })[]> {
  const profiles = (await staffByRole()).sort((a, b) => a.username.localeCompare(b.username));
  const counts: number[] = new Array(profiles.length).fill(0);
  let next = 0;
  const worker = async () => {
    while (next < profiles.length) {
      const i = next++;
      counts[i] = await openClaimCount(profiles[i]!.userId);
    }
  };
  await Promise.all(Array.from({ length: Math.min(WORKLOAD_CONCURRENCY, profiles.length) }, worker));
  return profiles.map((p, i) => ({ ...view(p), openClaims: counts[i] ?? 0 }));
}

/** `an.nguyen@insurer.vn` → `an.nguyen`; undefined when nothing usable is left. */
export function usernameFromEmail(email: string): string | undefined {
  const local = (email.split('@')[0] ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]/g, '')
    .replace(/^[._-]+|[._-]+$/g, '');
  return /^[a-z0-9][a-z0-9._-]{1,38}[a-z0-9]$/.test(local) ? local : undefined;
}

function checkRoles(roles: readonly Role[]): Role[] {
  if (roles.includes('customer')) {
    throw new ValidationError([
      { path: 'roles', code: 'customer_role', message: 'A staff account cannot hold the customer role' },
    ]);
  }
  return [...new Set(roles)];
}

/**
 * The staff member's account as it will be stored: a new number is fingerprinted, an omitted one
 * keeps what is stored, `null` removes it.
 */
async function staffBankAccount(
  body: StaffUpdateBody,
  before?: UserProfile,
): Promise<FingerprintedBankAccount | undefined> {
  if (body.bankAccount === undefined) return before?.staff?.bankAccount;
  if (body.bankAccount === null) return undefined;
  return fingerprintedAccount(body.bankAccount);
}

/**
 * What a change to one's own account would alter besides the name shown: roles, limit, contact
 * details, work scope, department or bank account. Empty when only the display name changes.
 */
function ownAccountChanges(
  before: UserProfile,
  body: StaffUpdateBody,
  roles: readonly Role[],
  bank: FingerprintedBankAccount | undefined,
): string[] {
  const sorted = (xs: readonly string[] | undefined) => [...new Set(xs ?? [])].sort().join(',');
  const s = before.staff;
  return [
    sorted(roles) !== sorted(before.roles) ? 'roles' : '',
    body.authorityLimit !== s?.authorityLimit ? 'authorityLimit' : '',
    body.email !== before.email ? 'email' : '',
    (body.phone ?? '') !== (before.phone ?? '') ? 'phone' : '',
    sorted(body.skills) !== sorted(s?.skills) ? 'skills' : '',
    sorted(body.regions) !== sorted(s?.regions) ? 'regions' : '',
    (body.department ?? '') !== (s?.department ?? '') ? 'department' : '',
    canonicalJson(bank ?? null) !== canonicalJson(s?.bankAccount ?? null) ? 'bankAccount' : '',
  ].filter(Boolean);
}

/**
 * A second account for oneself (one's own mailbox or number, however written: {@link sameContact})
 * would hold the roles one's own may not take. On an existing account only a contact that changes
 * to one's own is refused, so an account that already had it can still be edited (and corrected).
 */
async function refuseOwnContact(
  principal: Principal,
  body: Pick<StaffUpdateBody, 'email' | 'phone'>,
  before?: Pick<UserProfile, 'email' | 'phone'>,
): Promise<void> {
  const admin = await getUser(principal.userId);
  if (!admin) return;
  const mine = sameContact(admin, body);
  const had = before ? sameContact(admin, before) : { email: false, phone: false };
  const fields = (['email', 'phone'] as const).filter((f) => mine[f] && !had[f]);
  if (fields.length > 0)
    throw new DomainError('SOD_OWN_ACCOUNT', 'An account with your own contact details is yours', {
      fields: fields.map((path) => ({ path, code: 'own_account', message: 'your own contact details' })),
    });
}

function profileFrom(
  base: Pick<UserProfile, 'userId' | 'username' | 'locale'>,
  body: StaffUpdateBody,
  roles: Role[],
  version: number,
  bankAccount: FingerprintedBankAccount | undefined,
  sessionsFrom?: string,
): UserProfile {
  return {
    ...base,
    displayName: body.displayName,
    email: body.email,
    phone: body.phone,
    roles,
    staff: {
      skills: [...new Set(body.skills)],
      regions: [...new Set(body.regions)],
      authorityLimit: body.authorityLimit,
      active: body.active,
      department: body.department,
      bankAccount,
      sessionsFrom,
    },
    version,
  };
}

export interface StaffSaved {
  staff: StaffView;
  created: boolean;
  changed: boolean;
  /**
   * Set when the change grants a role, raises a limit or enables an account again: it is stored as
   * pending and nothing changes until another administrator approves it (core/admin-changes.ts).
   */
  pending?: PendingAdminChange;
}

/** What an approval writes and records with the change it puts in force (app/admin-changes.ts). */
export interface Decision {
  writes: GuardedWrite[];
  events: NewEvent[];
}

/** The authority a profile holds (core/admin-changes.ts `staffLoosening`). */
const authority = (u: UserProfile) => ({
  roles: u.roles,
  authorityLimit: u.staff?.authorityLimit ?? 0,
  active: u.staff?.active ?? false,
  email: u.email,
  phone: u.phone,
});

/**
 * Refuses to demote or deactivate the last active administrator besides the caller: with nobody
 * else, no change that needs a second administrator could ever be approved, and the caller alone
 * would hold the console (SOD_LAST_OTHER_ADMIN).
 */
async function keepAnotherAdmin(principal: Principal, before: UserProfile, after: UserProfile) {
  const wasAdmin = before.roles.includes('admin') && before.staff?.active;
  const isAdmin = after.roles.includes('admin') && after.staff?.active;
  if (!wasAdmin || isAdmin || before.userId === principal.userId) return;
  const others = (await staffByRole()).filter(
    (s) =>
      s.roles.includes('admin') &&
      s.staff?.active &&
      s.userId !== principal.userId &&
      s.userId !== before.userId,
  );
  if (others.length === 0)
    throw new DomainError('SOD_LAST_OTHER_ADMIN', 'The last other active administrator stays', {
      fields: [
        {
          path: after.roles.includes('admin') ? 'active' : 'roles',
          code: 'last_other_admin',
          message: 'the last other active administrator',
        },
      ],
    });
}

/**
 * PUT /admin/staff/{userId}: creates (`userId` = {@link NEW_STAFF_ID}) or replaces a staff account.
 * The identity provider is changed first and our profile with its audit event after: if the second
 * step fails, sending the same request again converges (every identity call is idempotent), whereas
 * the other order could leave a removed role still in the tokens Cognito issues.
 */
export async function saveStaff(
  principal: Principal,
  userId: string,
  body: StaffUpdateBody,
  clock: Clock,
  idp: IdentityProvider = cognitoIdentity,
): Promise<StaffSaved> {
  const roles = checkRoles(body.roles);
  if (userId === NEW_STAFF_ID) return createStaff(principal, body, roles, clock, idp);

  const before = await getUser(userId);
  if (!before?.staff) throw new NotFoundError('USER_NOT_FOUND', 'No staff account with this id');
  // Saved by another administrator since this one read it: theirs is not overwritten unseen.
  if (body.expectedVersion !== undefined && body.expectedVersion !== (before.version ?? 0))
    throw new VersionConflictError(before.version ?? 0);
  if (body.username !== undefined && body.username !== before.username) {
    throw new ValidationError([{ path: 'username', code: 'immutable', message: 'A username cannot change' }]);
  }
  // An admin cannot lock themselves out, so there is always at least one admin left.
  if (userId === principal.userId && before.roles.includes('admin') && !roles.includes('admin')) {
    throw new ForbiddenError('You cannot remove your own admin role');
  }
  if (userId === principal.userId && !body.active)
    throw new ForbiddenError('You cannot deactivate your own account');
  // Segregation of duties: what an account may approve, route to itself or be paid into is set by
  // another administrator, never by its holder (who could otherwise grant themselves a supervisor's
  // role and limit, or their own bank account past the staff-account checks).
  if (userId === principal.userId) {
    const bank = await staffBankAccount(body, before);
    const own = ownAccountChanges(before, body, roles, bank);
    if (own.length > 0)
      throw new DomainError('SOD_OWN_ACCOUNT', 'Another administrator must change this on your account', {
        fields: own.map((path) => ({ path, code: 'own_account', message: 'not on your own account' })),
      });
  }

  // Another account given one's own e-mail or phone becomes one's own (its sign-in and reset codes
  // reach the admin): the same as creating a second account for oneself.
  if (userId !== principal.userId) await refuseOwnContact(principal, body, before);

  const after = profileFrom(
    before,
    body,
    roles,
    (before.version ?? 0) + 1,
    await staffBankAccount(body, before),
    before.staff.sessionsFrom,
  );
  if (canonicalJson(snapshot(before)) === canonicalJson(snapshot(after))) {
    return { staff: view(before), created: false, changed: false };
  }
  await keepAnotherAdmin(principal, before, after);
  const loosens = staffLoosening(authority(before), authority(after));
  if (loosens.length > 0) {
    const pending = await proposeChange(principal, clock, {
      kind: 'staff',
      target: userId,
      baseVersion: before.version ?? 0,
      before,
      after,
      loosens,
      field: 'staff',
      auditBefore: snapshot(before),
      auditAfter: snapshot(after),
    });
    return { staff: view(before), created: false, changed: false, pending };
  }
  return applyStaffProfile(principal, before, after, clock, idp);
}

/**
 * Puts `after` in force for an existing account: the identity provider first, then the profile with
 * its StaffChanged event (and, for an approved change, its close and decision) in one transaction.
 */
async function applyStaffProfile(
  principal: Principal,
  before: UserProfile,
  after: UserProfile,
  clock: Clock,
  idp: IdentityProvider,
  decision?: Decision & { data: Record<string, unknown> },
): Promise<StaffSaved> {
  const userId = before.userId;
  const roles = after.roles;
  if (!before.staff || !after.staff)
    throw new NotFoundError('USER_NOT_FOUND', 'No staff account with this id');
  if (after.email !== before.email || after.displayName !== before.displayName) {
    await idp.updateAttributes(userId, {
      email: after.email,
      displayName: after.displayName,
      locale: after.locale,
    });
  }
  await idp.setGroups(
    userId,
    roles,
    before.roles.filter((r) => !roles.includes(r)),
  );
  if (after.staff.active !== before.staff.active) await idp.setEnabled(userId, after.staff.active);
  // New contact details: every session opened before ends (refresh tokens revoked at the identity
  // provider, and the ID tokens already issued refused from now on), so whoever held the account
  // signs in again under the contact now on it.
  const now = clock.now();
  if (after.email !== before.email || (after.phone ?? '') !== (before.phone ?? '')) {
    await idp.signOut(userId);
    after.staff.sessionsFrom = now.toISOString();
  }

  try {
    await commitWithAudit(
      [...(decision?.writes ?? []), staffProfileWrite(after, before.version)],
      [
        ...(decision?.events ?? []),
        {
          type: 'StaffChanged',
          actor: adminActor(principal),
          data: { userId, username: before.username, created: false, ...decision?.data },
          before: snapshot(before),
          after: snapshot(after),
        },
      ],
      now,
    );
  } catch (e) {
    // Not recorded (the profile moved, or the pending change was withdrawn or rejected meanwhile):
    // the identity provider goes back to the profile as stored, so no sign-in or reset code goes to
    // a contact nobody approved. Sessions already ended stay ended (the holder signs in again).
    await restoreIdentity(idp, before, after).catch((restore: unknown) =>
      logger.error('Staff change not recorded and the identity provider not restored', {
        userId,
        error: restore,
      }),
    );
    throw e;
  }
  return { staff: view(after), created: false, changed: true };
}

/** Puts the identity provider back as `before` had it, where applying `after` changed it. */
async function restoreIdentity(idp: IdentityProvider, before: UserProfile, after: UserProfile) {
  if (after.email !== before.email || after.displayName !== before.displayName)
    await idp.updateAttributes(before.userId, {
      email: before.email,
      displayName: before.displayName,
      locale: before.locale,
    });
  await idp.setGroups(
    before.userId,
    before.roles,
    after.roles.filter((r) => !before.roles.includes(r)),
  );
  if (after.staff?.active !== before.staff?.active && before.staff)
    await idp.setEnabled(before.userId, before.staff.active);
}

/** The prefix of a pending new account's target: its id is the identity provider's, known only once made. */
export const NEW_STAFF_TARGET = 'new:';

async function usernameFree(username: string) {
  if (await getUserByUsername(username)) {
    throw new ValidationError([
      { path: 'username', code: 'username_taken', message: `${username} is taken` },
    ]);
  }
}

/**
 * A new account holds roles and a limit from its first request, so it is a grant like any other:
 * proposed here and created (at the identity provider too) only when another administrator
 * approves (app/admin-changes.ts → {@link createApprovedStaff}).
 */
async function createStaff(
  principal: Principal,
  body: StaffUpdateBody,
  roles: Role[],
  clock: Clock,
  _idp: IdentityProvider,
): Promise<StaffSaved> {
  await refuseOwnContact(principal, body);
  const username = body.username ?? usernameFromEmail(body.email);
  if (!username) {
    throw new ValidationError([
      { path: 'username', code: 'required', message: 'The email gives no usable username; send one' },
    ]);
  }
  await usernameFree(username);
  const draft = profileFrom(
    { userId: '', username, locale: 'vi' },
    body,
    roles,
    1,
    await staffBankAccount(body),
  );
  const loosens = staffLoosening(undefined, authority(draft));
  const pending = await proposeChange(principal, clock, {
    kind: 'staff',
    target: `${NEW_STAFF_TARGET}${username}`,
    baseVersion: 0,
    after: draft,
    loosens,
    field: 'staff',
    auditAfter: snapshot(draft),
  });
  return { staff: view(draft), created: false, changed: false, pending };
}

/**
 * Puts an approved staff change in force (app/admin-changes.ts): a new account is created now; an
 * existing one must still be at the version the change was proposed on (else VERSION_CONFLICT:
 * reject it and propose again from what is stored now). The approver may not approve a grant to
 * their own account (SOD_OWN_ACCOUNT).
 */
export async function applyStaffChange(
  approver: Principal,
  change: PendingAdminChange,
  decision: Decision,
  clock: Clock,
  idp: IdentityProvider = cognitoIdentity,
): Promise<StaffSaved> {
  const after = change.after as UserProfile;
  const data = { changeId: change.changeId, proposedBy: change.proposedBy };
  if (change.target.startsWith(NEW_STAFF_TARGET)) {
    await usernameFree(after.username);
    // The approver's own mailbox on the new account would make it theirs.
    await refuseOwnContact(approver, after);
    return createApprovedStaff(approver, after, clock, idp, { ...decision, data });
  }
  if (change.target === approver.userId)
    throw new DomainError('SOD_OWN_ACCOUNT', 'Another administrator must approve a grant to your account');
  const before = await getUser(change.target);
  if (!before?.staff) throw new NotFoundError('USER_NOT_FOUND', 'No staff account with this id');
  if ((before.version ?? 0) !== change.baseVersion) throw new VersionConflictError(before.version ?? 0);
  return applyStaffProfile(approver, before, { ...after, version: (before.version ?? 0) + 1 }, clock, idp, {
    ...decision,
    data,
  });
}

async function createApprovedStaff(
  principal: Principal,
  draft: UserProfile,
  clock: Clock,
  idp: IdentityProvider,
  decision: Decision & { data: Record<string, unknown> },
): Promise<StaffSaved> {
  const body = { email: draft.email, displayName: draft.displayName };
  const roles = draft.roles;
  const username = draft.username;
  const locale = draft.locale;
  const { sub } = await idp.ensureUser({ email: body.email, displayName: body.displayName, locale });
  // The identity provider already knew this email: fine after a half-finished create, not otherwise.
  if (await getUser(sub)) {
    throw new ValidationError([
      { path: 'email', code: 'email_taken', message: 'An account with this email already exists' },
    ]);
  }
  await idp.setGroups(sub, roles, []);
  if (!draft.staff?.active) await idp.setEnabled(sub, false);

  const after: UserProfile = { ...draft, userId: sub, version: 1 };
  await commitWithAudit(
    [...decision.writes, staffProfileWrite(after, 'new')],
    [
      ...decision.events,
      {
        type: 'StaffChanged',
        actor: adminActor(principal),
        data: { userId: sub, username, created: true, ...decision.data },
        after: snapshot(after),
      },
    ],
    clock.now(),
  );
  return { staff: view(after), created: true, changed: true };
}
