import { describe, expect, it } from 'vitest';
import type { ClaimDocument } from '../../lambdas/core/claim.ts';
import { receivedAfterWithdrawal, withdrawalRefusal } from '../../lambdas/core/dossier.ts';
import { DOCUMENT_WITHDRAWAL_STATUSES, TRANSITIONS } from '../../lambdas/core/lifecycle.ts';

const doc = (over: Partial<ClaimDocument> = {}) => ({
  uploadedBy: 'customer' as const,
  status: 'VERIFIED' as const,
  requestedAt: '2026-12-01T02:00:00.000Z',
  verifiedAt: '2026-12-01T02:00:05.000Z',
  ...over,
});

describe('withdrawing a document (the one rule)', () => {
  it('lets the customer withdraw their own document before the claim is assessed', () => {
    for (const status of DOCUMENT_WITHDRAWAL_STATUSES)
      expect(withdrawalRefusal({ status }, doc())).toBeUndefined();
    expect(
      withdrawalRefusal({ status: 'AWAITING_DOCUMENTS' }, doc({ status: 'QUARANTINED' })),
    ).toBeUndefined();
  });

  it('refuses once the claim is assessed or decided, in every later status', () => {
    const later = (Object.keys(TRANSITIONS) as (keyof typeof TRANSITIONS)[]).filter(
      (s) => !DOCUMENT_WITHDRAWAL_STATUSES.includes(s),
    );
    expect(later).toContain('ASSESSED');
    expect(later).toContain('REJECTED');
    for (const status of later)
      expect(withdrawalRefusal({ status }, doc()), status).toBe('DOCUMENT_NOT_WITHDRAWABLE');
  });

  it('refuses a document an assessment already relied on, even when an appeal reopened the claim', () => {
    const assessment = { recordedAt: '2026-12-03T00:00:00.000Z' } as never;
    expect(withdrawalRefusal({ status: 'UNDER_ASSESSMENT', assessment }, doc())).toBe(
      'DOCUMENT_NOT_WITHDRAWABLE',
    );
    // New evidence sent after the assessment is still the customer's to take back.
    expect(
      withdrawalRefusal(
        { status: 'UNDER_ASSESSMENT', assessment },
        doc({ verifiedAt: '2026-12-04T00:00:00.000Z' }),
      ),
    ).toBeUndefined();
  });

  it('refuses what staff uploaded, and what is not there to withdraw', () => {
    expect(withdrawalRefusal({ status: 'SUBMITTED' }, doc({ uploadedBy: 'staff' }))).toBe('DOCUMENT_NOT_OWN');
    expect(withdrawalRefusal({ status: 'SUBMITTED' }, doc({ status: 'PENDING_UPLOAD' }))).toBe(
      'DOCUMENT_NOT_FOUND',
    );
    expect(withdrawalRefusal({ status: 'SUBMITTED' }, doc({ status: 'WITHDRAWN' }))).toBe(
      'DOCUMENT_NOT_FOUND',
    );
  });
});

describe('the checklist after a withdrawal', () => {
  const photo = { docType: 'damage_photos' as const, status: 'VERIFIED' as const };
  it('asks for the type again unless another verified document of it remains', () => {
    expect(receivedAfterWithdrawal(['damage_photos', 'claim_letter'], photo, [])).toEqual(['claim_letter']);
    expect(receivedAfterWithdrawal(['damage_photos'], photo, [{ ...photo }])).toEqual(['damage_photos']);
    expect(
      receivedAfterWithdrawal(['damage_photos'], photo, [{ docType: 'damage_photos', status: 'WITHDRAWN' }]),
    ).toEqual([]);
  });
  it('changes nothing when a quarantined document is withdrawn', () => {
    expect(receivedAfterWithdrawal(['damage_photos'], { ...photo, status: 'QUARANTINED' }, [])).toEqual([
      'damage_photos',
    ]);
  });
});
