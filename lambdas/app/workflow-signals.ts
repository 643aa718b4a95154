import { markSignalDelivered, recordSignalFailure } from '../adapters/dynamo/claims-repo.ts';
import { deliverSignal } from '../adapters/workflow.ts';
import type { StoredSignal } from '../core/workflow-signals.ts';
import type { Clock } from '../core/time.ts';
import { logger } from '../http/api-handler.ts';

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
