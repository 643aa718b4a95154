import { describe, expect, it } from 'vitest';
import { advanceCeiling, paidByAdvances } from '../../lambdas/core/finance.ts';

const money = (amount: number) => ({ amount, currency: 'VND' as const });

describe('what a claim’s advances may add up to', () => {
  // A TPL property claim: the customer estimates 50 million, the reserve follows the estimate, the
  // cover pays 100 million and the departments decide above 150 million.
  const claim = {
    classification: { reserve: money(50_000_000) },
    report: { estimatedAmount: money(50_000_000) },
  };
  const limits = { coverLimit: 100_000_000, jointThreshold: 150_000_000 };

  it('once assessed, never more than the assessed payout', () => {
    const assessed = { ...claim, assessment: { payable: money(12_000_000) } };
    expect(advanceCeiling(assessed, limits)).toEqual({ code: 'assessed', amount: 12_000_000 });
  });

  it('before the assessment, never more than the customer’s own estimate', () => {
    const raised = { ...claim, classification: { reserve: money(80_000_000) } };
    expect(advanceCeiling(raised, limits)).toEqual({ code: 'estimate', amount: 50_000_000 });
  });

  it('an estimate not given (0) bounds nothing; the reserve, covers and joint threshold still do', () => {
    const none = { ...claim, report: { estimatedAmount: money(0) } };
    expect(advanceCeiling(none, limits)).toEqual({ code: 'reserve', amount: 50_000_000 });
    const big = { classification: { reserve: money(300_000_000) }, report: { estimatedAmount: money(0) } };
    expect(advanceCeiling(big, limits)).toEqual({ code: 'cover_limit', amount: 100_000_000 });
    expect(advanceCeiling(big, { coverLimit: 250_000_000, jointThreshold: 150_000_000 })).toEqual({
      code: 'joint_decision_threshold',
      amount: 150_000_000,
    });
  });

  it('an assessed payout above the estimate is what the contract pays: the estimate no longer bounds', () => {
    const assessed = { ...claim, assessment: { payable: money(45_000_000) } };
    expect(advanceCeiling(assessed, limits)).toEqual({ code: 'assessed', amount: 45_000_000 });
  });
});

describe('a decision its advances paid in full', () => {
  const advances = [
    { amount: money(20_000_000), paidAt: '2026-03-02T03:00:00.000Z' },
    { amount: money(5_000_000), paidAt: '2026-03-04T03:00:00.000Z' },
  ];
  const nothing = { amount: money(0) };

  it('is paid when the bank confirmed the last advance', () => {
    expect(paidByAdvances({ payment: nothing, advances })).toBe('2026-03-04T03:00:00.000Z');
  });

  it('is not paid while an advance awaits the bank, nor when a transfer is owed', () => {
    expect(paidByAdvances({ payment: nothing, advances: [advances[0]!, { amount: money(5_000_000) }] })).toBe(
      undefined,
    );
    expect(paidByAdvances({ payment: { amount: money(1) }, advances })).toBeUndefined();
    expect(paidByAdvances({ advances })).toBeUndefined();
    expect(paidByAdvances({ payment: nothing })).toBeUndefined();
  });
});
