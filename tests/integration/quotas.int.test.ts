import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quotaUsed, takeQuotaSlot } from '../../lambdas/adapters/dynamo/quota-repo.ts';
import { putPolicy } from '../../lambdas/adapters/dynamo/policies-repo.ts';
import { changeQuotas, quotasInForce } from '../../lambdas/app/configuration.ts';
import { submitClaim } from '../../lambdas/app/submit-claim.ts';
import { Policy } from '../../lambdas/core/policy.ts';
import { DEFAULT_QUOTAS, type QuotaLimits, quotaWindow } from '../../lambdas/core/quotas.ts';
import { systemClock } from '../../lambdas/core/time.ts';
import { userIdFor } from '../../local/demo-data.ts';
import { hoursAgo, until } from '../helpers/claims.ts';
import { createAccount } from '../helpers/accounts.ts';
import { makeClaimRequest, makePolicy } from '../helpers/factories.ts';
import { type Api, apiAs, useStack } from '../helpers/stack.ts';

/**
 * Per-caller write quotas (issue 8): claims per customer per Vietnamese day, upload tickets per
 * claim per day, enforced by conditional counters in DynamoDB. The shared test stack raises the
 * claims quota (tests/helpers/global-setup.ts); this file puts the shipped defaults back in force
 * while it runs, so what is proven here is the real default.
 */
const stack = useStack();
const admin = {
  userId: userIdFor('admin'),
  username: 'admin',
  roles: ['admin' as const],
  locale: 'vi' as const,
};

let stackQuotas: QuotaLimits;
let customer: Api;
let otherCustomer: Api;
let supervisor: Api;
let customerId: string;
let policyNumber: string;
const accepted = new Map<string, { claimId: string; body: ReturnType<typeof makeClaimRequest> }>();

/** A customer of its own with one motor policy, so earlier suites' claims do not count. */
async function newCustomer(tag: string) {
  const suffix = randomUUID().slice(0, 8);
  const id = `CUS-Q${tag}${suffix}`;
  const username = `quota.${tag}.${suffix}`;
  await createAccount({
    userId: randomUUID(),
    username,
    displayName: 'Phạm Quota',
    email: `${username}@example.vn`,
    phone: '0911000111',
    locale: 'vi',
    roles: ['customer'],
    customerId: id,
  });
  const policy = Policy.parse(
    makePolicy({
      policyNumber: `MOT-Q-${suffix}`,
      customerId: id,
      effectiveFrom: new Date(Date.now() - 30 * 86_400_000).toISOString(),
      effectiveTo: new Date(Date.now() + 300 * 86_400_000).toISOString(),
    }),
  );
  await putPolicy(policy);
  return { id, username, policyNumber: policy.policyNumber, api: await apiAs(stack.apiUrl, username) };
}

const report = (i: number) =>
  makeClaimRequest({
    policyNumber,
    lossAt: hoursAgo(2),
    description: `Va chạm lần ${i}: móp cửa sau bên phải khi lùi xe trong hầm.`,
  });

let adminApi: Api;
const putQuotas = (body: unknown) =>
  adminApi.raw('/admin/quotas', {
    method: 'PUT',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });

beforeAll(async () => {
  adminApi = await apiAs(stack.apiUrl, 'admin');
  const inForce = await quotasInForce();
  stackQuotas = inForce.quotas;
  // As an admin would: through the API, audited, on the version in force.
  const put = await putQuotas({ expectedVersion: inForce.version, quotas: DEFAULT_QUOTAS });
  expect(put.status).toBe(200);
  expect(put.body).toMatchObject({ version: inForce.version + 1, changed: true });
  const [a, b] = await Promise.all([newCustomer('a'), newCustomer('b')]);
  customer = a.api;
  customerId = a.id;
  policyNumber = a.policyNumber;
  otherCustomer = b.api;
  supervisor = await apiAs(stack.apiUrl, 'hai.do');
});

