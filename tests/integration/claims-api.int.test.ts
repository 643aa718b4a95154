import { randomUUID } from 'node:crypto';
import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPolicy } from '../../lambdas/adapters/dynamo/policies-repo.ts';
import { suitePolicies } from '../helpers/suite-policies.ts';
import { makeClaimRequest } from '../helpers/factories.ts';
import { type Api, apiAs, eventually, useStack } from '../helpers/stack.ts';

const stack = useStack();
const policies = suitePolicies('TPL-API');
afterAll(() => policies.removeAll());
let an: Api;
let binh: Api;
let anon: Api;

beforeAll(async () => {
  [an, binh, anon] = await Promise.all([
    apiAs(stack.apiUrl, 'an.nguyen'),
    apiAs(stack.apiUrl, 'binh.tran'),
    apiAs(stack.apiUrl),
  ]);
});

const recentLoss = (hoursAgo = 20) =>
  new Date(Date.now() - hoursAgo * 3600_000).toISOString().replace('Z', '+00:00');
const submit = (api: Api, body: unknown, key: string = randomUUID()) =>
  api.post('/claims', body, { 'idempotency-key': key });
const claimOf = async (api: Api, id: string) => (await api.get(`/claims/${id}`)).body;

describe('public routes', () => {
  it('answers health without a token', async () => {
    const r = await anon.get('/health');
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('ok');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('publishes an OpenAPI document generated from the route table and schemas', async () => {
    const r = await anon.get('/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toMatch(/^3\./);
    const submitOp = r.body.paths['/claims'].post;
    expect(submitOp.operationId).toBe('SubmitClaim');
    expect(submitOp.requestBody.content['application/json'].schema.properties.payoutAccount).toBeDefined();
    expect(submitOp.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
  });
});

describe('authentication', () => {
  it('refuses a request without a token', async () => {
    const r = await anon.get('/claims');
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ message: 'Unauthorized' });
  });

  it('refuses a token signed by another key, even with the right claims', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({
      token_use: 'id',
      'cognito:groups': ['admin'],
      'custom:customerId': 'CUS-0001',
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'local-1' })
      .setSubject('attacker')
      .setIssuer('http://127.0.0.1/local-idp')
      .setAudience('local-web-client')
      .setExpirationTime('1h')
      .sign(privateKey);
    const r = await anon.raw('/claims', { headers: { authorization: `Bearer ${forged}` } });
    expect(r.status).toBe(401);
  });

  it('refuses an unsigned token', async () => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const none = `${b64({ alg: 'none' })}.${b64({ sub: 'x', 'cognito:groups': ['admin'] })}.`;
    const r = await anon.raw('/claims', { headers: { authorization: `Bearer ${none}` } });
    expect(r.status).toBe(401);
  });

  it('refuses garbage in the Authorization header', async () => {
    const r = await anon.raw('/claims', { headers: { authorization: 'Bearer not.a.jwt' } });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ message: 'Unauthorized' });
  });

  it('gives no local token for an unknown user', async () => {
    const r = await anon.post('/local/token', { username: 'nobody' });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('USER_NOT_FOUND');
  });
});

describe('policies', () => {
  it('lists only the signed-in customer’s policies', async () => {
    const mine = await an.get('/policies');
    expect(mine.status).toBe(200);
    // Other suites import more policies for these customers (policy import); the demo ones are
    // there, and never another customer's.
    const numbers = mine.body.items.map((p: { policyNumber: string }) => p.policyNumber);
    expect(numbers).toEqual(expect.arrayContaining(['HLT-2026-0001', 'MOT-2026-0001', 'TPL-2026-0001']));
    expect(numbers).not.toEqual(expect.arrayContaining(['PRO-2026-0001']));
    expect(numbers).not.toEqual(expect.arrayContaining(['TRV-2026-0001']));
    const theirs = (await binh.get('/policies')).body.items.map(
      (p: { policyNumber: string }) => p.policyNumber,
    );
    expect(theirs).toEqual(expect.arrayContaining(['PRO-2026-0001', 'TRV-2026-0001']));
    for (const n of ['HLT-2026-0001', 'MOT-2026-0001', 'TPL-2026-0001']) expect(theirs).not.toContain(n);
  });
});

