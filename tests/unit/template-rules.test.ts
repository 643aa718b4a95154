import { describe, expect, it } from 'vitest';
import {
  allowedNames,
  SMS_MAX_CHARS,
  sampleTemplateData,
  TemplateShape,
  templateIssues,
  unknownVariables,
} from '../../lambdas/core/template-rules.ts';
import * as templates from '../../lambdas/core/templates.ts';
import {
  DEFAULT_TEMPLATES,
  type MessageTemplate,
  TEMPLATE_NAMES,
  type TemplateName,
} from '../../lambdas/core/templates.ts';
import { confineRawHtml, renderMessage } from '../../lambdas/core/render-message.ts';
import { withoutForeignLinks } from '../../lambdas/core/template-links.ts';

const shipped = (name: TemplateName) => structuredClone(DEFAULT_TEMPLATES[name]) as MessageTemplate;
const codes = (name: TemplateName, t: unknown) =>
  templateIssues(name, TemplateShape.parse(t)).map((i) => `${i.path}:${i.code}`);

describe('the shipped templates one step renders alone', () => {
  it('each names its own file: the text DEFAULT_TEMPLATES has under its name', () => {
    const alone = Object.values(templates).filter(
      (v): v is templates.ShippedTemplate => typeof v === 'object' && v !== null && 'shipped' in v,
    );
    expect(alone.map((t) => t.name).sort()).toEqual(['acknowledgement', 'payout_account_code']);
    for (const t of alone) expect(t.shipped, t.name).toBe(DEFAULT_TEMPLATES[t.name]);
  });
});

