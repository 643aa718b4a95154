import {
  getClaim,
  markSignalDelivered,
  recordSignalFailure,
  requeueSignal,
  signalsOfClaim,
  undeliveredSignals,
} from '../adapters/dynamo/claims-repo.ts';
import { deliverSignal } from '../adapters/workflow.ts';
import type { Claim } from '../core/claim.ts';
import { DomainError } from '../core/errors.ts';
import type { Clock } from '../core/time.ts';
import type { StoredSignal, WorkflowSignal } from '../core/workflow-signals.ts';
import type { Caller as Principal } from '../core/caller.ts';
import { mutateClaim } from './claim-store.ts';
import { staffActor } from './staff-context.ts';
import { logger } from '../runtime/logger.ts';

/**
 * Delivers a workflow signal from the outbox (called for each new signal on the table stream). A
 * failure is recorded on the signal and thrown, so the stream retries it; a signal the workflow
 * already had (a redelivery) counts as delivered.
 */
export async function deliverWorkflowSignal(stored: StoredSignal, clock: Clock): Promise<void> {
  const { claimId, revision, index, signal } = stored;
  try {
    const outcome = await deliverSignal(claimId, signal);
    if (outcome === 'already')
      logger.warn('workflow signal was already delivered', { claimId, revision, kind: signal.kind });
  } catch (e) {
    await recordSignalFailure(claimId, revision, index, (e as Error).name ?? 'Error').catch(() => undefined);
    throw e;
  }
  await markSignalDelivered(claimId, revision, index, clock.now().toISOString());
}

export { ALERT_AFTER_SECONDS } from '../core/workflow-signals.ts';

export interface WorkflowAlert {
  claimId: string;
  claimNumber?: string;
  status?: string;
  signal: WorkflowSignal['kind'];
  pendingSince: string;
  attempts: number;
  lastError?: string;
}

/**
 * Claims whose workflow is not where the claim says it is: a start, resume or failure saved with a
 * claim change and still not delivered after `olderThanSeconds`.
 */
export async function workflowAlerts(
  principal: Principal,
  olderThanSeconds: number,
  clock: Clock,
): Promise<WorkflowAlert[]> {
  await staffActor(principal, ['supervisor', 'admin']);
  const cutoff = new Date(clock.now().getTime() - olderThanSeconds * 1000).toISOString();
  const pending = await undeliveredSignals(cutoff);
  const claims = new Map<string, Claim | undefined>();
  for (const p of pending) if (!claims.has(p.claimId)) claims.set(p.claimId, await getClaim(p.claimId));
  return pending.map((p) => ({
    claimId: p.claimId,
    claimNumber: claims.get(p.claimId)?.claimNumber,
    status: claims.get(p.claimId)?.status,
    signal: p.signal.kind,
    pendingSince: p.createdAt,
    attempts: (p as StoredSignal & { attempts?: number }).attempts ?? 0,
    lastError: p.lastError,
  }));
}

/**
 * After the cause is fixed (the stream gave up on a signal and it went to the dead-letter queue),
 * a supervisor hands the claim's pending signals back to the deliverer. Recorded on the claim.
 */
export async function redeliverSignals(principal: Principal, claimId: string, clock: Clock) {
  const s = await staffActor(principal, ['supervisor', 'admin']);
  const pending = (await signalsOfClaim(claimId)).filter(
    (x) => !x.deliveredAt && !(x as { requeuedAs?: number }).requeuedAs,
  );
  if (pending.length === 0) throw new DomainError('NOTHING_TO_REDELIVER', 'No workflow signal is pending');
  const now = clock.now().toISOString();
  for (const p of pending) await requeueSignal(p, Math.floor(p.index / 100) + 1, now);
  await mutateClaim(claimId, clock, (c) => ({
    claim: c,
    events: [
      {
        type: 'WorkflowSignalsRedelivered',
        actor: s.actor,
        data: { signals: pending.map((p) => p.signal.kind) },
      },
    ],
  }));
  return { claimId, redelivered: pending.length };
}
