import type { Claim } from '../../lambdas/core/claim.ts';
import type { ClaimEvent } from '../../lambdas/core/events.ts';

/**
 * A `PayoutAccountChanged` event of `claim`, not written: only handed to the notifier by a test.
 * Its notice goes to every registered contact (e-mail and SMS), which is what the notification
 * tests need. Its seq is far past the claim's own events, so no notice of the running stack shares
 * its key.
 */
export const payoutAccountChangedEvent = (claim: Pick<Claim, 'claimId' | 'customerId'>): ClaimEvent =>
  ({
    claimId: claim.claimId,
    seq: 10_000 + Math.floor(Math.random() * 1_000_000),
    type: 'PayoutAccountChanged',
    at: new Date().toISOString(),
    actor: { kind: 'customer', id: claim.customerId },
    data: {
      from: { bankName: 'Vietcombank', accountMask: '•••• 9876' },
      to: { bankName: 'Techcombank', accountMask: '•••• 1234' },
    },
    prevHash: '0'.repeat(64),
    hash: '0'.repeat(64),
  }) satisfies ClaimEvent;
