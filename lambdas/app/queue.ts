import { claimsByAssignee, claimsByStatus, countClaims } from '../adapters/dynamo/claims-repo.ts';
import type { Claim, ClaimStatus } from '../core/claim.ts';
import { type DeadlineFlag, flaggedDeadline } from '../core/deadlines.ts';
import { MergePositionSchema, mergePartitions, type PartitionRead } from '../core/paging.ts';
import { OFF_DESK_STATUSES, OPEN_STATUSES } from '../core/lifecycle.ts';
import type { ProductLine } from '../core/products.ts';
import type { Caller as Principal } from '../core/caller.ts';
import { claimSummary } from './claim-view.ts';
import { cursorsFor } from './cursors.ts';
import { DEPARTMENT_ROLE } from '../core/claim.ts';

export interface QueueFilter {
  view: 'mine' | 'team' | 'approvals' | 'all';
  status?: ClaimStatus;
  line?: ProductLine;
  limit: number;
  cursor?: string;
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

/** A claim as one row of the queue (and of search results). */
export function queueItem(c: Claim, now: Date) {
  return {
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
  };
}

/** One partition of the queue: how to read it a page at a time and, where cheap, count it. */
interface QueuePartition {
  read: (after: string | undefined, limit: number) => Promise<PartitionRead<Claim>>;
  count?: () => Promise<number | undefined>;
}

/** Is this claim waiting for this person's approval or department vote? */
function awaitsMyApproval(c: Claim, principal: Principal): boolean {
  if (c.status !== 'JOINT_REVIEW') return c.approvals?.at(-1)?.requestedBy.id !== principal.userId;
  const round = c.approvals?.at(-1);
  return Boolean(
    round?.departments.some(
      (d) => principal.roles.includes(DEPARTMENT_ROLE[d]) && !round.votes.some((v) => v.department === d),
    ),
  );
}

/**
 * The console's work queue, nearest deadline first, a page at a time: my claims (GSI3 by
 * assignee), the team's or everyone's (GSI2, one partition per status, merged), or the approvals
 * waiting for my role. Any status can be asked for, paid, rejected and closed included; without
 * one, only what is still on someone's desk. Filters apply before the page limit; the cursor is
 * signed for this caller and these filters. The first page says how many there are when counting
 * is cheap (a filtered COUNT per partition), otherwise `total` is absent and `nextCursor` says
 * whether there is more. No scans.
 */
export async function workQueue(principal: Principal, f: QueueFilter, now: Date) {
  const cursors = cursorsFor(principal.userId, 'queue', { view: f.view, status: f.status, line: f.line });
  let partitions: QueuePartition[];
  let keep: (c: Claim) => boolean;
  if (f.view === 'mine') {
    const filter = f.status
      ? { status: f.status, line: f.line }
      : { notStatuses: OFF_DESK_STATUSES, line: f.line };
    partitions = [
      {
        read: (after, limit) => claimsByAssignee(principal.userId, after, limit),
        count: () => countClaims('gsi3', `ASSIGNEE#${principal.userId}`, filter),
      },
    ];
    keep = (c) => (f.status ? c.status === f.status : !OFF_DESK_STATUSES.includes(c.status));
  } else if (f.view === 'approvals') {
    const statuses: ClaimStatus[] = [];
    if (principal.roles.includes('supervisor')) statuses.push('PENDING_APPROVAL');
    if (Object.values(DEPARTMENT_ROLE).some((r) => principal.roles.includes(r)))
      statuses.push('JOINT_REVIEW');
    partitions = statuses
      .filter((s) => !f.status || s === f.status)
      .map((s) => ({ read: (after, limit) => claimsByStatus(s, after, limit) }));
    keep = (c) => awaitsMyApproval(c, principal);
  } else {
    const team = f.view === 'team';
    const statuses = f.status ? [f.status] : STAFF_STATUSES;
    partitions = statuses.map((s) => ({
      read: (after, limit) => claimsByStatus(s, after, limit),
      count: () => countClaims('gsi2', `STATUS#${s}`, { line: f.line, unassignedOrQueued: team }),
    }));
    keep = (c) => !team || !c.assignee || Boolean(c.assignedQueue);
  }
  const matches = (c: Claim) => keep(c) && (!f.line || c.classification?.line === f.line);

  const start = cursors.open(f.cursor, (p) => MergePositionSchema(partitions.length).parse(p));
  const [page, total] = await Promise.all([
    mergePartitions(
      partitions.length,
      async (i, after, limit) => {
        const r = await (partitions[i] as QueuePartition).read(after, limit);
        return { items: r.items.filter((x) => matches(x.item)), next: r.next };
      },
      start,
      f.limit,
    ),
    f.cursor ? undefined : countAll(partitions),
  ]);
  return {
    items: page.items.map((c) => queueItem(c, now)),
    nextCursor: cursors.seal(page.position),
    ...(total === undefined ? {} : { total }),
  };
}

/** The sum of the partitions' counts, or undefined if any of them cannot be counted cheaply. */
async function countAll(partitions: readonly QueuePartition[]): Promise<number | undefined> {
  if (partitions.some((p) => !p.count)) return undefined;
  const counts = await Promise.all(partitions.map((p) => p.count?.()));
  return counts.some((c) => c === undefined) ? undefined : counts.reduce<number>((a, c) => a + (c ?? 0), 0);
}

/**
 * The claim header's red or amber flag and the deadline it belongs to (kind and due instant), so
 * "Overdue" never sits beside another deadline's countdown.
 */
export function deadlineFlagOf(c: Claim, now: Date) {
  const { flag, deadline } = flaggedDeadline(c.deadlines ?? [], now);
  return { deadlineFlag: flag, ...(deadline ? { flaggedDeadline: deadline } : {}) };
}
