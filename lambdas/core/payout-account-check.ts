import type { Claim } from './claim.ts';

/**
 * A payout account typed in by a member of staff (a claim filed for the customer by phone, or made
 * from an e-mail whose account staff entered or that did not come, authenticated, from the
 * customer's registered address) is not the customer's word: a colleague could type an
 * accomplice's account and the claim would pay it. Such a claim is stored with this check
 * `unconfirmed` and its payment held, in the write that creates it, until the customer confirms
 * the account (signed in, on their claim), a supervisor who did not work on the claim verifies it
 * with the customer at the registered phone, or the customer replaces it through the code sent to
 * their registered contact (the account change of app/payout-account.ts).
 *
 * The hold is the claim's `paymentHold` with reason `payout_account_change` — "the payout account
 * waits for the customer's confirmation" — the reason the payout lines and finance-repo already
 * know how to hold and to release to the confirmed account (releasePayoutWithAccount); a reason of
 * its own would be copied onto the payout lines (app/payment.ts) and nothing would lift it there.
 * While this check is unconfirmed the claim's hold is that one; the check, not the reason, says
 * why (an account change asked for is `payoutAccountChange`).
 */
export interface PayoutAccountCheck {
  status: 'unconfirmed' | 'confirmed';
  /** The member of staff who typed the account (who filed the claim). */
  enteredBy: { id: string; role: string };
  enteredAt: string;
  /**
   * The customer's contact as registered when the claim was filed (their profile, else the policy
   * file): where they are told of the account, and the phone a supervisor verifies it at.
   */
  registered?: { email?: string; phone?: string };
  confirmedAt?: string;
  /** `customer`: confirmed signed in; `phone`: verified by a supervisor; `account_change`: replaced by the customer. */
  confirmedBy?: 'customer' | 'phone' | 'account_change';
  /** The supervisor who verified it by phone, and their note of the call. */
  verifiedBy?: { id: string; role: string };
  note?: string;
}

/** How the customer's confirmation came. */
export type AccountConfirmation =
  | { by: 'customer' }
  | { by: 'phone'; verifiedBy: { id: string; role: string }; note: string }
  | { by: 'account_change' };

/**
 * The check and hold a new claim starts with: none when the customer typed the account (or the
 * account came from their authenticated registered address); else unconfirmed, the payment held.
 */
export function enteredAccountCheck(
  enteredBy: { id: string; role: string } | undefined,
  /** The profile's contact, else the policy file's contacts (the first with an e-mail first). */
  registered: { email?: string; phone?: string } | undefined,
  policyContacts: readonly { email?: string; phone?: string }[],
  at: string,
): Pick<Claim, 'payoutAccountCheck' | 'paymentHold'> {
  if (!enteredBy) return {};
  const r = registered ?? policyContacts.find((p) => p.email) ?? policyContacts[0];
  return {
    payoutAccountCheck: {
      status: 'unconfirmed',
      enteredBy,
      enteredAt: at,
      ...(r?.email || r?.phone
        ? { registered: { ...(r.email ? { email: r.email } : {}), ...(r.phone ? { phone: r.phone } : {}) } }
        : {}),
    },
    paymentHold: { reason: 'payout_account_change', since: at },
  };
}

/**
 * The claim once the account staff entered is confirmed: the check `confirmed`, and the hold it
 * placed lifted — unless something else holds the money too. An account change the customer asked
 * for and has not confirmed keeps the hold as it is (its code lifts it); a referral the SIU has not
 * cleared (`siuHolds`) makes it the SIU's. `release` tells whether the payout lines' account hold is
 * to be lifted (they stay held for the SIU when `paymentHold` is still set).
 */
export function confirmEnteredAccount(
  c: Claim,
  how: AccountConfirmation,
  at: string,
  siuHolds: boolean,
): { claim: Claim; release: boolean } {
  const check = c.payoutAccountCheck;
  if (!check || check.status === 'confirmed') return { claim: c, release: false };
  const confirmed = confirmedCheck(check, how, at);
  const ownHold = c.paymentHold?.reason === 'payout_account_change' && !c.payoutAccountChange;
  if (!ownHold) return { claim: { ...c, payoutAccountCheck: confirmed }, release: false };
  const { paymentHold: _lifted, ...rest } = c;
  return {
    claim: {
      ...rest,
      payoutAccountCheck: confirmed,
      ...(siuHolds && c.siu ? { paymentHold: { reason: 'siu_referral', since: c.siu.referredAt } } : {}),
    },
    release: true,
  };
}

/** The check once confirmed (as it was when there is none or it is confirmed already). */
export function confirmedCheck<T extends PayoutAccountCheck | undefined>(
  check: T,
  how: AccountConfirmation,
  at: string,
): T {
  if (!check || check.status === 'confirmed') return check;
  return {
    ...check,
    status: 'confirmed',
    confirmedAt: at,
    confirmedBy: how.by,
    ...(how.by === 'phone' ? { verifiedBy: how.verifiedBy, note: how.note } : {}),
  };
}

/**
 * The staff-entered account is still waiting for the customer: the claim's payment hold stays
 * whatever else lifts (the SIU clearing it, an account change confirmed elsewhere keeps its own).
 */
export const enteredAccountUnconfirmed = (c: Pick<Claim, 'payoutAccountCheck'>): boolean =>
  c.payoutAccountCheck?.status === 'unconfirmed';
