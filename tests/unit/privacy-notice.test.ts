import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lambdas/core/errors.ts';
import { acknowledgedNotice, PRIVACY_NOTICE_VERSION } from '../../lambdas/core/privacy-notice.ts';
import { SubmitClaimRequest } from '../../lambdas/core/requests.ts';
import { buildRequest, initialFormState } from '../../web/shared/claim-form.ts';

const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof DomainError ? e.code : String(e);
  }
  return undefined;
};

describe('the privacy notice a claim is filed with', () => {
  it('is required, in the version in force, on claims filed in the app or by phone', () => {
    expect(codeOf(() => acknowledgedNotice('web', undefined))).toBe('PRIVACY_NOTICE_REQUIRED');
    expect(codeOf(() => acknowledgedNotice('phone', ''))).toBe('PRIVACY_NOTICE_REQUIRED');
    expect(codeOf(() => acknowledgedNotice('web', '2020-01-01'))).toBe('PRIVACY_NOTICE_OUTDATED');
    expect(acknowledgedNotice('web', PRIVACY_NOTICE_VERSION)).toEqual({
      version: PRIVACY_NOTICE_VERSION,
      channel: 'web',
    });
    expect(acknowledgedNotice('phone', PRIVACY_NOTICE_VERSION)?.channel).toBe('phone');
  });

  it('is not asked of, nor recorded on, a claim made from an e-mail', () => {
    expect(acknowledgedNotice('email', undefined)).toBeUndefined();
  });

  it('travels in the request body the apps build, which the API schema accepts', () => {
    const body = buildRequest(initialFormState(null), undefined, 'vi', PRIVACY_NOTICE_VERSION);
    expect(body.privacyNotice).toBe(PRIVACY_NOTICE_VERSION);
    expect(buildRequest(initialFormState(null), undefined, 'vi')).not.toHaveProperty('privacyNotice');
    const shape = SubmitClaimRequest.def.shape.privacyNotice;
    expect(shape.safeParse(PRIVACY_NOTICE_VERSION).success).toBe(true);
    expect(shape.safeParse('x'.repeat(21)).success).toBe(false);
  });
});

describe('the privacy notice pages', () => {
  const page = (locale: string) =>
    readFileSync(
      path.resolve(import.meta.dirname, '../../web/customer/public', `privacy.${locale}.html`),
      'utf8',
    );

  it.each([
    [
      'vi',
      [
        'sức khỏe',
        'nhạy cảm',
        'tài khoản',
        'Ngân hàng',
        'giám định',
        'gian lận',
        '10 năm',
        'bảo vệ dữ liệu cá nhân',
      ],
    ],
    [
      'en',
      [
        'Health',
        'sensitive',
        'account',
        'Banks',
        'Assessors',
        'fraud',
        '10 years',
        'data protection officer',
      ],
    ],
  ])('in %s states the version in force and what the law asks it to say', (locale, phrases) => {
    const html = page(locale);
    expect(html).toContain(`<meta name="privacy-notice-version" content="${PRIVACY_NOTICE_VERSION}" />`);
    expect(html).toContain(`<strong>${PRIVACY_NOTICE_VERSION}</strong>`);
    expect(html).toContain(`<html lang="${locale}">`);
    for (const p of phrases) expect(html).toContain(p);
  });
});
