import { describe, expect, it } from 'vitest';
import type { Claim, SiuCase } from '../../lambdas/core/claim.ts';
import { sodFacts, sodViolation } from '../../lambdas/core/controls.ts';
import { DomainError } from '../../lambdas/core/errors.ts';
import {
  claimInvolvement,
  closeInvestigation,
  referForControl,
  referOnScore,
  siuCloserInvolvement,
  siuHoldsPayment,
  siuLabel,
  standingConfirmation,
} from '../../lambdas/core/fraud/siu.ts';
import { makeClaim } from '../helpers/factories.ts';

const A = { id: 'u-siu-a', role: 'siu' };
const B = { id: 'u-siu-b', role: 'siu' };
const C = { id: 'u-siu-c', role: 'siu' };
const none = { payoutAccountOfStaff: [], contactOfStaff: [] };

/** Referred on the score, confirmed by A. */
const confirmedByA = (): SiuCase =>
  closeInvestigation(
    { status: 'referred', referredAt: '2026-03-01T01:00:00.000Z', reasons: ['RED_FLAGS'], score: 0.7 },
    'confirmed',
    'Hoá đơn giả',
    A,
    '2026-03-02T01:00:00.000Z',
  );

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return e instanceof DomainError ? e.code : 'not a DomainError';
  }
  return undefined;
};

describe('a confirmed finding', () => {
  it('survives a referral: the closed case moves to the history and still holds the payment', () => {
    const again = referForControl(confirmedByA(), 'STAFF_REFERRAL', 0.7, '2026-03-03T01:00:00.000Z', A);
    expect(again).toMatchObject({ status: 'referred', referredBy: [A], reasons: ['STAFF_REFERRAL'] });
    expect(again.history).toEqual([
      expect.objectContaining({ status: 'closed', outcome: 'confirmed', closedBy: A, note: 'Hoá đơn giả' }),
    ]);
    expect(standingConfirmation(again)).toMatchObject({ closedBy: A });
    expect(siuHoldsPayment({ siu: again })).toBe(true);
    expect(siuLabel({ siu: again })).toBe(1);
  });

  it('is not overturned by whoever confirmed it, nor by whoever referred the claim again', () => {
    const byB = referForControl(confirmedByA(), 'STAFF_REFERRAL', 0.7, '2026-03-03T01:00:00.000Z', B);
    const at = '2026-03-04T01:00:00.000Z';
    expect(codeOf(() => closeInvestigation(byB, 'cleared', 'Tôi nhầm', A, at))).toBe('SOD_OWN_CASE');
    expect(codeOf(() => closeInvestigation(byB, 'cleared', 'Đã xác minh', B, at))).toBe('SOD_OWN_CASE');
    // The repeat of the audit's case: A confirms, A refers again, A clears.
    const byA = referForControl(confirmedByA(), 'STAFF_REFERRAL', 0.7, at, A);
    expect(codeOf(() => closeInvestigation(byA, 'cleared', 'Xong', A, at))).toBe('SOD_OWN_CASE');
  });

  it('is overturned by a third reviewer, recorded on the case, and the label and hold follow', () => {
    const byB = referForControl(confirmedByA(), 'STAFF_REFERRAL', 0.7, '2026-03-03T01:00:00.000Z', B);
    const cleared = closeInvestigation(byB, 'cleared', 'Hoá đơn thật', C, '2026-03-05T01:00:00.000Z');
    expect(cleared.overturned).toEqual({ closedAt: '2026-03-02T01:00:00.000Z', closedBy: A });
    expect(standingConfirmation(cleared)).toBeUndefined();
    expect(siuHoldsPayment({ siu: cleared })).toBe(false);
    expect(siuLabel({ siu: cleared })).toBe(0);
  });

  it('stands through a cleared case that did not overturn it', () => {
    // No such case is written (closeInvestigation overturns or refuses), but one read back is judged safely.
    const forged: SiuCase = {
      status: 'closed',
      referredAt: '2026-03-03T01:00:00.000Z',
      reasons: ['STAFF_REFERRAL'],
      score: 0.7,
      outcome: 'cleared',
      closedBy: A,
      closedAt: '2026-03-04T01:00:00.000Z',
      history: [confirmedByA()],
    };
    expect(siuHoldsPayment({ siu: forged })).toBe(true);
    expect(siuLabel({ siu: forged })).toBe(1);
  });
});

