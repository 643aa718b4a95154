import { randomInt } from 'node:crypto';
import { getPayout, holdPayoutForAccountChange } from '../adapters/dynamo/finance-repo.ts';
import { getUser } from '../adapters/dynamo/users-repo.ts';
import { sendEmail, sendSms } from '../adapters/notifier.ts';
import { DomainError } from '../core/errors.ts';
import type { Clock } from '../core/time.ts';
import type { Caller as Principal } from '../core/caller.ts';
import { PAYOUT_ACCOUNT_CODE } from '../core/templates.ts';
import { loadOwnClaim, mutateClaim } from './claim-store.ts';
import { nextCodeCounters } from '../core/payout-account.ts';
import {
  accountChangeLimit,
  assertAccountMayChange,
  CODE_TTL_MS,
  codeHash,
  maskContact,
} from './payout-account.ts';
import { type PlainAccount, sealPayoutAccount } from './sealed-account.ts';
import { renderShipped } from './templates.ts';

/**
 * The customer asks for the payout to go to another account. A six-digit code goes to the email
 * and phone registered on their customer record (never to an address typed on the claim), and the
 * payment is held until the code comes back. Asking again replaces the pending request and its code,
 * keeping the day's wrong tries; a claim gets at most five codes and five wrong tries a day.
 * The code is sent before anything is stored: a failed send stores nothing and the customer tries
 * again; a failed store leaves a code that matches nothing.
 */
export async function requestPayoutAccountChange(
  principal: Principal,
  claimId: string,
  account: PlainAccount,
  clock: Clock,
) {
  const claim = await loadOwnClaim(principal, claimId);
  assertAccountMayChange(claim);
  const profile = await getUser(principal.userId);
  if (!profile?.email)
    throw new DomainError('CONTACT_NOT_REGISTERED', 'No registered contact to confirm with');

  // Money already with the bank cannot be redirected: refuse before anything is sent.
  const payout = await getPayout(claimId);
  if (payout && (payout.status !== 'awaiting' || payout.batchId))
    throw new DomainError('PAYOUT_IN_BATCH', 'The payout is already with the bank');
  // Today's codes and wrong tries are bounded: refused before a code is sent.
  const now = clock.now();
  if (nextCodeCounters(claim.payoutAccountChange, now) === 'limit') throw accountChangeLimit(now);

  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const sealed = await sealPayoutAccount(claimId, account);
  const data = {
    claimNumber: claim.claimNumber,
    code,
    minutes: CODE_TTL_MS / 60_000,
    account: sealed.accountMask,
    bankName: sealed.bankName,
  };
  const message = await renderShipped(PAYOUT_ACCOUNT_CODE, claim.locale, data);
  await sendEmail(profile.email, message);
  if (profile.phone && message.sms) await sendSms(profile.phone, message.sms);

  const updated = await mutateClaim(claimId, clock, (c) => {
    assertAccountMayChange(c);
    const counters = nextCodeCounters(c.payoutAccountChange, now);
    if (counters === 'limit') throw accountChangeLimit(now);
    return {
      claim: {
        ...c,
        payoutAccountChange: {
          account: sealed,
          codeHash: codeHash(claimId, code),
          requestedAt: now.toISOString(),
          expiresAt: new Date(now.getTime() + CODE_TTL_MS).toISOString(),
          ...counters,
        },
        paymentHold: c.paymentHold ?? { reason: 'payout_account_change', since: now.toISOString() },
      },
      events: [
        {
          type: 'PayoutAccountChangeRequested',
          actor: { kind: 'customer', id: principal.userId },
          data: {
            bankName: sealed.bankName,
            accountMask: sealed.accountMask,
            confirmTo: maskContact(profile.email),
            paymentHeld: true,
          },
        },
      ],
    };
  });
  // A payout already queued leaves the awaiting queue until the customer confirms.
  await holdPayoutForAccountChange(claimId, now.toISOString());
  return updated;
}
