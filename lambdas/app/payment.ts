import { siuHoldsPayment } from '../core/fraud/siu.ts';
import { getPayout } from '../adapters/dynamo/finance-repo.ts';
import type { Claim } from '../core/claim.ts';
import { latePaymentInterest } from '../core/deadlines.ts';
import { DomainError } from '../core/errors.ts';
import { type NewEvent, SYSTEM } from '../core/events.ts';
import { assertTransition } from '../core/lifecycle.ts';
import { type Money, vnd } from '../core/money.ts';
import { businessDate, type Clock } from '../core/time.ts';
import {
  advancedAmount,
  finalTransfer,
  type Payout,
  paidByAdvances,
  withNotBefore,
} from '../core/finance.ts';
import { mutateClaim } from './claim-store.ts';

/**
 * Workflow step: an approved claim's payment instruction is queued for finance. When the
 * Art. 31 deadline (15 days from a complete dossier) has already passed, late-payment interest is
 * added to what is paid. A decision the advances paid in full queues a transfer of nothing: no
 * payout line and no payment notice (its `PaymentQueued` says `paidByAdvances`); the claim waits in PAYMENT_QUEUED for the bank to confirm
 * its advances and is then PAID like any other.
 *
 * The payout line is written in the claim's transaction, so a line exists exactly when the claim
 * says PAYMENT_QUEUED, and its hold is the one of the claim that transaction is conditioned on. A
 * referral to the SIU (or a payout-account change) committed meanwhile makes the write conflict and
 * be judged again on the claim that holds it; one committed after it finds the line and holds it.
 * Written separately, a referral between the two writes held nothing and the line went out unheld.
 */
export async function queuePayment(claimId: string, clock: Clock) {
  const claim = await mutateClaim(claimId, clock, async (c) => {
    if (c.status === 'PAYMENT_QUEUED') {
      // A retried task finds the payout already written (and maybe batched or paid): it is left as it
      // is. A claim queued before the line was written with it, by a step that stopped between its
      // two writes, gets its line now, held as the claim is.
      // A transfer of nothing (the advances paid the decision) has no line.
      if (!c.payment || c.payment.amount.amount === 0 || (await getPayout(c.claimId))) return null;
      return { claim: c, events: [], payouts: [finalPayout(c, c.payment)] };
    }
    if (!c.decision || c.decision.outcome === 'reject') {
      throw new DomainError('INVALID_TRANSITION', 'Only an approved claim can be paid');
    }
    assertTransition(c.status, 'PAYMENT_QUEUED');
    const now = clock.now();
    // The latest payment deadline planned is the one in force (an appeal that overturned a rejection
    // plans it again, due when it always was).
    const payment = c.deadlines?.filter((d) => d.kind === 'payment').at(-1);
    // Advances already approved (their own payout lines) come off what the final transfer pays,
    // and late interest runs on what is still owed, not on money the customer already has.
    const owed = c.decision.amount.amount - advancedAmount(c);
    if (owed < 0)
      throw new DomainError('DECISION_BELOW_ADVANCES', 'The advances already approved exceed the decision');
    if (owed === 0) {
      // The advances paid the decision: nothing is transferred and no line is written. The claim is
      // paid when the bank has confirmed the last advance — already (the workflow goes straight on
      // when it parks), or later (the confirmation resumes it, app/finance.ts).
      // Still a PaymentQueued event (amount 0, `paidByAdvances`): it is the transition's record on
      // the timeline and the audit chain, and its reaction cancels every deadline but the payment
      // ones (app/claim-events.ts), so no reminder of the file fires on a decided claim.
      const nothing = { amount: vnd(0), queuedAt: now.toISOString(), dueAt: payment?.dueAt };
      const paidAt = paidByAdvances({ ...c, payment: nothing });
      return {
        claim: { ...c, status: 'PAYMENT_QUEUED', payment: paidAt ? { ...nothing, paidAt } : nothing },
        events: [paymentQueued(c, c.decision.amount, nothing.amount, 0, true)],
      };
    }
    const interest =
      payment && now.getTime() > Date.parse(payment.dueAt)
        ? latePaymentInterest(vnd(owed), new Date(payment.dueAt), now).amount
        : 0;
    const amount = vnd(owed + interest);
    const queuedPayment = { amount, queuedAt: now.toISOString(), dueAt: payment?.dueAt };
    const queued: Claim = { ...c, status: 'PAYMENT_QUEUED', payment: queuedPayment };
    return {
      claim: queued,
      events: [paymentQueued(c, c.decision.amount, amount, interest, false)],
      payouts: [finalPayout(queued, queuedPayment)],
    };
  });
  return { claimId, status: claim.status, amount: claim.payment?.amount.amount ?? 0 };
}

