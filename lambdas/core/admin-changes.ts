import * as z from 'zod/mini';
import type { HolidayCalendar } from './calendar.ts';
import { singleAssessorMax } from './controls.ts';
import { defineSchema } from './define-schema.ts';
import { canonicalJson } from './events.ts';
import type { ChecklistItem, ProductConfig } from './products.ts';

/**
 * Four eyes on administration (a pending change). A change that moves money or authority — a
 * product's payout controls, a role or authority limit granted to a staff member, a calendar that
 * pushes working-day deadlines back — is proposed by one administrator and takes effect only when a
 * different one approves it. A change that only tightens takes effect at once: nobody gains by it,
 * and a control tightened in a hurry (a fraud wave) must not wait for a second person.
 *
 * Pure: which fields of a change loosen a control. app/admin-changes.ts stores and decides.
 */

export const ADMIN_CHANGE_KINDS = ['product', 'calendar', 'staff'] as const;
export type AdminChangeKind = (typeof ADMIN_CHANGE_KINDS)[number];

export const ADMIN_CHANGE_ACTIONS = ['approve', 'reject', 'withdraw'] as const;
export type AdminChangeAction = (typeof ADMIN_CHANGE_ACTIONS)[number];

/** POST /admin/changes/{changeId}: approve or reject (another admin) or withdraw (the proposer). */
export const AdminChangeDecisionBody = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    action: z.enum(ADMIN_CHANGE_ACTIONS),
    note: z.optional(z.string().check(z.trim(), z.maxLength(1000))),
  }),
);
export type AdminChangeDecisionBody = z.infer<typeof AdminChangeDecisionBody>;

/** A change that awaits a second administrator. */
export interface PendingAdminChange<T = unknown> {
  changeId: string;
  kind: AdminChangeKind;
  /** What it changes: the product code, `calendar`, the staff member's userId (or `new:<username>`). */
  target: string;
  proposedBy: string;
  proposedAt: string;
  /** The version of the target the proposal was made against; approval fails if it has moved. */
  baseVersion: number;
  /** What is in force now, and what is proposed (the whole value, as it would be stored). */
  before?: T;
  after: T;
  /** The fields that loosen a control: why this change needs a second administrator. */
  loosens: string[];
}

const changed = (a: unknown, b: unknown) => canonicalJson(a ?? null) !== canonicalJson(b ?? null);

/** Whether checklist item `b` asks for a document at least whenever `a` does, in at least the same form. */
function asStrict(a: ChecklistItem, b: ChecklistItem): boolean {
  const subset = (x: readonly string[] = [], y: readonly string[] = []) => x.every((v) => y.includes(v));
  if (a.required && !b.required) return false;
  // A condition added (or changed) asks for it in fewer claims.
  if (b.requiredWhen !== undefined && b.requiredWhen !== a.requiredWhen) return false;
  if (!subset(b.exceptCauses, a.exceptCauses)) return false;
  if (!subset(a.requiredForCauses, b.requiredForCauses)) return false;
  // More kinds of file accepted (the e-invoice XML, an image for a PDF) is a weaker proof.
  if (b.accepts !== undefined && (a.accepts === undefined || !subset(b.accepts, a.accepts))) return false;
  return true;
}

/**
 * The money controls of a product that `after` loosens compared with `before` (paths, in a fixed
 * order): more paid without a person or by one person alone, fewer departments or approvals, less
 * evidence or a weaker checklist. Anything else (names, deadlines within the law, notice days) is
 * not a money control and applies at once.
 */
export function productLoosening(before: ProductConfig, after: ProductConfig): string[] {
  const out: string[] = [];
  if (after.straightThroughMax > before.straightThroughMax) out.push('straightThroughMax');
  if (singleAssessorMax(after) > singleAssessorMax(before)) out.push('approvalControls.singleAssessorMax');
  const j0 = before.jointDecision;
  const j1 = after.jointDecision;
  if (j1.threshold > j0.threshold) out.push('jointDecision.threshold');
  if (j1.quorum < j0.quorum) out.push('jointDecision.quorum');
  // Another set of departments votes: who decides changes, whichever way it goes.
  if (changed([...new Set(j0.departments)].sort(), [...new Set(j1.departments)].sort()))
    out.push('jointDecision.departments');
  const s0 = before.straightThrough;
  const s1 = after.straightThrough;
  if (s1.evidence.some((t) => !s0.evidence.includes(t))) out.push('straightThrough.evidence');
  if (s1.waitingPeriodDays < s0.waitingPeriodDays) out.push('straightThrough.waitingPeriodDays');
  if (s1.postAuditShareBps < s0.postAuditShareBps) out.push('straightThrough.postAuditShareBps');
  const weaker = before.documentChecklist.some((a) => {
    const b = after.documentChecklist.find((x) => x.type === a.type);
    return !b || !asStrict(a, b);
  });
  if (weaker) out.push('documentChecklist');
  return out;
}

/**
 * What in a calendar change can push working-day deadlines back: a holiday added, a weekday made a
 * rest day, a make-up working Saturday removed. Removing a holiday only brings deadlines forward.
 */
export function calendarLoosening(before: HolidayCalendar, after: HolidayCalendar): string[] {
  const out: string[] = [];
  if (after.holidays.some((d) => !before.holidays.includes(d))) out.push('holidays');
  if (after.weekend.some((d) => !before.weekend.includes(d))) out.push('weekend');
  if (before.workingWeekends.some((d) => !after.workingWeekends.includes(d))) out.push('workingWeekends');
  return out;
}

/** What of a staff account grants authority: its roles, limit and whether it may sign in. */
export interface StaffAuthority {
  roles: readonly string[];
  authorityLimit: number;
  active: boolean;
  /** Where sign-in and password-reset codes go: whoever controls them controls the account. */
  email?: string;
  phone?: string;
}

/**
 * What a staff change grants (paths): a role added, the authority limit raised, a deactivated
 * account enabled again (its roles come back with it), or the account's e-mail or phone changed
 * (password reset goes there: another administrator could otherwise take the account over).
 * `before` undefined: a new account, which grants every role it has and its limit. Removing a role
 * or lowering a limit grants nothing.
 */
export function staffLoosening(before: StaffAuthority | undefined, after: StaffAuthority): string[] {
  const out: string[] = [];
  if (after.roles.some((r) => !before?.roles.includes(r))) out.push('roles');
  if (after.authorityLimit > (before?.authorityLimit ?? 0)) out.push('authorityLimit');
  if (before && !before.active && after.active) out.push('active');
  if (before && (after.email ?? '') !== (before.email ?? '')) out.push('email');
  if (before && (after.phone ?? '') !== (before.phone ?? '')) out.push('phone');
  return out;
}
