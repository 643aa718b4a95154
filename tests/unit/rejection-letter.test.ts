import { describe, expect, it } from 'vitest';
import { formatLetterDate } from '../../lambdas/core/format.ts';
import { appealWindowEnd } from '../../lambdas/core/appeal.ts';
import { renderMessage } from '../../lambdas/core/render-message.ts';
import { DEFAULT_TEMPLATES } from '../../lambdas/core/templates.ts';

const data = {
  claimNumber: 'BT-2026-000042',
  policyNumber: 'MOT-2026-0001',
  productName: 'Motor own damage',
  date: '16/12/2026',
  claimUrl: 'http://x/',
  reasons: [{ index: 1, clause: 'Clause 12.3', text: 'No valid licence.' }],
};

describe('the last day to appeal in the rejection letter', () => {
  it('writes the day the Vietnamese way in Vietnamese and the English way in English', () => {
    const end = '2027-01-15T16:59:59.999Z'; // the end of 15/01/2027 in Vietnam
    expect(formatLetterDate(end, 'vi')).toBe('ngày 15/01/2027');
    expect(formatLetterDate(end, 'en')).toBe('15 Jan 2027');
  });

  it('is the end of the appeal window the configuration sets, in calendar or working days', () => {
    const rejectedAt = '2026-12-16T03:00:00.000Z';
    expect(formatLetterDate(appealWindowEnd(rejectedAt, undefined).toISOString(), 'vi')).toBe(
      'ngày 15/01/2027',
    );
    const working = {
      deadlines: [
        {
          kind: 'appeal_window' as const,
          from: 'rejected' as const,
          amount: 10,
          unit: 'working_days' as const,
          basis: 'x',
        },
      ],
    };
    // Ten working days from Wednesday 16/12/2026, weekends skipped: Wednesday 30/12/2026.
    expect(formatLetterDate(appealWindowEnd(rejectedAt, working).toISOString(), 'en')).toBe('30 Dec 2026');
  });

  it('states the day when there is one, and nothing about it otherwise (a rejection upholding an appeal)', () => {
    const vi = renderMessage(DEFAULT_TEMPLATES.claim_rejected, 'vi', {
      ...data,
      appealBy: 'ngày 15/01/2027',
    });
    expect(vi.text).toContain('Hạn gửi khiếu nại: đến hết ngày 15/01/2027.');
    const en = renderMessage(DEFAULT_TEMPLATES.claim_rejected, 'en', {
      ...data,
      appealBy: '15 Jan 2027',
    });
    expect(en.text).toContain('The last day to appeal is 15 Jan 2027');
    expect(en.html).toContain('The last day to appeal is 15 Jan 2027');
    const none = renderMessage(DEFAULT_TEMPLATES.claim_rejected, 'en', data);
    expect(none.text).not.toContain('last day to appeal');
    expect(none.text).toContain('Complain to us');
  });
});