describe('who may close a case of a claim the SIU had before', () => {
  it('is neither an earlier closer nor anyone who referred it by hand', () => {
    const again = referForControl(confirmedByA(), 'STAFF_REFERRAL', 0.7, '2026-03-03T01:00:00.000Z', B);
    const c = makeClaim({ siu: again });
    expect(siuCloserInvolvement(c, A.id, none)).toEqual(['closed_before']);
    expect(siuCloserInvolvement(c, B.id, none)).toEqual(['referred']);
    expect(siuCloserInvolvement(c, C.id, none)).toEqual([]);
  });

  it('keeps each hand referral of an open case once', () => {
    const open: SiuCase = {
      status: 'referred',
      referredAt: '2026-03-01T01:00:00.000Z',
      reasons: ['RED_FLAGS'],
      score: 0.7,
    };
    const once = referForControl(open, 'STAFF_REFERRAL', 0.7, '2026-03-02T01:00:00.000Z', B);
    const twice = referForControl(once, 'STAFF_REFERRAL', 0.7, '2026-03-03T01:00:00.000Z', B);
    expect(twice).toEqual({ ...open, reasons: ['RED_FLAGS', 'STAFF_REFERRAL'], referredBy: [B] });
    expect(referForControl(twice, 'STAFF_PAYOUT_ACCOUNT', 0.7, '2026-03-04T01:00:00.000Z')).toMatchObject({
      referredBy: [B],
      reasons: ['RED_FLAGS', 'STAFF_REFERRAL', 'STAFF_PAYOUT_ACCOUNT'],
    });
  });
});

describe('the training label', () => {
  it('is 0 once cleared, and no label before any case closed', () => {
    const referred: SiuCase = {
      status: 'referred',
      referredAt: '2026-03-01T01:00:00.000Z',
      reasons: ['RED_FLAGS'],
      score: 0.7,
    };
    expect(siuLabel({ siu: referred })).toBeNull();
    expect(siuLabel({ siu: undefined })).toBeNull();
    const cleared = closeInvestigation(referred, 'cleared', 'Đã xác minh', A, '2026-03-02T01:00:00.000Z');
    expect(siuLabel({ siu: cleared })).toBe(0);
  });
});

describe('a new score on a claim the SIU had', () => {
  const flags = (...codes: string[]) => codes.map((code) => ({ code }));
  const referred: SiuCase = {
    status: 'referred',
    referredAt: '2026-03-01T01:00:00.000Z',
    reasons: ['RED_FLAGS', 'REPEAT_CLAIMANT', 'CLAIM_CLUSTER', 'SHARED_ATTRIBUTE'],
    score: 0.41,
  };
  const seen = { flags: ['REPEAT_CLAIMANT', 'CLAIM_CLUSTER', 'SHARED_ATTRIBUTE'], score: 0.41 };
  const cleared = closeInvestigation(referred, 'cleared', 'Đã xác minh', A, '2026-03-02T01:00:00.000Z', seen);
  const at = '2026-03-05T01:00:00.000Z';
  const refers = (...codes: string[]) => ({
    refer: true,
    reasons: ['RED_FLAGS'],
    flags: flags(...codes),
    score: 0.5,
  });

  it('records on the cleared case the flags and score it was cleared with', () => {
    expect(cleared).toMatchObject({ flagsAtClose: seen.flags, scoreAtClose: 0.41 });
  });

  it('refers a cleared claim again for a red flag it did not carry when cleared, keeping the cleared case', () => {
    const r = referOnScore(
      cleared,
      refers('REPEAT_CLAIMANT', 'CLAIM_CLUSTER', 'SHARED_ATTRIBUTE', 'PAYOUT_ACCOUNT_CHANGED'),
      at,
    );
    expect(r?.newFlags).toEqual(['PAYOUT_ACCOUNT_CHANGED']);
    expect(r?.siu).toMatchObject({
      status: 'referred',
      referredAt: at,
      score: 0.5,
      reasons: expect.arrayContaining(['RED_FLAGS', 'PAYOUT_ACCOUNT_CHANGED']),
      history: [expect.objectContaining({ outcome: 'cleared', closedBy: A })],
    });
    expect(siuHoldsPayment({ siu: r?.siu })).toBe(true);
  });

  it('leaves a cleared claim alone when the flags are the ones it was cleared with, or fewer', () => {
    expect(
      referOnScore(cleared, refers('REPEAT_CLAIMANT', 'CLAIM_CLUSTER', 'SHARED_ATTRIBUTE'), at),
    ).toBeUndefined();
    expect(referOnScore(cleared, refers('SHARED_ATTRIBUTE'), at)).toBeUndefined();
    // A new flag below the referral bar is shown to staff, not referred.
    expect(
      referOnScore(cleared, { ...refers('LATE_REPORTING'), refer: false, reasons: [] }, at),
    ).toBeUndefined();
  });

  it('counts the referral reasons of a case cleared before the flags were kept', () => {
    const { flagsAtClose: _f, scoreAtClose: _s, ...old } = cleared;
    expect(referOnScore(old, refers('REPEAT_CLAIMANT', 'SHARED_ATTRIBUTE'), at)).toBeUndefined();
    expect(referOnScore(old, refers('REPEAT_CLAIMANT', 'LATE_REPORTING'), at)?.newFlags).toEqual([
      'LATE_REPORTING',
    ]);
  });

  it('refers a claim never referred, and leaves an open case or a standing confirmation as they are', () => {
    expect(referOnScore(undefined, refers('REPEAT_CLAIMANT'), at)?.siu).toEqual({
      status: 'referred',
      referredAt: at,
      reasons: ['RED_FLAGS', 'REPEAT_CLAIMANT'],
      score: 0.5,
    });
    expect(referOnScore(referred, refers('LATE_REPORTING'), at)).toBeUndefined();
    expect(referOnScore(confirmedByA(), refers('LATE_REPORTING'), at)).toBeUndefined();
  });
});

