import { describe, expect, it } from 'vitest';
import {
  confirmEnteredAccount,
  confirmedCheck,
  enteredAccountCheck,
} from '../../lambdas/core/payout-account-check.ts';
import { makeClaim } from '../helpers/factories.ts';

const AT = '2026-12-01T03:00:00.000Z';
const LATER = '2026-12-02T03:00:00.000Z';
const DUNG = { id: 'dung', role: 'adjuster' };

/** A claim dung filed with an account he typed: held from the start. */
const filedByStaff = (overrides = {}) =>
  makeClaim({
    ...enteredAccountCheck(DUNG, { email: 'an@example.vn', phone: '0912345678' }, [], AT),
    filedBy: DUNG,
    ...overrides,
  });

describe('a payout account staff typed in', () => {
  it('starts unconfirmed with the payment held; the customer’s own account starts with neither', () => {
    expect(enteredAccountCheck(DUNG, { email: 'an@example.vn' }, [], AT)).toEqual({
      payoutAccountCheck: {
        status: 'unconfirmed',
        enteredBy: DUNG,
        enteredAt: AT,
        registered: { email: 'an@example.vn' },
      },
      paymentHold: { reason: 'payout_account_change', since: AT },
    });
    expect(enteredAccountCheck(undefined, { email: 'an@example.vn' }, [], AT)).toEqual({});
  });

  it('takes the registered contact from the policy file when the customer has no profile', () => {
    const contacts = [
      { phone: '0900000001' },
      { name: 'An', email: 'an@pas.example.vn', phone: '0900000002' },
    ];
    expect(enteredAccountCheck(DUNG, undefined, contacts, AT).payoutAccountCheck?.registered).toEqual({
      email: 'an@pas.example.vn',
      phone: '0900000002',
    });
    expect(enteredAccountCheck(DUNG, undefined, [], AT).payoutAccountCheck).not.toHaveProperty('registered');
  });

  it('once confirmed, lifts the hold it placed and says the lines are to be released', () => {
    const { claim, release } = confirmEnteredAccount(filedByStaff(), { by: 'customer' }, LATER, false);
    expect(release).toBe(true);
    expect(claim.paymentHold).toBeUndefined();
    expect(claim.payoutAccountCheck).toMatchObject({
      status: 'confirmed',
      confirmedBy: 'customer',
      confirmedAt: LATER,
    });
  });

  it('hands the hold to the SIU when the SIU holds the claim', () => {
    const siu = { status: 'referred' as const, referredAt: LATER, reasons: ['STAFF_REFERRAL'], score: 0 };
    const { claim, release } = confirmEnteredAccount(
      filedByStaff({ siu }),
      { by: 'phone', verifiedBy: { id: 'sup', role: 'supervisor' }, note: 'Đã gọi số đăng ký' },
      LATER,
      true,
    );
    expect(release).toBe(true);
    expect(claim.paymentHold).toEqual({ reason: 'siu_referral', since: LATER });
    expect(claim.payoutAccountCheck).toMatchObject({
      confirmedBy: 'phone',
      verifiedBy: { id: 'sup', role: 'supervisor' },
      note: 'Đã gọi số đăng ký',
    });
  });

  it('leaves the hold of an account change the customer asked for, and the lines held', () => {
    const c = filedByStaff({
      payoutAccountChange: {
        account: makeClaim().report.payoutAccount,
        codeHash: 'x',
        requestedAt: AT,
        expiresAt: LATER,
        attempts: 0,
      },
    });
    const { claim, release } = confirmEnteredAccount(c, { by: 'customer' }, LATER, false);
    expect(release).toBe(false);
    expect(claim.paymentHold).toEqual(c.paymentHold);
    expect(claim.payoutAccountCheck?.status).toBe('confirmed');
  });

  it('changes nothing once confirmed, nor on a claim without the check', () => {
    const done = confirmEnteredAccount(filedByStaff(), { by: 'customer' }, LATER, false).claim;
    expect(confirmEnteredAccount(done, { by: 'customer' }, AT, false)).toEqual({
      claim: done,
      release: false,
    });
    const own = makeClaim();
    expect(confirmEnteredAccount(own, { by: 'customer' }, AT, false)).toEqual({ claim: own, release: false });
    expect(confirmedCheck(done.payoutAccountCheck, { by: 'account_change' }, AT)).toBe(
      done.payoutAccountCheck,
    );
  });
});
