import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, NOTIFIED_EVENTS } from '../../lambdas/app/notifications.ts';
import type { Locale } from '../../lambdas/core/messages.ts';
import { formatMoney } from '../../lambdas/core/money.ts';
import { renderMessage } from '../../lambdas/core/render-message.ts';
import { DEFAULT_TEMPLATES, type TemplateName } from '../../lambdas/core/templates.ts';

/** The shipped templates (what is in force until an admin edits one). */
const renderTemplate = (name: TemplateName, locale: Locale, data: Record<string, unknown>) =>
  renderMessage(DEFAULT_TEMPLATES[name], locale, data);

const DIR = path.resolve(import.meta.dirname, '../../lambdas/templates');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
const STAFF_ONLY = new Set([
  'claim_assigned',
  'info_provided',
  'approval_requested',
  'deadline_escalation',
  'inspection_reminder_staff',
  'claim_sent_back',
  'payment_failed',
  'appeal_filed',
  'claim_message_staff',
  'staff_contact_changed',
]);

describe('templates', () => {
  it.each(files)('%s has subject, text and html in Vietnamese and English', (file) => {
    const t = JSON.parse(readFileSync(path.join(DIR, file), 'utf8'));
    for (const part of ['subject', 'text', 'html']) {
      expect(Object.keys(t[part]).sort(), `${file} ${part}`).toEqual(['en', 'vi']);
    }
    const name = file.replace(/\.json$/, '');
    // Every customer message also goes by SMS; staff get email only.
    if (name !== 'acknowledgement') expect(Boolean(t.sms), name).toBe(!STAFF_ONLY.has(name));
  });

  it('are all registered as shipped defaults', () => {
    for (const file of files) {
      const name = file.replace(/\.json$/, '') as TemplateName;
      expect(() => renderTemplate(name, 'vi', {}), name).not.toThrow();
    }
    for (const template of Object.values(NOTIFIED_EVENTS)) expect(files).toContain(`${template}.json`);
  });

  it('write Vietnamese with its diacritics', () => {
    const text = renderTemplate('claim_closed', 'vi', {
      claimNumber: 'BT-2026-000001',
      noResponse: true,
      requestedAt: '01/11/2026',
    }).text;
    expect(text).toContain('Do không nhận được phản hồi trong thời hạn đã nêu');
    expect(text).toContain('Điều 30 Luật Kinh doanh bảo hiểm 2022');
  });

  it('do not HTML-escape plain text and SMS, but do escape HTML', () => {
    const data = {
      claimNumber: 'BT-2026-000001',
      claimUrl: 'http://x.vn/customer/#/claims/1',
      message: 'Ảnh <xe> & giấy tờ',
      documents: [],
      dueAt: '25/11/2026',
      dueDate: '25/11/2026',
    };
    const m = renderTemplate('info_requested', 'vi', data);
    expect(m.text).toContain('http://x.vn/customer/#/claims/1');
    expect(m.text).toContain('Ảnh <xe> & giấy tờ');
    expect(m.sms).toContain('25/11/2026');
    expect(m.html).toContain('Ảnh &lt;xe&gt; &amp; giấy tờ');
  });
});

describe('the rejection letter (Law 08/2022/QH15 Art. 20(2)(e))', () => {
  const reasons = [
    {
      index: 1,
      clause: 'Điều 12.3 Quy tắc bảo hiểm',
      text: 'Người lái xe không có giấy phép lái xe hợp lệ.',
    },
    { index: 2, clause: 'Điều 4.1(b) Hợp đồng', text: 'Tổn thất ngoài phạm vi lãnh thổ bảo hiểm.' },
  ];
  const data = {
    claimNumber: 'BT-2026-000042',
    policyNumber: 'MOT-2026-0001',
    productName: 'Bảo hiểm vật chất xe ô tô',
    date: '25/11/2026',
    claimUrl: 'http://x/',
    reasons,
  };

  it.each(['vi', 'en'] as const)(
    'cites every reason with its clause and states the right to complain (%s)',
    (locale) => {
      const { text, html } = renderTemplate('claim_rejected', locale, data);
      for (const r of reasons) {
        expect(text).toContain(`${r.index}. ${r.text}`);
        expect(text).toContain(r.clause);
        expect(html).toContain(r.clause);
      }
      expect(text).toContain(
        locale === 'vi'
          ? 'điểm e khoản 2 Điều 20 Luật Kinh doanh bảo hiểm số 08/2022/QH15'
          : 'Article 20(2)(e) of the Law on Insurance Business No. 08/2022/QH15',
      );
      expect(text).toContain(locale === 'vi' ? 'Khiếu nại với doanh nghiệp bảo hiểm' : 'Complain to us');
      expect(text).toContain(locale === 'vi' ? 'Bộ Tài chính' : 'Ministry of Finance');
      expect(text).toContain(
        locale === 'vi' ? 'Điều 429 Bộ luật Dân sự 2015' : 'Civil Code 2015, Article 429',
      );
    },
  );
});