/**
 * The `PaymentQueued` event: what the final transfer pays (`amount`: the decision less the advances,
 * plus late interest), and `paidByAdvances` when the advances paid the decision and nothing is
 * transferred (amount 0; no payment notice, app/notifications.ts).
 */
function paymentQueued(
  c: Claim,
  principal: Money,
  amount: Money,
  interest: number,
  byAdvances: boolean,
): NewEvent {
  return {
    type: 'PaymentQueued',
    actor: SYSTEM,
    data: {
      amount,
      principal,
      advances: vnd(advancedAmount(c)),
      lateInterest: vnd(interest),
      ...(byAdvances ? { paidByAdvances: true } : {}),
      account: {
        bankName: c.report.payoutAccount.bankName,
        accountMask: c.report.payoutAccount.accountMask,
      },
    },
  };
}

/** The final payout line of a claim whose payment is queued, held as the claim is held. */
function finalPayout(claim: Claim, payment: NonNullable<Claim['payment']>): Payout {
  return {
    payoutId: claim.claimId,
    claimId: claim.claimId,
    claimNumber: claim.claimNumber,
    kind: 'final',
    date: businessDate(new Date(payment.queuedAt)),
    amount: payment.amount.amount,
    interest: finalTransfer(claim)?.lateInterest ?? 0,
    // Priced again for the day its bank file is written (pricedForPayment): interest runs to then.
    ...(payment.dueAt
      ? { owed: finalTransfer(claim)?.owed ?? payment.amount.amount, dueAt: payment.dueAt }
      : {}),
    currency: 'VND',
    // Ciphertext + mask, as on the claim; the bank file opens it with revealAccountNumber().
    account: claim.report.payoutAccount,
    queuedAt: payment.queuedAt,
    // An account changed in the last day: not batched before the change's cooling-off ends.
    ...withNotBefore(claim, new Date(payment.queuedAt)),
    status: 'awaiting',
    // A payout-account change waiting for the customer's confirmation, or the SIU, keeps it out of batches.
    ...(claim.paymentHold
      ? { hold: claim.paymentHold }
      : claim.siu && siuHoldsPayment(claim)
        ? { hold: { reason: 'siu_referral' as const, since: claim.siu.referredAt } }
        : {}),
  };
}

/**
 * Workflow step after the bank confirmed the payout (finance imported the confirmation and resumed
 * the workflow): the claim is PAID. `ClaimPaid` meets the Art. 31 payment deadline at this moment,
 * and tells the customer.
 */
export async function recordPayment(claimId: string, clock: Clock) {
  const claim = await mutateClaim(claimId, clock, (c) => {
    if (c.status === 'PAID') return null; // a retried task
    if (!c.payment?.paidAt) {
      throw new DomainError('INVALID_TRANSITION', 'The bank has not confirmed this payment');
    }
    assertTransition(c.status, 'PAID');
    return {
      claim: { ...c, status: 'PAID' },
      events: [
        {
          type: 'ClaimPaid',
          actor: SYSTEM,
          data: { amount: c.payment.amount, paidAt: c.payment.paidAt, batchId: c.payment.batchId },
        },
      ],
    };
  });
  return { claimId, status: claim.status };
}

/** Workflow step: no answer to an information request within the configured period. */
export async function closeForNoResponse(claimId: string, clock: Clock) {
  const claim = await mutateClaim(claimId, clock, (c) => {
    if (c.status === 'CLOSED_NO_RESPONSE') return null;
    assertTransition(c.status, 'CLOSED_NO_RESPONSE');
    const open = c.infoRequests?.find((r) => r.status === 'open');
    return {
      claim: {
        ...c,
        status: 'CLOSED_NO_RESPONSE',
        waitToken: undefined,
        waitingFor: undefined,
        infoRequests: c.infoRequests?.map((r) =>
          r.status === 'open' ? { ...r, status: 'expired' as const } : r,
        ),
      },
      events: [
        { type: 'ClaimClosed', actor: SYSTEM, data: { reason: 'no_response', requestId: open?.requestId } },
      ],
    };
  });
  return { claimId, status: claim.status };
}
