import { siuQueueEntry } from '../adapters/dynamo/fraud-repo.ts';
import { createHash, timingSafeEqual } from 'node:crypto';
import { getClaim } from '../adapters/dynamo/claims-repo.ts';
import { releasePayoutWithAccount } from '../adapters/dynamo/finance-repo.ts';
import { listStaff } from '../adapters/dynamo/users-repo.ts';
import type { Claim, ClaimStatus } from '../core/claim.ts';
import { referForControl, siuHoldsPayment } from '../core/fraud/siu.ts';
import { SYSTEM } from '../core/events.ts';
import { DomainError } from '../core/errors.ts';
import { payoutNotBefore } from '../core/finance.ts';
import { codeLocked, MAX_CODE_ATTEMPTS, type MaskedBankAccount } from '../core/payout-account.ts';
import { confirmedCheck } from '../core/payout-account-check.ts';
import { quotaWindow } from '../core/quotas.ts';
import type { Clock } from '../core/time.ts';
import type { Caller as Principal } from '../core/caller.ts';
import { staffFacts } from './approval-controls.ts';
import { loadOwnClaim, mutateClaim } from './claim-store.ts';
import { staffActor } from './staff-context.ts';
import { revealAccountNumber } from './sealed-account.ts';

export {
  accountFingerprintOf,
  fingerprintedAccount,
  revealAccountNumber,
  sealPayoutAccount,
  sealReport,
} from './sealed-account.ts';

export interface RevealedAccount extends MaskedBankAccount {
  accountNumber: string;
}

/**
 * POST /claims/{claimId}/payout-account/reveal: finance sees the full number to pay it. Every
 * reveal is recorded as `PayoutAccountRevealed` on the claim's hash-chained events (who, in which
 * role; never the number). The number is decrypted before the audit event is written and returned
 * only after it is, so no reveal goes unrecorded.
 */
export async function revealPayoutAccount(
  principal: Principal,
  claimId: string,
  clock: Clock,
): Promise<RevealedAccount> {
  const staff = await staffActor(principal, ['finance']);
  const claim = await getClaim(claimId);
  if (!claim) throw new DomainError('CLAIM_NOT_FOUND', 'Claim not found');
  const account = claim.report.payoutAccount;
  const accountNumber = await revealAccountNumber(claimId, account);
  await mutateClaim(claimId, clock, (c) => ({
    claim: c,
    events: [
      {
        type: 'PayoutAccountRevealed',
        actor: staff.actor,
        data: { accountMask: account.accountMask, bankName: account.bankName },
      },
    ],
    recordsReadOnly: true,
  }));
  return {
    bankName: account.bankName,
    accountHolder: account.accountHolder,
    accountMask: account.accountMask,
    accountNumber,
  };
}

// ---------------------------------------------------------------------------------------------
// Changing the payout account after submission: the customer's confirmation through the contact
// registered on their customer record, and the payment held until then. The request, which sends
// the code, is app/payout-account-request.ts: only it bundles the message renderer and notifier.
// ---------------------------------------------------------------------------------------------

/** How long a confirmation code is good for. */
export const CODE_TTL_MS = 15 * 60_000;

/** Today's codes or wrong tries are used up: 429 until midnight in Vietnam, the payment still held. */
export function accountChangeLimit(now: Date): DomainError {
  const w = quotaWindow(now);
  return new DomainError('ACCOUNT_CHANGE_LIMIT', 'Too many codes or wrong codes today on this claim', {
    limit: MAX_CODE_ATTEMPTS,
    retryAfterSeconds: w.retryAfterSeconds,
    resetsAt: w.resetsAt.toISOString(),
  });
}
/** Once money may already be on its way, the account cannot change under it. */
const ACCOUNT_FROZEN: readonly ClaimStatus[] = ['PAID', 'CLOSED', 'CLOSED_NO_RESPONSE', 'REJECTED'];

export const codeHash = (claimId: string, code: string) =>
  createHash('sha256').update(`${claimId}\u0000${code}`).digest('hex');

