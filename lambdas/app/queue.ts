import { claimsByAssignee, claimsByStatus } from '../adapters/dynamo/claims-repo.ts';
import type { Claim, ClaimStatus } from '../core/claim.ts';
import { type DeadlineFlag, flaggedDeadline } from '../core/deadlines.ts';
import { OFF_DESK_STATUSES, OPEN_STATUSES } from '../core/lifecycle.ts';
import type { ProductLine } from '../core/products.ts';
import type { Principal } from '../http/principal.ts';
import { claimSummary } from './claim-view.ts';
import { DEPARTMENT_ROLE } from '../core/claim.ts';

export interface QueueFilter {
  view: 'mine' | 'team' | 'approvals' | 'all';
  status?: string;
  line?: ProductLine;
  q?: string;
}

/**
 * The worst state of a claim's deadlines: what paints a queue row red or amber (see
 * {@link flaggedDeadline}, which also says which deadline it is).
 */
export function deadlineFlag(c: Claim, now: Date): DeadlineFlag {
  return flaggedDeadline(c.deadlines ?? [], now).flag;
}

/** What is still on someone's desk; paid, rejected and closed claims leave the queue. */
const STAFF_STATUSES = OPEN_STATUSES.filter((s) => !OFF_DESK_STATUSES.includes(s));

/**
 * The console's work queue, nearest deadline first: my claims (GSI3 by assignee), the team's
 * (GSI2 per open status), or the approvals waiting for my role. No scans.
 */
export async function workQueue(principal: Principal, f: QueueFilter, now: Date) {
  let claims: Claim[];
  if (f.view === 'mine') claims = await claimsByAssignee(principal.userId);
  else if (f.view === 'approvals') {
    const statuses: ClaimStatus[] = [];
    if (principal.roles.includes('supervisor')) statuses.push('PENDING_APPROVAL');
    if (Object.values(DEPARTMENT_ROLE).some((r) => principal.roles.includes(r)))
      statuses.push('JOINT_REVIEW');
    claims = (await Promise.all(statuses.map((s) => claimsByStatus(s)))).flat();
    claims = claims.filter((c) => {
      if (c.status !== 'JOINT_REVIEW') return c.approvals?.at(-1)?.requestedBy.id !== principal.userId;
      const round = c.approvals?.at(-1);
      return Boolean(
        round?.departments.some(
          (d) => principal.roles.includes(DEPARTMENT_ROLE[d]) && !round.votes.some((v) => v.department === d),
        ),
      );
    });
  } else {
    const statuses = f.status ? STAFF_STATUSES.filter((s) => s === f.status) : STAFF_STATUSES;
    claims = (await Promise.all(statuses.map((s) => claimsByStatus(s)))).flat();
    if (f.view === 'team') claims = claims.filter((c) => !c.assignee || c.assignedQueue);
  }
  if (f.status) claims = claims.filter((c) => c.status === f.status);
  if (f.line) claims = claims.filter((c) => c.classification?.line === f.line);
  if (f.q) {
    const q = f.q.toLowerCase();
    claims = claims.filter(
      (c) => c.claimNumber.toLowerCase().includes(q) || c.policyNumber.toLowerCase().includes(q),
    );
  }
  const due = (c: Claim) => c.nextDeadline?.dueAt ?? '9999';
  return claims
    .sort((a, b) => (due(a) < due(b) ? -1 : due(a) > due(b) ? 1 : a.submittedAt.localeCompare(b.submittedAt)))
    .map((c) => ({
      ...claimSummary(c),
      line: c.classification?.line,
      severityBand: c.classification?.severityBand,
      assignee: c.assignee,
      assignedQueue: c.assignedQueue,
      channel: c.channel,
      nextDeadline: c.nextDeadline,
      deadlineFlag: deadlineFlag(c, now),
      breachedDeadline: c.deadlines?.find((d) => d.status === 'breached'),
      fraudIndicators: c.fraudIndicators?.length ?? 0,
    }));
}

/**
 * The claim header's red or amber flag and the deadline it belongs to (kind and due instant), so
 * "Overdue" never sits beside another deadline's countdown.
 */
export function deadlineFlagOf(c: Claim, now: Date) {
  const { flag, deadline } = flaggedDeadline(c.deadlines ?? [], now);
  return { deadlineFlag: flag, ...(deadline ? { flaggedDeadline: deadline } : {}) };
}