describe('notification template rules', () => {
  it.each(TEMPLATE_NAMES)('accepts the shipped %s', (name) => {
    expect(codes(name, DEFAULT_TEMPLATES[name])).toEqual([]);
  });

  it('accepts a reworded subject that uses the same variables', () => {
    const t = shipped('acknowledgement');
    t.subject.vi = 'Đã nhận hồ sơ {{claimNumber}} ({{{productName}}})';
    expect(codes('acknowledgement', t)).toEqual([]);
  });

  it('names each variable the shipped template does not have, per field', () => {
    const t = shipped('acknowledgement');
    t.text.vi = `${t.text.vi} {{secret}} {{{other}}} {{secret}}`;
    t.subject.en = '{{#nope}}x{{/nope}} {{claimNumber}}';
    const issues = templateIssues('acknowledgement', TemplateShape.parse(t));
    expect(issues).toEqual([
      { path: 'subject.en', code: 'unknown_variable', message: 'Unknown variable: nope' },
      { path: 'text.vi', code: 'unknown_variable', message: 'Unknown variable: secret' },
      { path: 'text.vi', code: 'unknown_variable', message: 'Unknown variable: other' },
    ]);
    expect(unknownVariables('acknowledgement', t.text.vi).unknown).toEqual(['secret', 'other']);
  });

  it('keeps what a customer wrote escaped in HTML: no {{{response}}} where the shipped HTML escapes it', () => {
    const t = shipped('info_provided');
    t.html!.en = t.html!.en.replace('{{response}}', '{{{response}}}');
    t.html!.vi = t.html!.vi.replace('{{response}}', '{{& response}}');
    expect(codes('info_provided', t)).toEqual(['html.vi:unescaped_html', 'html.en:unescaped_html']);
    // The text part is plain text: nothing there becomes markup.
    expect(codes('info_provided', shipped('info_provided'))).toEqual([]);
    const rendered = renderMessage(t, 'en', {
      response: '<a href="https://evil.example/login">Đăng nhập</a>',
    });
    expect(rendered.html).toContain('<a href=');
  });

  it('escapes, when rendering, what a stored version put in HTML unescaped past the rule', () => {
    // Saved before the rule existed, or written to the table past the admin route.
    const t = shipped('info_provided');
    t.html!.en = t.html!.en.replace('{{response}}', '{{{response}}}');
    t.html!.vi = `{{=<% %>=}}${t.html!.vi.replace('{{response}}', '<%& response%>')}`;
    const { template, confined } = confineRawHtml(t, shipped('info_provided'));
    expect([...confined].sort()).toEqual(['en', 'vi']);
    const response = '<a href="https://evil.example/login">Đăng nhập</a>';
    const en = renderMessage(template, 'en', { response }).html ?? '';
    expect(en).not.toContain('<a href=');
    expect(en).toContain('&lt;a href&#x3D;');
    // A delimiter change is past what can be rewritten safely: that language's shipped HTML is sent.
    expect(template.html?.vi).toBe(shipped('info_provided').html?.vi);
    // What the shipped HTML itself puts in unescaped (markup the system builds) stays as it is.
    const own = shipped('acknowledgement');
    expect(confineRawHtml(own, shipped('acknowledgement'))).toEqual({ template: own, confined: [] });
    const reworded = shipped('acknowledgement');
    reworded.html!.en = `<p>Hello</p>${reworded.html!.en}`;
    expect(confineRawHtml(reworded, shipped('acknowledgement')).confined).toEqual([]);
  });

  it('lets variables open sections, but not lists or flags be printed', () => {
    expect(unknownVariables('inspection_scheduled', '{{#place}}at {{place}}{{/place}}').unknown).toEqual([]);
    expect(unknownVariables('acknowledgement', '{{hasDocuments}}').unknown).toEqual(['hasDocuments']);
    expect(unknownVariables('acknowledgement', '{{^documents}}ok{{/documents}}').unknown).toEqual([]);
  });

  it('refuses broken Mustache, partials and delimiter changes', () => {
    const t = shipped('claim_closed');
    t.text.en = '{{#noResponse}}unclosed';
    t.html!.vi = '{{claimNumber';
    t.sms!.vi = '{{> header}}';
    t.sms!.en = '{{=<% %>=}}<% claimNumber %>';
    expect(codes('claim_closed', t)).toEqual([
      'text.en:template_syntax',
      'html.vi:template_syntax',
      'sms.vi:template_syntax',
      'sms.en:template_syntax',
    ]);
  });

  it('requires subject and text in both languages, and the HTML and SMS the shipped one has', () => {
    const t: Record<string, unknown> = shipped('claim_approved');
    t.subject = { vi: '  ' };
    delete t.sms;
    expect(codes('claim_approved', t)).toEqual([
      'subject.vi:required',
      'subject.en:required',
      'sms.vi:required',
      'sms.en:required',
    ]);
  });

  it('refuses a part the shipped template does not send', () => {
    const t = { ...shipped('acknowledgement'), sms: { vi: 'x', en: 'y' } };
    expect(codes('acknowledgement', t)).toEqual(['sms:unrecognized_keys']);
  });

  it('limits an SMS to 320 characters besides its placeholders, and a subject to 200', () => {
    const t = shipped('info_requested');
    const placeholders = '{{claimNumber}}{{{claimUrl}}}'.repeat(20);
    t.sms!.vi = 'ạ'.repeat(SMS_MAX_CHARS) + placeholders;
    expect(codes('info_requested', t)).toEqual([]);
    t.sms!.vi = 'ạ'.repeat(SMS_MAX_CHARS + 1);
    t.subject.en = `{{claimNumber}} ${'x'.repeat(200)}`;
    expect(codes('info_requested', t)).toEqual(['subject.en:too_big', 'sms.vi:sms_too_long']);
  });

  it('keeps the shape strict: unknown parts and locales are refused', () => {
    expect(TemplateShape.safeParse({ ...shipped('acknowledgement'), footer: {} }).success).toBe(false);
    expect(TemplateShape.safeParse({ subject: { vi: 'a', en: 'b', fr: 'c' } }).success).toBe(false);
  });

  it('lists the variables and sections an admin may use', () => {
    expect(allowedNames('acknowledgement')).toEqual({
      variables: [
        'accountHolder',
        'accountMask',
        'bankName',
        'claimNumber',
        'claimUrl',
        'greeting',
        'name',
        'policyNumber',
        'productName',
        'receivedAt',
      ],
      sections: ['documents', 'hasDocuments', 'payoutCheck'],
    });
  });
});