describe('filing a claim', () => {
  it('stores it with a human number, runs intake and acknowledges by email', async () => {
    // 108 hours back: at least a whole day away from every other collision other suites file on this
    // policy (84 h in assessment, 80 h in payout-account-change), so never on the same business day
    // whatever the hour (the duplicate check is per policy, business day and cause).
    const body = makeClaimRequest({
      lossAt: recentLoss(108),
      contact: { phone: '0912345678', email: 'an.flow@example.vn' },
    });
    const r = await submit(an, body);
    expect(r.status).toBe(201);
    expect(r.body.claimNumber).toMatch(/^BT-\d{4}-\d{6}$/);
    expect(r.headers.get('location')).toBe(`/claims/${r.body.claimId}`);

    const settled = await eventually(async () => {
      const c = await claimOf(an, r.body.claimId);
      return c.timeline.some((e: { type: string }) => e.type === 'AssessmentAwaited') ? c : undefined;
    });
    expect(settled.status).toBe('AWAITING_DOCUMENTS');
    expect(settled.checks).toEqual([]);
    expect(settled.classification).toEqual({ line: 'motor', cause: 'collision', severityBand: 'low' });
    expect(settled.timeline.map((e: { type: string }) => e.type)).toEqual([
      'ClaimSubmitted',
      'ClaimChecked',
      'ClaimClassified',
      'ClaimAssigned',
      'AcknowledgementSent',
      'AssessmentAwaited',
    ]);
    expect(settled.timeline[0].by).toBe('customer');
    expect(settled.timeline[1].by).toBe('system');
    expect(settled.missingDocuments).toContain('damage_photos');
    expect(settled.nextStep.code).toBe('UPLOAD_DOCUMENTS');
    // The date is the documents reminder's, once the deadline engine has planned it (from the stream).
    const staff = await apiAs(stack.apiUrl, 'hai.do');
    const reminder = await eventually(async () => {
      const c = await claimOf(staff, r.body.claimId);
      return c.deadlines?.find((d: { kind: string }) => d.kind === 'documents_reminder');
    });
    await eventually(async () => {
      const c = await claimOf(an, r.body.claimId);
      return c.nextStep.dueAt === reminder.dueAt ? c : undefined;
    });
    // Internal fields never reach the customer.
    expect(settled.waitToken).toBeUndefined();
    expect(settled.classification.reserve).toBeUndefined();

    const mail = await eventually(async () => {
      const store = (await (await fetch(`${stack.mailUrl}/store`)).json()) as {
        emails: { subject: string; destination: { to: string[] }; text?: string; body?: { text?: string } }[];
      };
      return store.emails.find(
        (m) => m.subject.includes(r.body.claimNumber) && m.destination.to.includes('an.flow@example.vn'),
      );
    });
    expect(mail.destination.to).toEqual(['an.flow@example.vn']);
    expect(mail.subject).toContain('Chúng tôi đã nhận');
    // The letter greets the customer by name and writes the time the one Vietnamese way
    // (core/format.ts), not "2026-12-02 14:44".
    const text = mail.text ?? mail.body?.text ?? '';
    expect(text.startsWith('Kính gửi anh/chị Nguyễn Văn An,')).toBe(true);
    expect(text).toMatch(/lúc \d{2}:\d{2} ngày \d{2}\/\d{2}\/\d{4}\./);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('is idempotent: the same key returns the same claim, a different body with it is refused', async () => {
    const key = randomUUID();
    const body = makeClaimRequest({
      lossAt: recentLoss(30),
      cause: 'flood',
      facts: { kind: 'motor', vehiclePlate: '30A-123.45', policeAttended: false },
    });
    const first = await submit(an, body, key);
    const again = await submit(an, body, key);
    expect(first.status).toBe(201);
    expect([200, 201]).toContain(again.status);
    expect(again.body.claimId).toBe(first.body.claimId);
    expect(again.body.claimNumber).toBe(first.body.claimNumber);
    const list = await an.get('/claims?limit=100');
    expect(list.body.items.filter((c: { claimId: string }) => c.claimId === first.body.claimId)).toHaveLength(
      1,
    );

    const changed = await submit(an, { ...body, description: 'Một mô tả khác hẳn cho cùng khóa.' }, key);
    expect(changed.status).toBe(422);
    expect(changed.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('requires an Idempotency-Key', async () => {
    const r = await an.post('/claims', makeClaimRequest({ lossAt: recentLoss() }));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
  });

  it('keeps a claim on a lapsed policy and shows the coded reason', async () => {
    const chi = await apiAs(stack.apiUrl, 'chi.le');
    const body = makeClaimRequest({
      policyNumber: 'MOT-2025-0042',
      lossAt: recentLoss(2),
      facts: { kind: 'motor', vehiclePlate: '51G-678.90', policeAttended: false },
      locale: 'en',
    });
    const r = await submit(chi, body);
    expect(r.status).toBe(201);
    const c = await eventually(async () => {
      const v = await claimOf(chi, r.body.claimId);
      return v.status === 'REFERRED' &&
        v.timeline.some((e: { type: string }) => e.type === 'AssessmentAwaited')
        ? v
        : undefined;
    });
    expect(c.checks.map((x: { code: string }) => x.code)).toEqual(['POLICY_NOT_IN_FORCE']);
    expect(c.report.description).toBe(body.description);
    expect(c.nextStep.code).toBe('UNDER_REVIEW');
  });

  it('flags a likely duplicate (same policy, date and cause) to staff, never to the customer', async () => {
    const lossAt = recentLoss(50);
    // A copy of the demo TPL policy of this test's own: another suite's claim on the demo policy
    // with the same day and cause would be the duplicate found instead.
    const tpl = (await getPolicy('TPL-2026-0001'))!;
    const policyNumber = await policies.put(tpl);
    const body = makeClaimRequest({ policyNumber, lossAt, cause: 'third_party_property' });
    const first = await submit(an, body);
    await eventually(async () =>
      (await claimOf(an, first.body.claimId)).timeline.some(
        (e: { type: string }) => e.type === 'AssessmentAwaited',
      )
        ? true
        : undefined,
    );
    const second = await submit(an, {
      ...body,
      description: 'Báo lại lần nữa vụ va chạm hôm qua với xe khác.',
    });
    const c = await eventually(async () => {
      const v = await claimOf(an, second.body.claimId);
      return v.timeline.some((e: { type: string }) => e.type === 'ClaimChecked') ? v : undefined;
    });
    // The customer's view carries the other claim nowhere: not in the checks, not in the timeline.
    expect(c.checks).toEqual([]);
    const customerJson = JSON.stringify(c);
    expect(customerJson).not.toContain(first.body.claimNumber);
    expect(customerJson).not.toContain(first.body.claimId);
    expect(customerJson).not.toContain('POSSIBLE_DUPLICATE');
    // Staff see the warning and which claim it points at.
    const hai = await apiAs(stack.apiUrl, 'hai.do');
    const staffView = await claimOf(hai, second.body.claimId);
    expect(staffView.checks).toEqual([
      {
        code: 'POSSIBLE_DUPLICATE',
        severity: 'warn',
        params: { otherClaimNumber: first.body.claimNumber, otherClaimId: first.body.claimId },
      },
    ]);
    const checked = staffView.timeline.find((e: { type: string }) => e.type === 'ClaimChecked');
    expect(JSON.stringify(checked.data)).toContain(first.body.claimNumber);
  });
});

describe('bad input gets a coded 4xx, never a 5xx', () => {
  it('malformed JSON', async () => {
    const r = await an.raw('/claims', {
      method: 'POST',
      body: '{"policyNumber": ',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('MALFORMED_JSON');
  });

  it('not JSON at all', async () => {
    const r = await an.raw('/claims', {
      method: 'POST',
      body: 'policy=1',
      headers: { 'content-type': 'text/plain', 'idempotency-key': randomUUID() },
    });
    expect(r.status).toBe(415);
    expect(r.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('an oversized body', async () => {
    const body = { ...makeClaimRequest(), description: 'x'.repeat(70_000) };
    const r = await submit(an, body);
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('BODY_TOO_LARGE');
  });

  it('wrong types and unknown fields, named field by field', async () => {
    const r = await submit(an, {
      ...makeClaimRequest(),
      estimatedAmount: { amount: '8500000', currency: 'VND' },
      role: 'admin',
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
    expect(r.body.error.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'role', code: 'unrecognized_keys' }),
        expect.objectContaining({ path: 'estimatedAmount.amount', code: 'invalid_type' }),
      ]),
    );
  });

  it('facts that do not fit the product', async () => {
    const r = await submit(
      an,
      makeClaimRequest({
        lossAt: recentLoss(),
        facts: { kind: 'travel', country: 'Japan', tripStart: '2026-11-01', tripEnd: '2026-11-10' },
      }),
    );
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('FACTS_DO_NOT_MATCH_PRODUCT');
  });

  it('someone else’s policy reads as not found', async () => {
    const r = await submit(binh, makeClaimRequest({ lossAt: recentLoss() }));
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('POLICY_NOT_FOUND');
  });

  it('an unknown route', async () => {
    const r = await an.get('/nope');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('ROUTE_NOT_FOUND');
  });
});

describe('customers only reach their own claims', () => {
  let claimId: string;
  beforeAll(async () => {
    claimId = (await submit(an, makeClaimRequest({ lossAt: recentLoss(5), cause: 'theft' }))).body.claimId;
  });

  it('another customer cannot read it, and cannot tell it exists', async () => {
    const r = await binh.get(`/claims/${claimId}`);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('CLAIM_NOT_FOUND');
    expect(JSON.stringify(r.body)).not.toContain('an.nguyen');
    const missing = await binh.get('/claims/does-not-exist');
    expect(missing.body.error.code).toBe('CLAIM_NOT_FOUND');
  });

  it('another customer cannot upload to it', async () => {
    const r = await binh.post(`/claims/${claimId}/documents`, {
      docType: 'damage_photos',
      fileName: 'x.png',
      contentType: 'image/png',
      size: 100,
    });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('CLAIM_NOT_FOUND');
  });

  it('another customer’s list does not include it', async () => {
    const r = await binh.get('/claims');
    expect(r.body.items.map((c: { claimId: string }) => c.claimId)).not.toContain(claimId);
  });
});
