import { takeQuotaSlot } from '../adapters/dynamo/quota-repo.ts';
import { QuotaExceededError } from '../core/errors.ts';
import { type QuotaName, type QuotaSlot, quotaWindow } from '../core/quotas.ts';
import type { Clock } from '../core/time.ts';
import { loadQuotas } from './products.ts';

async function take(quota: QuotaName, subject: string, limit: number, clock: Clock, holder?: string) {
  const w = quotaWindow(clock.now());
  const r = await takeQuotaSlot({
    quota,
    subject,
    date: w.date,
    limit,
    expiresAtEpoch: w.expiresAtEpoch,
    ...(holder ? { holder } : {}),
  });
  if (!r.taken) throw new QuotaExceededError(quota, limit, w.retryAfterSeconds, w.resetsAt.toISOString());
}

/**
 * One of the customer's claims for today, whoever files it (the customer, or staff on the phone).
 * Keyed by the claim id, so a retried submission of the same claim (same Idempotency-Key) keeps
 * its slot and is never refused for the quota it already holds.
 */
export async function takeClaimQuota(customerId: string, claimId: string, clock: Clock): Promise<void> {
  const { claimsPerCustomerPerDay } = await loadQuotas();
  await take('claims', customerId, claimsPerCustomerPerDay, clock, claimId);
}

/** One upload ticket for the claim today (customer and staff uploads together). */
export async function takeUploadQuota(claimId: string, clock: Clock): Promise<void> {
  const { uploadsPerClaimPerDay } = await loadQuotas();
  await take('uploads', claimId, uploadsPerClaimPerDay, clock);
}

/**
 * The slot a customer's message on the claim's thread takes today: not taken here but in the
 * transaction that saves the message (app/claim-store.ts `quotaSlots`), which a used-up quota
 * cancels with MESSAGE_QUOTA_EXCEEDED.
 */
export async function messageQuotaSlot(claimId: string, clock: Clock): Promise<QuotaSlot> {
  const { messagesPerClaimPerDay } = await loadQuotas();
  return {
    quota: 'messages',
    subject: claimId,
    limit: messagesPerClaimPerDay,
    window: quotaWindow(clock.now()),
  };
}
