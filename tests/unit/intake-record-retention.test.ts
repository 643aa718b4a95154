import { describe, expect, it } from 'vitest';
import {
  type EmailRecordDraft,
  IGNORED_KEPT_DAYS,
  keptOfMessage,
  ownText,
  parseClaimEmail,
  recordExpiresAt,
} from '../../lambdas/core/inbound-email.ts';

/** A message as written: the account number with spaces, no description label (the description is the whole text). */
const BODY = `Tôi là Nguyễn Văn An, số hợp đồng: MOT-2026-0001.
Xe tôi bị va chạm ở 123 Láng Hạ, Đống Đa, Hà Nội.
Số tài khoản: 0123 456 789
Ngân hàng: Vietcombank
Bệnh nhân: Nguyễn Văn An
Chẩn đoán: gãy xương cẳng tay`;

const draft = (over: Partial<EmailRecordDraft> = {}): EmailRecordDraft => ({
  intakeId: 'a'.repeat(26),
  messageId: '<m@example.vn>',
  rawKey: 'inbound/m',
  receivedAt: '2026-03-01T02:00:00.000Z',
  subject: 'Yeu cau boi thuong',
  outcome: 'INTAKE',
  reasons: ['loss_date'],
  parsed: parseClaimEmail('Yeu cau boi thuong', BODY),
  text: ownText(BODY),
  attachments: [],
  version: 2,
  ...over,
});

describe('what an intake record keeps of its message (keptOfMessage)', () => {
  it('kept for staff: the text and what was read, the account number masked wherever it is written', () => {
    const kept = keptOfMessage(draft());
    expect(JSON.stringify(kept)).not.toMatch(/0123\s?456\s?789|123456789/);
    expect(kept.text).toContain('Số tài khoản: •••• 6789');
    expect(kept.text).toContain('Chẩn đoán: gãy xương cẳng tay');
    expect(kept.parsed?.bankAccount).toEqual({ bankName: 'Vietcombank', accountMask: '•••• 6789' });
    expect(kept.parsed?.description).toContain('•••• 6789');
    // Kept twice (a link by staff saves it again), the same.
    expect(keptOfMessage(kept)).toEqual(kept);
  });

  it('masks a number written in the text even where nothing was parsed (a message held unread)', () => {
    const kept = keptOfMessage(draft({ parsed: undefined, reasons: ['REPEATED_HEADER'] }));
    expect(kept.text).toContain('Số tài khoản: •••• 6789');
    expect(kept.parsed).toBeUndefined();
  });

  it.each([
    ['CLAIM_CREATED', {}],
    ['ADDED_TO_CLAIM', {}],
    ['IGNORED', {}],
    ['RECEIVED', {}],
    ['INTAKE', { claimId: 'c'.repeat(26) }],
  ] as const)('%s %o: neither text nor what was read', (outcome, over) => {
    const kept = keptOfMessage(draft({ outcome, ...over }));
    expect(kept).not.toHaveProperty('text');
    expect(kept).not.toHaveProperty('parsed');
    expect(kept).toMatchObject({ outcome, subject: 'Yeu cau boi thuong', rawKey: 'inbound/m' });
  });

  it('ignored mail expires IGNORED_KEPT_DAYS after it was received; every other record is kept', () => {
    expect(IGNORED_KEPT_DAYS).toBe(90);
    expect(recordExpiresAt({ outcome: 'IGNORED', receivedAt: '2026-03-01T02:00:00.000Z' })).toBe(
      Date.parse('2026-05-30T02:00:00.000Z') / 1000,
    );
    for (const outcome of ['INTAKE', 'CLAIM_CREATED', 'ADDED_TO_CLAIM', 'RECEIVED'] as const)
      expect(recordExpiresAt({ outcome, receivedAt: '2026-03-01T02:00:00.000Z' })).toBeUndefined();
  });
});