afterAll(async () => {
  const { version } = await quotasInForce();
  await changeQuotas(admin, { expectedVersion: version, quotas: stackQuotas }, systemClock);
});

describe('quota configuration', () => {
  it('is the admin’s: shown with the configuration, changed only by admins, validated', async () => {
    const shown = await adminApi.get('/admin/products');
    expect(shown.body.quotas).toMatchObject({ quotas: DEFAULT_QUOTAS, version: expect.any(Number) });
    const { version } = shown.body.quotas;
    const bad = await putQuotas({
      expectedVersion: version,
      quotas: { ...DEFAULT_QUOTAS, uploadsPerClaimPerDay: 0 },
    });
    expect(bad.status).toBe(400);
    const stale = await putQuotas({ expectedVersion: version - 1, quotas: DEFAULT_QUOTAS });
    expect(stale.status).toBe(409);
    const notAdmin = await supervisor.raw('/admin/quotas', {
      method: 'PUT',
      body: JSON.stringify({
        expectedVersion: version,
        quotas: { ...DEFAULT_QUOTAS, claimsPerCustomerPerDay: 999 },
      }),
      headers: { 'content-type': 'application/json' },
    });
    expect(notAdmin.status).toBe(403);
    expect((await quotasInForce()).quotas).toEqual(DEFAULT_QUOTAS);
  });
});

describe('claims per customer per day', () => {
  it('of 100 concurrent submissions, accepts exactly the default daily quota and refuses the rest with 429', async () => {
    const limit = DEFAULT_QUOTAS.claimsPerCustomerPerDay;
    // More attempts than the quota, so some must be refused (and the checks on them run).
    expect(limit).toBeLessThan(100);
    const attempts = Array.from({ length: 100 }, (_, i) => ({ key: randomUUID(), body: report(i) }));
    const before = quotaWindow(new Date());
    const answers = await Promise.all(
      attempts.map(async (a) => ({
        ...a,
        r: await customer.post('/claims', a.body, { 'idempotency-key': a.key }),
      })),
    );
    const created = answers.filter((a) => a.r.status === 201);
    const refused = answers.filter((a) => a.r.status === 429);
    expect(created).toHaveLength(limit);
    expect(refused).toHaveLength(100 - limit);
    expect(refused.length).toBeGreaterThan(0);
    for (const a of created) accepted.set(a.key, { claimId: a.r.body.claimId, body: a.body });

    const window = quotaWindow(new Date());
    for (const { r } of refused) {
      expect(r.body.error).toMatchObject({ code: 'QUOTA_EXCEEDED', quota: 'claims', limit });
      expect(r.body.error.message).toEqual(expect.any(String));
      const retryAfter = Number(r.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter)).toBe(true);
      // Seconds until midnight in Vietnam, as seen between sending and reading the answers.
      expect(retryAfter).toBeGreaterThanOrEqual(window.retryAfterSeconds);
      expect(retryAfter).toBeLessThanOrEqual(before.retryAfterSeconds);
      expect(r.body.error.resetsAt).toBe(window.resetsAt.toISOString());
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    }
    // Exactly the accepted claims exist, and the counter says so.
    const mine = await customer.get('/claims?limit=100');
    expect(mine.status).toBe(200);
    expect(mine.body.items).toHaveLength(limit);
    expect(await quotaUsed('claims', customerId, window.date)).toBe(limit);
  }, 180_000);

  it('replays an accepted submission after the quota is used up, without counting it again', async () => {
    const [key, first] = [...accepted.entries()][0] ?? [];
    expect(key).toBeDefined();
    const again = await customer.post('/claims', first?.body, { 'idempotency-key': key as string });
    expect(again.status).toBe(201);
    expect(again.body.claimId).toBe(first?.claimId);
    // Also when the stored response is gone and the use case itself sees the claim again.
    const direct = await submitClaim(
      {
        report: first?.body as ReturnType<typeof makeClaimRequest>,
        customerId,
        channel: 'web',
        actor: { kind: 'customer' },
        idempotencyKey: key as string,
      },
      systemClock,
    );
    expect(direct).toMatchObject({ created: false, claim: { claimId: first?.claimId } });
    expect(await quotaUsed('claims', customerId, quotaWindow(new Date()).date)).toBe(
      DEFAULT_QUOTAS.claimsPerCustomerPerDay,
    );
    // A new submission is still refused.
    const fresh = await customer.post('/claims', report(101), { 'idempotency-key': randomUUID() });
    expect(fresh.status).toBe(429);
  });

  it('counts a claim staff file on the phone against that customer, and no one else', async () => {
    const byPhone = await supervisor.post(
      '/staff/claims',
      { customerId, report: report(102) },
      { 'idempotency-key': randomUUID() },
    );
    expect(byPhone.status).toBe(429);
    expect(byPhone.body.error.code).toBe('QUOTA_EXCEEDED');
    expect(byPhone.headers.get('retry-after')).toMatch(/^\d+$/);
    const other = await otherCustomer.get('/policies');
    const own = await otherCustomer.post(
      '/claims',
      makeClaimRequest({ policyNumber: other.body.items[0].policyNumber, lossAt: hoursAgo(2) }),
      { 'idempotency-key': randomUUID() },
    );
    expect(own.status).toBe(201);
  });

  it('keeps one slot per claim however often the same claim asks for it', async () => {
    const subject = `test-${randomUUID()}`;
    const date = quotaWindow(new Date()).date;
    const t = { quota: 'claims' as const, subject, date, limit: 1, expiresAtEpoch: 2_000_000_000 };
    expect(await takeQuotaSlot({ ...t, holder: 'claim-a' })).toEqual({ taken: true, used: 1 });
    expect(await takeQuotaSlot({ ...t, holder: 'claim-a' })).toEqual({ taken: true, used: 1 });
    expect(await takeQuotaSlot({ ...t, holder: 'claim-b' })).toEqual({ taken: false, used: 1 });
  });
});

