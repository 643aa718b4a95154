import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageTemplate } from '../../lambdas/core/templates.ts';
import { makeClaimRequest } from '../helpers/factories.ts';
import { type Api, apiAs, eventually, useStack } from '../helpers/stack.ts';

/**
 * Notification templates edited by an admin against the running local stack: validated against the
 * shipped template, versioned, audited, and in force at once for the next message (the stack sets
 * CONFIG_CACHE_SECONDS=0). The acknowledgement is put back to the shipped text at the end.
 */
const stack = useStack();

let admin: Api;
let hai: Api;
let an: Api;

interface TemplateItem {
  name: string;
  version: number;
  template: MessageTemplate;
  default: MessageTemplate;
  variables: string[];
  linkOrigins: string[];
  updatedBy?: string;
}
interface Email {
  subject: string;
  destination: { to: string[] };
}

const put = (api: Api, path: string, body: unknown) =>
  api.raw(path, {
    method: 'PUT',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
const templates = async () => (await admin.get('/admin/templates')).body.items as TemplateItem[];
const acknowledgement = async () => (await templates()).find((t) => t.name === 'acknowledgement')!;
const emailsTo = async (to: string) =>
  ((await (await fetch(`${stack.mailUrl}/store`)).json()) as { emails: Email[] }).emails.filter((m) =>
    m.destination.to.includes(to),
  );

beforeAll(async () => {
  [admin, hai, an] = await Promise.all([
    apiAs(stack.apiUrl, 'admin'),
    apiAs(stack.apiUrl, 'hai.do'),
    apiAs(stack.apiUrl, 'an.nguyen'),
  ]);
});

describe('notification templates', () => {
  const suffix = randomUUID().slice(0, 8);
  let shipped: MessageTemplate;

  beforeAll(async () => {
    shipped = (await acknowledgement()).default;
  });

  afterAll(async () => {
    const current = await acknowledgement();
    const r = await put(admin, '/admin/templates/acknowledgement', {
      expectedVersion: current.version,
      template: shipped,
    });
    expect(r.status).toBe(200);
    expect((await acknowledgement()).template).toEqual(shipped);
  });

  it('lists every template with its default and the variables it may use; supervisors may read', async () => {
    const items = await templates();
    expect(items.map((t) => t.name)).toEqual(expect.arrayContaining(['acknowledgement', 'claim_approved']));
    const ack = items.find((t) => t.name === 'acknowledgement')!;
    expect(ack.variables).toEqual(expect.arrayContaining(['claimNumber', 'greeting']));
    expect(ack.default.subject.vi).toContain('{{claimNumber}}');
    expect((await hai.get('/admin/templates')).status).toBe(200);
  });

  it('refuses unknown variables and broken Mustache with CONFIG_INVALID and the fields', async () => {
    const current = await acknowledgement();
    const r = await put(admin, '/admin/templates/acknowledgement', {
      expectedVersion: current.version,
      template: {
        ...current.template,
        subject: { ...current.template.subject, vi: '{{claimNumber}} {{password}}' },
        text: { ...current.template.text, en: '{{#documents}}never closed' },
      },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('CONFIG_INVALID');
    expect(r.body.error.fields).toEqual([
      { path: 'subject.vi', code: 'unknown_variable', message: 'Unknown variable: password' },
      expect.objectContaining({ path: 'text.en', code: 'template_syntax' }),
    ]);
    const missing = await put(admin, '/admin/templates/acknowledgement', {
      expectedVersion: current.version,
      template: { subject: current.template.subject },
    });
    expect(missing.body.error.fields).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'text.vi', code: 'required' })]),
    );
    expect((await acknowledgement()).version).toBe(current.version);
  });

  it('lets only admins change templates, and 404s an unknown one', async () => {
    const current = await acknowledgement();
    const body = { expectedVersion: current.version, template: current.template };
    const r = await put(hai, '/admin/templates/acknowledgement', body);
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('FORBIDDEN');
    expect((await put(an, '/admin/templates/acknowledgement', body)).status).toBe(403);
    expect((await an.get('/admin/templates')).status).toBe(403);
    const unknown = await put(admin, '/admin/templates/newsletter', body);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('TEMPLATE_NOT_FOUND');
  });

  it('previews an unsaved template with sample data in the chosen language', async () => {
    const current = await acknowledgement();
    const template = {
      ...current.template,
      subject: { ...current.template.subject, en: 'Preview {{claimNumber}} for {{{productName}}}' },
    };
    const r = await admin.post('/admin/templates/acknowledgement/preview', { locale: 'en', template });
    expect(r.status).toBe(200);
    expect(r.body.subject).toBe('Preview BT-2026-000123 for Motor own damage');
    expect(r.body.html).toContain('<');
    expect((await acknowledgement()).template.subject.en).toBe(current.template.subject.en);
    const bad = await admin.post('/admin/templates/acknowledgement/preview', {
      locale: 'vi',
      template: { ...template, text: { ...template.text, vi: '{{nope}}' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual([
      expect.objectContaining({ path: 'text.vi', code: 'unknown_variable' }),
    ]);
    expect(
      (await hai.post('/admin/templates/acknowledgement/preview', { locale: 'vi', template })).status,
    ).toBe(403);
  });

  it('lets a template link to the claims web app and nowhere else, as the functions are deployed', async () => {
    // The template functions are given the web app's address (access `siteLinks`), so a link to
    // it is accepted on the stack as it is on AWS; a link elsewhere is refused.
    const site = new URL(stack.env.WEB_BASE_URL ?? '').origin;
    const items = await templates();
    expect(items.find((t) => t.name === 'acknowledgement')?.linkOrigins).toContain(site);
    const current = await acknowledgement();
    const withLink = (href: string) => ({
      ...current.template,
      html: {
        vi: current.template.html?.vi ?? '',
        en: `${current.template.html?.en}<p><a href="${href}">Help</a></p>`,
      },
    });
    const ours = await admin.post('/admin/templates/acknowledgement/preview', {
      locale: 'en',
      template: withLink(`${site}/customer/#/help`),
    });
    expect(ours.status, JSON.stringify(ours.body)).toBe(200);
    expect(ours.body.html).toContain(`${site}/customer/#/help`);
    const theirs = await admin.post('/admin/templates/acknowledgement/preview', {
      locale: 'en',
      template: withLink('https://claims-help.example.com/'),
    });
    expect(theirs.status).toBe(400);
    expect(theirs.body.error.fields).toEqual([
      expect.objectContaining({ path: 'html.en', code: 'external_link' }),
    ]);
  });

  it('puts a new subject in force for the next acknowledgement, and refuses a stale version', async () => {
    const current = await acknowledgement();
    const subject = {
      ...current.template.subject,
      vi: `[{{claimNumber}}] Hồ sơ đã được tiếp nhận ${suffix}`,
    };
    const r = await put(admin, '/admin/templates/acknowledgement', {
      expectedVersion: current.version,
      template: { ...current.template, subject },
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      name: 'acknowledgement',
      version: current.version + 1,
      changed: true,
      updatedAt: expect.any(String),
    });

    const stale = await put(admin, '/admin/templates/acknowledgement', {
      expectedVersion: current.version,
      template: current.template,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    expect(stale.body.error.currentVersion).toBe(current.version + 1);

    const to = `ack.${suffix}@example.vn`;
    const lossAt = new Date(Date.now() - 20 * 3600_000).toISOString().replace('Z', '+00:00');
    const claim = await an.post(
      '/claims',
      makeClaimRequest({ lossAt, contact: { phone: '0912345678', email: to } }),
      {
        'idempotency-key': randomUUID(),
      },
    );
    expect(claim.status).toBe(201);
    const mail = await eventually(async () => (await emailsTo(to))[0], 20_000);
    expect(mail.subject).toBe(`[${claim.body.claimNumber}] Hồ sơ đã được tiếp nhận ${suffix}`);
  });

  it('records the change as TemplateChanged in the admin audit chain, which still verifies', async () => {
    const r = await admin.get('/admin/audit');
    expect(r.body.verdict.ok).toBe(true);
    const change = (
      r.body.items as {
        type: string;
        data: { name?: string };
        before?: { template?: MessageTemplate };
        after?: { template?: MessageTemplate };
      }[]
    ).find((e) => e.type === 'TemplateChanged' && e.after?.template?.subject.vi.includes(suffix));
    expect(change?.data.name).toBe('acknowledgement');
    expect(change?.before?.template?.subject.vi).not.toContain(suffix);
  });
});
