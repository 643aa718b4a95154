import { randomInt } from 'node:crypto';
import { holdPayoutForAccountChange, releasePayoutWithAccount } from '../adapters/dynamo/finance-repo.ts';
import { takeQuotaSlot } from '../adapters/dynamo/quota-repo.ts';
import { getUser } from '../adapters/dynamo/users-repo.ts';
import { sendEmail, sendSms } from '../adapters/notifier.ts';
import { getClaim } from '../adapters/dynamo/claims-repo.ts';
import type { Claim } from '../core/claim.ts';
import { DomainError } from '../core/errors.ts';
import type { Clock } from '../core/time.ts';
import type { Caller as Principal } from '../core/caller.ts';
import { PAYOUT_ACCOUNT_CODE } from '../core/templates.ts';
import { loadOwnClaim, mutateClaim } from './claim-store.ts';
import { MAX_CODE_REQUESTS_PER_DAY, nextCodeCounters } from '../core/payout-account.ts';
import { enteredAccountUnconfirmed } from '../core/payout-account-check.ts';
import { quotaWindow } from '../core/quotas.ts';
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
 * keeping the day's wrong tries; a claim gets at most five codes and five wrong tries a day (the
 * codes counted before one is sent, so a burst of requests sends five at most).
 * The payout is held first, with a conditional write: a batch taking it at that moment makes the
 * request PAYOUT_IN_BATCH before any code is sent or anything stored. The code is sent before the
 * request is stored: a failed send stores nothing and the customer tries again (the day's code it
 * took stays used: a code may have gone out before the failure); a failed store leaves a code that
 * matches nothing; either way the hold this request placed is lifted again.
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

  // Today's codes and wrong tries are bounded: refused before a code is sent.
  const now = clock.now();
  if (nextCodeCounters(claim.payoutAccountChange, now) === 'limit') throw accountChangeLimit(now);
  // Money already with the bank cannot be redirected: the payout leaves the awaiting queue before
  // anything is sent, or the request is refused (PAYOUT_IN_BATCH) with nothing sent or stored.
  const held = await holdPayoutForAccountChange(claimId, now.toISOString());
  let updated: Claim;
  try {
    updated = await sendAndStore(principal, claim, profile, account, clock, now);
  } catch (e) {
    // Nothing stored: the hold this request placed goes (one of an earlier request still pending stays).
    if (held && !claim.payoutAccountChange) await liftUnstoredHold(claimId);
    throw e;
  }
  // No payout line yet: one queued meanwhile, before the claim's hold was stored, is held now
  // (a payout queued from here on takes the claim's hold with it). If a batch took that one first,
  // the request still stands (its code is out): the claim's hold keeps the next payout, and finance
  // sees the change on the claim; the batched transfer goes to the account it was prepared for.
  if (!held)
    await holdPayoutForAccountChange(claimId, now.toISOString()).catch((e: unknown) => {
      if (!(e instanceof DomainError && e.code === 'PAYOUT_IN_BATCH')) throw e;
    });
  return updated;
}

/** The claim as it is now: its account unchanged, its payout held only if something else holds it. */
async function liftUnstoredHold(claimId: string) {
  const c = await getClaim(claimId);
  // An account staff typed in still waits for the customer: the lines stay held for it, as they were.
  if (!c || c.payoutAccountChange || enteredAccountUnconfirmed(c)) return;
  await releasePayoutWithAccount(claimId, c.report.payoutAccount, c.paymentHold !== undefined);
}

async function sendAndStore(
  principal: Principal,
  claim: Claim,
  profile: { email: string; phone?: string },
  account: PlainAccount,
  clock: Clock,
  now: Date,
) {
  const claimId = claim.claimId;
  // One of today's codes is taken before anything is sent: the claim's own counters are checked
  // again only when the request is stored, after the send, so concurrent requests that all passed
  // the first check would each have sent a code (thirty at once, thirty e-mails and SMS).
  const day = quotaWindow(now);
  const slot = await takeQuotaSlot({
    quota: 'accountCodes',
    subject: claimId,
    date: day.date,
    limit: MAX_CODE_REQUESTS_PER_DAY,
    expiresAtEpoch: day.expiresAtEpoch,
  });
  if (!slot.taken) throw accountChangeLimit(now);
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

  return mutateClaim(claimId, clock, (c) => {
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
}