describe('preview sample data', () => {
  it('fills every variable and shows lists with one item', () => {
    const data = sampleTemplateData('claim_rejected', 'vi');
    expect(data.claimNumber).toBe('BT-2026-000123');
    expect(data.reasons).toEqual([expect.objectContaining({ index: 1, text: expect.any(String) })]);
    const m = renderMessage(DEFAULT_TEMPLATES.claim_rejected, 'vi', data);
    expect(m.text).toContain('BT-2026-000123');
    expect(m.text).not.toContain('‹');
  });

  it.each(TEMPLATE_NAMES)('has a plausible sample for every variable of %s', (name) => {
    for (const locale of ['vi', 'en'] as const) {
      const m = renderMessage(DEFAULT_TEMPLATES[name], locale, sampleTemplateData(name, locale));
      expect(JSON.stringify(m), `${name} ${locale}`).not.toContain('‹');
    }
  });

  it('formats amounts in the chosen language', () => {
    expect(sampleTemplateData('payment_queued', 'vi').amount).toMatch(/12\.500\.000\s?₫/);
    expect(sampleTemplateData('payment_queued', 'en').amount).toBe('₫12,500,000');
  });
});

describe('links and remote content in an edited template (phishing, tracking)', () => {
  const site = 'https://claims.example.vn';
  const issuesOf = (name: TemplateName, t: unknown, origins: readonly string[] = [site]) =>
    templateIssues(name, TemplateShape.parse(t), origins).map((i) => `${i.path}:${i.code}`);

  it('refuses a tracking pixel in the payout account code e-mail, wherever its address points', () => {
    const t = shipped('payout_account_code');
    t.html!.vi += '<img src="https://tracker.example/p.gif?c={{code}}">';
    t.html!.en += `<IMG SRC="${site}/p.gif">`;
    expect(issuesOf('payout_account_code', t)).toEqual([
      'html.vi:external_link',
      'html.vi:remote_image',
      'html.en:remote_image',
    ]);
  });

  it('refuses a link elsewhere in the text, the SMS and an href, however it is written', () => {
    const t = shipped('claim_approved');
    t.text.vi += '\nXác nhận tài khoản: https://baohiem-xacnhan.example/{{{claimNumber}}}';
    t.text.en += '\nConfirm at www.baohiem-xacnhan.example';
    t.sms!.vi = 'Ho so {{{claimNumber}}} da duoc duyet. Xac nhan tai baohiem-xacnhan.example/x';
    t.sms!.en = `Claim {{{claimNumber}}} approved: ${site}.evil.example/x`;
    t.html!.vi = t.html!.vi.replace('href="{{claimUrl}}"', 'href="https://{{claimNumber}}.example/"');
    t.html!.en = t.html!.en.replace('href="{{claimUrl}}"', "href='javascript:alert(1)'");
    expect(issuesOf('claim_approved', t)).toEqual([
      'text.vi:external_link',
      'text.en:external_link',
      'html.vi:external_link',
      'html.en:external_link',
      'sms.vi:external_link',
      'sms.en:external_link',
    ]);
  });

  it('accepts links to the claims site and the link the system builds, and nothing when no site is configured', () => {
    const t = shipped('claim_approved');
    t.text.vi += `\nTra cứu: ${site}/customer/#/claims`;
    t.sms!.en = `Claim {{{claimNumber}}} approved: ${site}/customer/`;
    t.html!.en = t.html!.en.replace('</p>', `</p><p><a href="${site}/customer/">${site}</a></p>`);
    expect(issuesOf('claim_approved', t)).toEqual([]);
    expect(issuesOf('claim_approved', t, [])).toEqual([
      'text.vi:external_link',
      'html.en:external_link',
      'sms.en:external_link',
    ]);
    // The shipped href="{{claimUrl}}" stays allowed without any configured site.
    expect(issuesOf('claim_approved', shipped('claim_approved'), [])).toEqual([]);
  });

  it('sends a stored version saved before these rules without its foreign links: those parts as shipped', () => {
    const t = shipped('payout_account_code');
    t.html!.vi += '<img src="https://tracker.example/p.gif?c={{code}}">';
    t.text.en += '\nConfirm at https://baohiem-xacnhan.example/';
    t.text.vi += `\nTra cứu: ${site}/customer/`;
    const stored = DEFAULT_TEMPLATES.payout_account_code as MessageTemplate;
    const { template, replaced } = withoutForeignLinks(t, stored, [site]);
    expect(replaced).toEqual(['text.en', 'html.vi']);
    expect(template.html?.vi).toBe(stored.html?.vi);
    expect(template.text.en).toBe(stored.text.en);
    // What links only to the claims site stays as the admin wrote it.
    expect(template.text.vi).toBe(t.text.vi);
    expect(withoutForeignLinks(stored, stored, []).replaced).toEqual([]);
  });
});