describe('the notice that a payout account staff typed in was confirmed', () => {
  const data = (byPhone: boolean, paymentReleased: boolean) => ({
    claimNumber: 'BT-2026-000077',
    claimUrl: 'http://x/',
    account: '•••• 6677',
    bankName: 'Sacombank',
    confirmedAt: '09:30 ngày 26/11/2026',
    byPhone,
    paymentReleased,
  });

  it.each([
    [false, 'bởi chính bạn', 'Nếu không phải bạn xác nhận', 'tren ung dung'],
    [true, 'bởi nhân viên của chúng tôi', 'Nếu bạn không nói chuyện với chúng tôi', 'qua dien thoai'],
  ])(
    'names who confirmed it and what to do if it was not them (by phone: %s)',
    (byPhone, who, alarm, smsWho) => {
      const m = renderTemplate('payout_account_confirmed', 'vi', data(byPhone, true));
      for (const part of [m.subject, m.text, m.html ?? '']) expect(part).toContain('BT-2026-000077');
      for (const part of [m.text, m.html ?? '', m.sms ?? '']) expect(part).toContain('•••• 6677');
      for (const part of [m.text, m.sms ?? '']) expect(part).toContain('09:30 ngày 26/11/2026');
      expect(m.text).toContain('Sacombank');
      expect(m.text).toContain(who);
      expect(m.text).toContain(`${alarm}, hoặc đây không phải tài khoản của bạn, hãy gọi ngay`);
      expect(m.text).toContain('chúng tôi sẽ giữ khoản chi lại');
      expect(m.text).toContain('có thể được thực hiện');
      expect(m.sms).toContain(smsWho);
      expect(m.sms).toContain('giu khoan chi');
      const en = renderTemplate('payout_account_confirmed', 'en', data(byPhone, true));
      expect(en.text).toContain(byPhone ? 'If you did not speak with us' : 'If this was not you');
      expect(en.sms).toContain('we will hold the payment');
    },
  );

  it('says the payment may go ahead only when nothing else holds it', () => {
    const held = renderTemplate('payout_account_confirmed', 'vi', data(true, false));
    expect(held.text).not.toContain('có thể được thực hiện');
    expect(held.html).not.toContain('có thể được thực hiện');
    expect(held.text).toContain('hãy gọi ngay');
  });
});

describe('formatting', () => {
  it('shows dates and times in Vietnam (UTC+7)', () => {
    expect(formatDate('2026-12-10T16:59:59.999Z', 'vi')).toBe('10/12/2026');
    expect(formatDate('2026-12-10T17:00:00.000Z', 'vi')).toBe('11/12/2026');
    expect(formatDate('2026-12-10T17:00:00.000Z', 'en')).toBe('11 Dec 2026');
    expect(formatDate('2026-12-03', 'vi')).toBe('03/12/2026');
    expect(formatDateTime('2026-11-26T02:30:00.000Z', 'vi')).toBe('09:30 ngày 26/11/2026');
    expect(formatDateTime('2026-11-26T02:30:00.000Z', 'en')).toBe('09:30, 26 Nov 2026');
  });

  it('amounts in the approval letter are formatted đồng', () => {
    const { subject } = renderTemplate('claim_approved', 'vi', {
      claimNumber: 'BT-1',
      amount: formatMoney({ amount: 12_500_000, currency: 'VND' }, 'vi'),
    });
    expect(subject).toMatch(/12\.500\.000\s₫$/);
  });
});
