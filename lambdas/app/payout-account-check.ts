import { getClaim } from '../adapters/dynamo/claims-repo.ts';
import { holdPayoutForSiu, releasePayoutWithAccount } from '../adapters/dynamo/finance-repo.ts';
import { listStaff } from '../adapters/dynamo/users-repo.ts';
import type { Claim } from '../core/claim.ts';
import type { Caller as Principal } from '../core/caller.ts';
import { SegregationOfDutiesError } from '../core/controls.ts';
import { DomainError } from '../core/errors.ts';
import type { Actor } from '../core/events.ts';
import { payoutNotBefore } from '../core/finance.ts';
import { claimInvolvement, siuHoldsPayment } from '../core/fraud/siu.ts';
import { type AccountConfirmation, confirmEnteredAccount } from '../core/payout-account-check.ts';
import type { VerifyPayoutAccountBody } from '../core/staff-schemas.ts';
import type { Clock } from '../core/time.ts';
import { loadSodFacts } from './approval-controls.ts';
import { type Change, mutateClaim } from './claim-store.ts';
import { staffActor } from './staff-context.ts';

/**
 * The payout account staff typed in is confirmed (core/payout-account-check.ts): by the customer,
 * signed in, on their claim, or by a supervisor who verified it with them at the registered phone.
 * The check and the claim's hold change in one write with a `PayoutAccountConfirmed` event; then
 * the payout lines held for the account go back to finance's queue (as an account change confirmed
 * does, releasePayoutWithAccount), or stay held for the SIU when it holds the claim. A hold placed
 * by something else (the SIU, an account change the customer asked for) stays.
 */

/** POST /claims/{claimId}/payout-account/accept: the customer says the account on the claim is theirs. */
export async function acceptPayoutAccount(principal: Principal, claimId: string, clock: Clock) {
  return confirmAccount(
    claimId,
    clock,
    { kind: 'customer', id: principal.userId },
    { by: 'customer' },
    (c) => {
      // Someone else's claim reads as not found, as everywhere a customer names a claim.
      if (!principal.customerId || c.customerId !== principal.customerId)
        throw new DomainError('CLAIM_NOT_FOUND', 'Claim not found');
    },
  );
}

/**
 * POST /claims/{claimId}/payout-account/verify: a supervisor records that they called the customer
 * at the phone registered on their record and the customer confirmed the account, with a note of the
 * call. Only a supervisor who did not work on the claim (`claimInvolvement`: filed, handled,
 * assessed, decided, approved an advance, investigated it for the SIU…; SOD_OWN_VERIFICATION),
 * never for an account that is a staff member's (SOD_STAFF_PAYOUT_ACCOUNT: that is for the SIU),
 * and only when there is a registered phone to call (CONTACT_NOT_REGISTERED).
 */
export async function verifyPayoutAccount(
  principal: Principal,
  claimId: string,
  body: VerifyPayoutAccountBody,
  clock: Clock,
) {
  const s = await staffActor(principal, ['supervisor']);
  // The staff directory once: a retried write (version conflict) judges the claim again, not the list.
  const people = await listStaff();
  return confirmAccount(
    claimId,
    clock,
    s.actor,
    { by: 'phone', verifiedBy: { id: principal.userId, role: s.role }, note: body.note },
    async (c) => {
      // Nothing to verify is said before who may verify it.
      if (c.payoutAccountCheck?.status !== 'unconfirmed') throw nothingToConfirm();
      const facts = await loadSodFacts(c, undefined, people);
      const involvement = claimInvolvement(c, principal.userId, facts);
      if (involvement.length > 0)
        throw new DomainError(
          'SOD_OWN_VERIFICATION',
          'You worked on this claim; another supervisor must verify its payout account',
          { involvement },
        );
      if (facts.payoutAccountOfStaff.length > 0)
        throw new SegregationOfDutiesError(
          'SOD_STAFF_PAYOUT_ACCOUNT',
          'The payout account belongs to a member of staff',
          { staffIds: facts.payoutAccountOfStaff },
        );
      if (!c.payoutAccountCheck?.registered?.phone)
        throw new DomainError('CONTACT_NOT_REGISTERED', 'No registered phone to verify the account at');
    },
    body.expectedVersion,
  );
}

const nothingToConfirm = () =>
  new DomainError('PAYOUT_ACCOUNT_ALREADY_CONFIRMED', 'No payout account waits for confirmation');

async function confirmAccount(
  claimId: string,
  clock: Clock,
  actor: Actor,
  how: AccountConfirmation,
  allowed: (c: Claim) => void | Promise<void>,
  expectedVersion?: number,
) {
  let release = false;
  const updated = await mutateClaim(
    claimId,
    clock,
    async (c): Promise<Change> => {
      await allowed(c);
      if (c.payoutAccountCheck?.status !== 'unconfirmed') throw nothingToConfirm();
      const now = clock.now().toISOString();
      const next = confirmEnteredAccount(c, how, now, siuHoldsPayment(c));
      release = next.release;
      const account = c.report.payoutAccount;
      return {
        claim: next.claim,
        events: [
          {
            type: 'PayoutAccountConfirmed',
            actor,
            data: {
              by: how.by,
              bankName: account.bankName,
              accountMask: account.accountMask,
              ...(how.by === 'phone' ? { note: how.note } : {}),
              paymentReleased: next.release && next.claim.paymentHold === undefined,
            },
          },
        ],
      };
    },
    expectedVersion,
  );
  if (release) await releaseHeldPayouts(updated, clock);
  return updated;
}

/**
 * The lines held for the account go back to the queue, to the account as the claim has it (or stay
 * held for the SIU when the claim's hold is now its). A referral committed between the claim's write
 * and this found them held for the account and left them so, and this released them: they are held
 * for the SIU again.
 */
async function releaseHeldPayouts(c: Claim, clock: Clock) {
  await releasePayoutWithAccount(
    c.claimId,
    c.report.payoutAccount,
    c.paymentHold !== undefined,
    payoutNotBefore(c, clock.now()),
  );
  if (c.paymentHold) return;
  const now = await getClaim(c.claimId);
  if (now?.siu && siuHoldsPayment(now)) await holdPayoutForSiu(c.claimId, now.siu.referredAt);
}