describe('uploads per claim per day', () => {
  it('issues exactly the default number of upload tickets for one claim and refuses the rest', async () => {
    const limit = DEFAULT_QUOTAS.uploadsPerClaimPerDay;
    const claimId = [...accepted.values()][1]?.claimId;
    const ask = (api: Api, i: number) =>
      api.post(`/claims/${claimId}/documents`, {
        docType: 'damage_photos',
        fileName: `anh-${i}.png`,
        contentType: 'image/png',
        size: 100 + i,
      });
    const answers = await Promise.all(Array.from({ length: limit + 15 }, (_, i) => ask(customer, i)));
    expect(answers.filter((r) => r.status === 201)).toHaveLength(limit);
    const refused = answers.filter((r) => r.status === 429);
    expect(refused).toHaveLength(15);
    for (const r of refused) {
      expect(r.body.error).toMatchObject({ code: 'QUOTA_EXCEEDED', quota: 'uploads', limit });
      expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
    }
    // Staff uploads to the same claim share its quota: the adjuster the workflow assigned is refused too.
    const assigned = await until(supervisor, claimId as string, (c) => c.assignee !== undefined);
    // Whoever it is (other suites add adjusters the workflow may pick): found in the staff list.
    const staff = (await supervisor.get('/staff')).body.items as { userId: string; username: string }[];
    const adjuster = staff.find((u) => u.userId === assigned.assignee.staffId);
    expect(adjuster).toBeDefined();
    const byStaff = await ask(await apiAs(stack.apiUrl, adjuster?.username ?? ''), 999);
    expect(byStaff.body.error?.code).toBe('QUOTA_EXCEEDED');
    expect(byStaff.status).toBe(429);
    // Another claim of the same customer has its own.
    const other = [...accepted.values()][2]?.claimId;
    const elsewhere = await customer.post(`/claims/${other}/documents`, {
      docType: 'damage_photos',
      fileName: 'anh.png',
      contentType: 'image/png',
      size: 100,
    });
    expect(elsewhere.status).toBe(201);
  }, 120_000);
});