/** The customer enters the code: the new account replaces the old one and the hold is lifted. */
export async function confirmPayoutAccountChange(
  principal: Principal,
  claimId: string,
  code: string,
  clock: Clock,
) {
  await loadOwnClaim(principal, claimId); // only the customer whose claim it is confirms
  // Staff bank accounts (everyone in the directory, active or not): money is never sent to one on
  // a customer's say-so, whatever the claim's state (core/controls.ts SOD_STAFF_PAYOUT_ACCOUNT).
  const staffAccounts = new Set(
    staffFacts(await listStaff()).flatMap((s) =>
      s.bankAccountFingerprint ? [s.bankAccountFingerprint] : [],
    ),
  );
  let outcome = 'wrong' as 'confirmed' | 'wrong' | 'expired' | 'locked';
  const updated = await mutateClaim(claimId, clock, (c) => {
    const pending = c.payoutAccountChange;
    if (!pending) throw new DomainError('NO_PENDING_ACCOUNT_CHANGE', 'No account change is waiting');
    assertAccountMayChange(c);
    const now = clock.now();
    if (codeLocked(pending, now)) {
      outcome = 'locked';
      return null;
    }
    if (now.getTime() > Date.parse(pending.expiresAt) || pending.attempts >= MAX_CODE_ATTEMPTS) {
      outcome = 'expired';
      return null;
    }
    const given = Buffer.from(codeHash(claimId, code));
    if (!timingSafeEqual(given, Buffer.from(pending.codeHash))) {
      outcome = 'wrong';
      return {
        claim: { ...c, payoutAccountChange: { ...pending, attempts: pending.attempts + 1 } },
        events: [],
      };
    }
    outcome = 'confirmed';
    const { payoutAccountChange: _done, paymentHold: hold, ...rest } = c;
    // The new account is a staff member's: the change stands (it is what the customer confirmed)
    // but the claim goes to the SIU and its payment stays held until the SIU clears it.
    const fingerprint = pending.account.accountFingerprint;
    const toStaff = fingerprint !== undefined && staffAccounts.has(fingerprint);
    const siu = toStaff
      ? referForControl(c.siu, 'STAFF_PAYOUT_ACCOUNT', c.fraud?.score ?? 0, now.toISOString())
      : c.siu;
    const referred = toStaff && (!c.siu || c.siu.status === 'closed');
    return {
      claim: {
        ...rest,
        ...(siu ? { siu } : {}),
        report: { ...c.report, payoutAccount: pending.account },
        payoutAccountChangedAt: now.toISOString(),
        // An account staff typed in and the customer has now replaced through their registered
        // contact: the account is the customer's word, the hold that check placed goes with this one.
        ...(c.payoutAccountCheck
          ? {
              payoutAccountCheck: confirmedCheck(
                c.payoutAccountCheck,
                { by: 'account_change' },
                now.toISOString(),
              ),
            }
          : {}),
        ...(hold && hold.reason !== 'payout_account_change'
          ? { paymentHold: hold }
          : siuHoldsPayment({ siu })
            ? { paymentHold: { reason: 'siu_referral' as const, since: now.toISOString() } }
            : {}),
      },
      ...(toStaff && siu
        ? {
            siuCases: [siuQueueEntry(c, siu)],
          }
        : {}),
      events: [
        {
          type: 'PayoutAccountChanged',
          actor: { kind: 'customer', id: principal.userId },
          data: {
            from: {
              bankName: c.report.payoutAccount.bankName,
              accountMask: c.report.payoutAccount.accountMask,
            },
            to: { bankName: pending.account.bankName, accountMask: pending.account.accountMask },
            confirmedAt: now.toISOString(),
          },
        },
        ...(referred
          ? [{ type: 'ClaimReferredToSiu' as const, actor: SYSTEM, data: { reasons: siu?.reasons ?? [] } }]
          : []),
      ],
    };
  });
  if (outcome === 'locked') throw accountChangeLimit(clock.now());
  if (outcome === 'expired')
    throw new DomainError('CONFIRMATION_CODE_EXPIRED', 'The code has expired; ask for a new one');
  if (outcome === 'wrong') throw new DomainError('CONFIRMATION_CODE_WRONG', 'The code does not match');
  // Paid to the new account only after the cooling-off, which every registered contact is told of.
  await releasePayoutWithAccount(
    claimId,
    updated.report.payoutAccount,
    updated.paymentHold !== undefined,
    payoutNotBefore(updated, clock.now()),
  );
  return updated;
}

export function assertAccountMayChange(c: Claim) {
  if (ACCOUNT_FROZEN.includes(c.status))
    throw new DomainError('INVALID_TRANSITION', 'The payout account can no longer change on this claim');
}

/** `n•••@example.com`: enough for the customer to know where to look, not a harvestable address. */
export function maskContact(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}•••@${domain}`;
}
