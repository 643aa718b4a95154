import { claimRead, getClaim, saveClaim } from '../adapters/dynamo/claims-repo.ts';
import type { ClaimLinkEntry, SiuQueueEntry } from '../adapters/dynamo/fraud-repo.ts';
import type { PostAuditEntry } from '../adapters/dynamo/post-audit-repo.ts';
import type { Claim, ClaimDocument } from '../core/claim.ts';
import { DomainError, ForbiddenError, VersionConflictError } from '../core/errors.ts';
import { type NewEvent, sealEvents } from '../core/events.ts';
import type { Payout } from '../core/finance.ts';
import type { QuotaSlot } from '../core/quotas.ts';
import type { Clock } from '../core/time.ts';
import type { WorkflowSignal } from '../core/workflow-signals.ts';
import type { Caller as Principal } from '../core/caller.ts';
import { CLAIM_READERS } from '../shared/roles.ts';
import { readWithConfig } from './products.ts';

export interface Change {
  claim: Claim;
  events: NewEvent[];
  documents?: ClaimDocument[];
  /** What the workflow is owed by this change: saved with it, delivered from the table stream. */
  signals?: WorkflowSignal[];
  /**
   * The events record a read (an audited view of personal data), not a change: the version people
   * edit against and `updatedAt` stay as they were, so nobody's open screen goes stale.
   */
  recordsReadOnly?: boolean;
  /** Post-audit queue entries written in the same transaction. */
  postAudit?: PostAuditEntry[];
  /** New payout lines (the final payout, an advance) written in the same transaction, each once. */
  payouts?: Payout[];
  /** The SIU queue entry of the claim, written in the same transaction. */
  siuCases?: SiuQueueEntry[];
  /** Daily quota slots the change uses, taken in the same transaction (QUOTA refusals cancel it). */
  quotaSlots?: QuotaSlot[];
  /** Fraud link entries of the claim (its shared attribute values), written with it. */
  claimLinks?: ClaimLinkEntry[];
  /** Notices sent for this change, marked sent with it (`sendOnce(…, { markedBy: 'change' })`). */
  noticesSent?: string[];
}

/**
 * Read-modify-write of a claim under optimistic locking: `change` gets the current claim and
 * returns the next one plus the events that explain it and the workflow signals it owes; all are
 * saved atomically (signals are delivered from the table stream), or a
 * VersionConflictError says someone else got there first. `expectedVersion` is the version a
 * person's screen showed: a change made meanwhile by another person (or a status change) makes
 * it stale, while system bookkeeping (deadline schedules, reminders) does not.
 */
export async function mutateClaim(
  claimId: string,
  clock: Clock,
  change: (current: Claim) => Change | null | Promise<Change | null>,
  expectedVersion?: number,
  /**
   * The claim as this invocation just read it: the first attempt starts from it instead of reading
   * it again. The write is still conditioned on its revision, so a stale copy costs one retry.
   */
  known?: Claim,
): Promise<Claim> {
  // A lost race with another writer re-reads and re-applies `change` to the newer claim; the
  // version a person saw is re-checked each time, so their edit never lands on stale state.
  for (let attempt = 1; ; attempt++) {
    try {
      return await mutateOnce(claimId, clock, change, expectedVersion, attempt === 1 ? known : undefined);
    } catch (e) {
      if (!(e instanceof VersionConflictError) || attempt >= MAX_ATTEMPTS) throw e;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 30 * attempt));
    }
  }
}

const MAX_ATTEMPTS = 8;

/**
 * {@link mutateClaim} for a step that also needs the configuration in force (product, calendar,
 * templates): the claim is read together with it, one BatchGetItem instead of two requests.
 */
export async function mutateClaimWithConfig(
  claimId: string,
  clock: Clock,
  change: (current: Claim) => Change | null | Promise<Change | null>,
): Promise<Claim> {
  const known = await readWithConfig(claimRead(claimId));
  return mutateClaim(claimId, clock, change, undefined, known);
}

/** The claim (strongly consistent) read together with the configuration in force when it is not at hand. */
export function getClaimWithConfig(claimId: string): Promise<Claim | undefined> {
  return readWithConfig(claimRead(claimId));
}

async function mutateOnce(
  claimId: string,
  clock: Clock,
  change: (current: Claim) => Change | null | Promise<Change | null>,
  expectedVersion?: number,
  known?: Claim,
): Promise<Claim> {
  const current = known?.claimId === claimId ? known : await getClaim(claimId);
  if (!current) throw new DomainError('CLAIM_NOT_FOUND', 'Claim not found');
  if (expectedVersion !== undefined && expectedVersion !== current.version) {
    throw new DomainError('VERSION_CONFLICT', 'The claim was changed by someone else', {
      currentVersion: current.version,
    });
  }
  const result = await change(current);
  if (!result) return current;
  const now = clock.now();
  const sealed = sealEvents(claimId, current.lastEventSeq, current.lastEventHash, result.events, now);
  const last = sealed.at(-1);
  const byPerson = !result.recordsReadOnly && result.events.some((e) => e.actor.kind !== 'system');
  const statusChanged = result.claim.status !== current.status;
  const revision = current.revision ?? current.version;
  const next: Claim = {
    ...result.claim,
    version: current.version + (byPerson || statusChanged || expectedVersion !== undefined ? 1 : 0),
    revision: revision + 1,
    updatedAt: result.recordsReadOnly ? current.updatedAt : now.toISOString(),
    lastEventSeq: last?.seq ?? current.lastEventSeq,
    lastEventHash: last?.hash ?? current.lastEventHash,
  };
  const { documents, signals, postAudit, payouts, siuCases, quotaSlots, claimLinks, noticesSent } = result;
  await saveClaim(next, revision, sealed, {
    documents,
    signals,
    postAudit,
    payouts,
    siuCases,
    quotaSlots,
    claimLinks,
    noticesSent,
    before: current,
  });
  return next;
}

/**
 * The claim if this caller may see it. A customer asking for somebody else's claim gets the same
 * CLAIM_NOT_FOUND as for a claim that does not exist, so ids cannot be probed.
 */
export async function loadClaimFor(principal: Principal, claimId: string): Promise<Claim> {
  const claim = await getClaim(claimId);
  const staff = principal.roles.some((r) => CLAIM_READERS.includes(r));
  if (!claim || (!staff && (!principal.customerId || claim.customerId !== principal.customerId))) {
    throw new DomainError('CLAIM_NOT_FOUND', 'Claim not found');
  }
  return claim;
}

/**
 * The claim, for what only the customer whose claim it is may do (appeal it, change its payout
 * account): staff, who may read every claim, are refused with 403; anyone else gets
 * CLAIM_NOT_FOUND from `loadClaimFor`.
 */
export async function loadOwnClaim(principal: Principal, claimId: string): Promise<Claim> {
  const claim = await loadClaimFor(principal, claimId);
  if (!principal.customerId || claim.customerId !== principal.customerId) throw new ForbiddenError();
  return claim;
}
