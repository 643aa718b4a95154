import { randomUUID } from 'node:crypto';
import { proposeAdminChangeWrite } from '../adapters/dynamo/admin-change-repo.ts';
import { commitWithAudit } from '../adapters/dynamo/admin-audit-repo.ts';
import type { AdminChangeKind, PendingAdminChange } from '../core/admin-changes.ts';
import type { Caller as Principal } from '../core/caller.ts';
import type { Clock } from '../core/time.ts';
import { adminActor } from './staff-context.ts';

/**
 * Proposing a change that needs a second administrator (core/admin-changes.ts): stored as pending
 * with the proposal recorded on the admin audit chain, in one transaction. Nothing is in force
 * until another administrator approves it (app/admin-changes.ts).
 */
export interface ChangeProposal<T> {
  kind: AdminChangeKind;
  target: string;
  baseVersion: number;
  before?: T;
  after: T;
  loosens: string[];
  /** What the audit event names the value (`config`, `calendar`, `staff`), and the snapshots it records. */
  field: string;
  auditBefore?: unknown;
  auditAfter: unknown;
}

export async function proposeChange<T>(
  principal: Principal,
  clock: Clock,
  p: ChangeProposal<T>,
): Promise<PendingAdminChange<T>> {
  const now = clock.now();
  const change: PendingAdminChange<T> = {
    changeId: randomUUID(),
    kind: p.kind,
    target: p.target,
    proposedBy: principal.userId,
    proposedAt: now.toISOString(),
    baseVersion: p.baseVersion,
    before: p.before,
    after: p.after,
    loosens: p.loosens,
  };
  await commitWithAudit(
    [proposeAdminChangeWrite(change)],
    [
      {
        type: 'AdminChangeProposed',
        actor: adminActor(principal),
        data: {
          changeId: change.changeId,
          kind: p.kind,
          target: p.target,
          baseVersion: p.baseVersion,
          loosens: p.loosens,
        },
        ...(p.auditBefore === undefined ? {} : { before: { [p.field]: p.auditBefore } }),
        after: { [p.field]: p.auditAfter },
      },
    ],
    now,
  );
  return change;
}
