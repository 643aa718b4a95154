import { describe, expect, it } from 'vitest';
import { CLAIM_STATUSES } from '../../lambdas/core/claim.ts';
import { CLAIM_STAGES, claimProgress, STAGE_OF_STATUS } from '../../lambdas/core/lifecycle.ts';
import { EVENT_TEXT, eventTitle, STATUS_TEXT, t } from '../../lambdas/core/messages.ts';

describe('where a claim stands, for the customer', () => {
  it('puts every status in one stage', () => {
    for (const s of CLAIM_STATUSES) expect(CLAIM_STAGES).toContain(STAGE_OF_STATUS[s]);
  });

  it('shows the whole way for an open claim, with what comes next', () => {
    expect(claimProgress('AWAITING_DOCUMENTS')).toEqual({
      stages: ['reported', 'documents', 'assessment', 'decision', 'payment', 'done'],
      current: 1,
      next: 'assessment',
      ended: false,
    });
    expect(claimProgress('JOINT_REVIEW')).toMatchObject({ current: 3, next: 'payment', ended: false });
    expect(claimProgress('PAYMENT_QUEUED')).toMatchObject({ current: 4, next: 'done' });
    expect(claimProgress('PAID')).toMatchObject({ current: 5, ended: true });
    expect(claimProgress('PAID').next).toBeUndefined();
  });

  it('stops where a claim stopped: a rejection at the decision, no response at the documents', () => {
    expect(claimProgress('REJECTED')).toEqual({
      stages: ['reported', 'documents', 'assessment', 'decision'],
      current: 3,
      ended: true,
    });
    expect(claimProgress('CLOSED_NO_RESPONSE')).toEqual({
      stages: ['reported', 'documents'],
      current: 1,
      ended: true,
    });
    expect(claimProgress('CLOSED', { paid: true })).toMatchObject({ current: 5, ended: true });
    expect(claimProgress('CLOSED', { decided: true }).stages.at(-1)).toBe('decision');
    expect(claimProgress('CLOSED').stages).toEqual(['reported']);
  });

  it("titles the entry that moved the claim with the badge's words", () => {
    for (const locale of ['vi', 'en'] as const) {
      for (const status of ['AWAITING_DOCUMENTS', 'UNDER_ASSESSMENT'] as const) {
        expect(eventTitle({ type: 'AssessmentAwaited', data: { status } }, locale)).toBe(
          t(STATUS_TEXT, status, locale),
        );
      }
      // Other entries keep their own title, whatever their data says.
      expect(eventTitle({ type: 'ClaimSubmitted', data: { status: 'SUBMITTED' } }, locale)).toBe(
        t(EVENT_TEXT, 'ClaimSubmitted', locale),
      );
    }
    expect(eventTitle({ type: 'AssessmentAwaited', data: { status: 'AWAITING_DOCUMENTS' } }, 'vi')).toBe(
      'Chờ bổ sung hồ sơ',
    );
  });
});