describe('segregation of duties around the SIU', () => {
  const investigated = (): SiuCase => {
    const referred: SiuCase = {
      status: 'referred',
      referredAt: '2026-03-01T01:00:00.000Z',
      reasons: ['RED_FLAGS'],
      score: 0.7,
    };
    const started = {
      ...referred,
      status: 'investigating' as const,
      investigator: B,
      startedAt: referred.referredAt,
    };
    return closeInvestigation(started, 'cleared', 'Đã xác minh', C, '2026-03-02T01:00:00.000Z');
  };

  it('keeps whoever investigated or cleared the case from approving its payment', () => {
    const c = makeClaim({ siu: investigated() });
    const facts = sodFacts(c, [], undefined, undefined);
    expect(facts.siuReviewers).toEqual([B.id, C.id]);
    expect(sodViolation(facts, B.id, 1_000_000)?.code).toBe('SOD_SIU_REVIEWER');
    expect(sodViolation(facts, C.id, 1_000_000)?.code).toBe('SOD_SIU_REVIEWER');
    expect(sodViolation(facts, 'u-sup', 1_000_000)).toBeUndefined();
    // An earlier case's reviewers too, after the claim was referred again.
    const again = makeClaim({
      siu: referForControl(investigated(), 'STAFF_REFERRAL', 0.7, '2026-03-03T01:00:00.000Z'),
    });
    expect(sodFacts(again, [], undefined, undefined).siuReviewers).toEqual([B.id, C.id]);
  });

  it('names the SIU work among the ways a post-auditor worked on the claim', () => {
    const c = makeClaim({ siu: investigated() });
    expect(claimInvolvement(c, B.id, none)).toEqual(['siu_investigated']);
    expect(claimInvolvement(c, C.id, none)).toEqual(['siu_closed']);
    expect(claimInvolvement(c, 'u-sup', none)).toEqual([]);
    // The investigator of the case being closed may close it (the SIU's own step), not review its payment.
    expect(
      siuCloserInvolvement({ ...c, siu: { ...investigated(), status: 'investigating' } }, B.id, none),
    ).toEqual([]);
  });

  it('remembers an assessor whose assessment a re-assessment replaced', () => {
    const reassessed = makeClaim({
      assessors: ['u-first', 'u-second'],
      assessment: {
        input: {},
        payable: { amount: 1, currency: 'VND' },
        totalLoss: false,
        steps: [],
        recordedAt: '2026-03-02T01:00:00.000Z',
        recordedBy: { id: 'u-second', role: 'adjuster' },
        method: 'adjuster',
      },
    } as Partial<Claim>);
    expect(siuCloserInvolvement(reassessed, 'u-first', none)).toEqual(['assessed']);
    expect(claimInvolvement(reassessed, 'u-second', none)).toEqual(['assessed']);
  });
});
