import { policyOfClaim } from '../adapters/dynamo/policies-repo.ts';
import { blockingChecks } from '../core/approval-route.ts';
import { assertNoSodViolation } from '../core/controls.ts';
import { DomainError } from '../core/errors.ts';
import { NO_ADVANCE_STATUSES } from '../core/lifecycle.ts';
import { advanceCeiling, advancedAmount, type Payout, payoutIdFor, withNotBefore } from '../core/finance.ts';
import { siuHoldsPayment } from '../core/fraud/siu.ts';
import { vnd } from '../core/money.ts';
import { causeCeiling } from '../core/payout.ts';
import type { AdvancePaymentBody } from '../core/staff-schemas.ts';
import { businessDate, type Clock } from '../core/time.ts';
import type { Caller as Principal } from '../core/caller.ts';
import { loadSodFacts } from './approval-controls.ts';
import { assertHandles } from './assessment.ts';
import { mutateClaim } from './claim-store.ts';
import { loadProduct } from './products.ts';
import { authorityOf, staffActor } from './staff-context.ts';

/**
 * An advance payment (compulsory motor TPL, Decree 67/2023/NĐ-CP Art. 14): the assigned adjuster or
 * a supervisor approves part of the expected compensation before the dossier is complete. It is its
 * own payout line (`<claimId>-A<n>`, bank reference `<claim number>-TU<n>`), written with the claim
 * change, so finance batches it like any payout; its `AdvancePaymentApproved` event meets the
 * product's advance-payment deadline; the final payout deducts it. Only products with an
 * advance-payment deadline allow it. All advances together stay within the case reserve, the limits
 * of the covers that answer the cause, the joint-decision threshold and the assessed payout (before
 * the assessment, the customer's estimate), and within the approver's authority; never on a claim
 * the approver filed or that pays a staff account, nor on a claim the SIU holds (`SIU_PAYMENT_HELD`),
 * nor on one the intake checks referred (`ADVANCE_CHECKS_UNRESOLVED`), nor while a decision waits
 * for approval.
 */
export async function approveAdvancePayment(
  principal: Principal,
  claimId: string,
  body: AdvancePaymentBody,
  clock: Clock,
) {
  const s = await staffActor(principal, ['supervisor', 'adjuster']);
  return mutateClaim(
    claimId,
    clock,
    async (c) => {
      assertHandles(s, c);
      // No money on a claim that may not be covered at all: the intake checks that referred it stand
      // until a decision overrides them (on a supervisor's word), whatever its status meanwhile.
      const blocking = blockingChecks(c.checks);
      if (blocking.length > 0)
        throw new DomainError(
          'ADVANCE_CHECKS_UNRESOLVED',
          'The intake checks referred this claim; no advance before it is decided',
          { checks: blocking },
        );
      if (NO_ADVANCE_STATUSES.includes(c.status))
        throw new DomainError('INVALID_TRANSITION', 'An advance is only for a claim still being settled');
      // No money leaves for a claim the SIU has not cleared: not even part of it in advance.
      if (siuHoldsPayment(c))
        throw new DomainError(
          'SIU_PAYMENT_HELD',
          'The claim is with the SIU; no advance until it is cleared',
        );
      const product = await loadProduct(c.productCode);
      if (!product?.deadlines.some((d) => d.kind === 'advance_payment'))
        throw new DomainError('ADVANCE_NOT_AVAILABLE', 'This product has no advance payment');
      const policy = await policyOfClaim(c);
      if (!policy) throw new DomainError('POLICY_NOT_FOUND', 'The policy is missing');
      const reserve = c.classification?.reserve.amount ?? 0;
      // What the advances add up to stays within what the claim is shown to be worth and what one
      // person may pay (core/finance.ts `advanceCeiling`).
      const ceiling = advanceCeiling(c, {
        coverLimit: causeCeiling(policy.covers, c.report.cause),
        jointThreshold: product.jointDecision?.threshold,
      });
      const left = ceiling.amount - advancedAmount(c);
      if (body.amount > left) {
        throw new DomainError(
          'VALIDATION_FAILED',
          'The advance exceeds what the claim may be paid in advance',
          {
            fields: [{ path: 'amount', code: 'too_big', message: `at most ${Math.max(0, left)}` }],
            ceiling: ceiling.code,
          },
        );
      }
      // Authority and the four-eyes amount bound what the claim's advances add up to, this one
      // included: an approver cannot pay out past their limit in instalments.
      const total = advancedAmount(c) + body.amount;
      if (total > authorityOf(s))
        throw new DomainError('AUTHORITY_LIMIT_EXCEEDED', 'The advances exceed your authority limit', {
          limit: authorityOf(s),
          amount: total,
          advanced: advancedAmount(c),
        });
      assertNoSodViolation(await loadSodFacts(c, product), s.principal.userId, total);

      const now = clock.now().toISOString();
      const n = (c.advances?.length ?? 0) + 1;
      const payout: Payout = {
        payoutId: payoutIdFor(c.claimId, n),
        claimId: c.claimId,
        claimNumber: c.claimNumber,
        kind: 'advance',
        amount: body.amount,
        interest: 0,
        currency: 'VND',
        account: c.report.payoutAccount,
        queuedAt: now,
        ...withNotBefore(c, clock.now()),
        date: businessDate(new Date(now)),
        status: 'awaiting',
        ...(c.paymentHold ? { hold: c.paymentHold } : {}),
      };
      return {
        claim: {
          ...c,
          advances: [
            ...(c.advances ?? []),
            {
              n,
              amount: vnd(body.amount),
              note: body.note,
              approvedAt: now,
              approvedBy: { id: s.principal.userId, role: s.role },
            },
          ],
        },
        events: [
          {
            type: 'AdvancePaymentApproved',
            actor: s.actor,
            data: { amount: vnd(body.amount), advance: n, note: body.note, reserve: vnd(reserve) },
          },
        ],
        payouts: [payout],
      };
    },
    body.expectedVersion,
  );
}
