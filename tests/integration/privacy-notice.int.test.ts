import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsOfClaim, getClaim } from '../../lambdas/adapters/dynamo/claims-repo.ts';
import { submitClaim } from '../../lambdas/app/submit-claim.ts';
import { PRIVACY_NOTICE_VERSION } from '../../lambdas/core/privacy-notice.ts';
import { systemClock } from '../../lambdas/core/time.ts';
import { userIdFor } from '../../local/demo-data.ts';
import { hoursAgo } from '../helpers/claims.ts';
import { makeClaimRequest } from '../helpers/factories.ts';
import { type Api, apiAs, useStack } from '../helpers/stack.ts';
import { suitePolicies } from '../helpers/suite-policies.ts';

/**
 * The privacy notice is given before a claim is filed, and the claim shows that it was (Decree
 * 13/2023 Art. 13): the app and the phone form send the version they showed or read out; the API
 * refuses a claim without it, or with an older one, and records version, time and channel in the
 * filing write itself.
 */
const stack = useStack();
const policies = suitePolicies('MOT-PRV');
afterAll(() => policies.removeAll());

let an: Api;
let hai: Api;
beforeAll(async () => {
  an = await apiAs(stack.apiUrl, 'an.nguyen');
  hai = await apiAs(stack.apiUrl, 'hai.do');
});

const report = async (privacyNotice: string | undefined) => {
  const { privacyNotice: _given, ...rest } = makeClaimRequest({
    policyNumber: await policies.running(100, 200),
    lossAt: hoursAgo(5),
  });
  return privacyNotice === undefined ? rest : { ...rest, privacyNotice };
};

describe('the privacy notice at first notice of loss', () => {
  it('a claim from the app without the notice, or with an older one, is refused with a code and not filed', async () => {
    const key = randomUUID();
    const body = await report(undefined);
    const none = await an.post('/claims', body, { 'idempotency-key': key });
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('PRIVACY_NOTICE_REQUIRED');

    const old = await an.post(
      '/claims',
      { ...body, privacyNotice: '2020-01-01' },
      { 'idempotency-key': key },
    );
    expect(old.status).toBe(400);
    expect(old.body.error.code).toBe('PRIVACY_NOTICE_OUTDATED');

    // Nothing was filed under that key: the same request with the notice creates the claim now.
    const ok = await an.post(
      '/claims',
      { ...body, privacyNotice: PRIVACY_NOTICE_VERSION },
      { 'idempotency-key': key },
    );
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
  });

  it('a claim from the app records the version, the time and the web channel, on the claim and in its first event', async () => {
    const r = await an.post('/claims', await report(PRIVACY_NOTICE_VERSION), {
      'idempotency-key': randomUUID(),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const stored = await getClaim(r.body.claimId);
    expect(stored?.privacyNotice).toEqual({
      version: PRIVACY_NOTICE_VERSION,
      at: stored?.submittedAt,
      channel: 'web',
    });
    // Recorded once, on the claim; not a part of the loss report.
    expect(stored?.report).not.toHaveProperty('privacyNotice');
    const [submitted] = await eventsOfClaim(r.body.claimId);
    expect(submitted?.type).toBe('ClaimSubmitted');
    expect(submitted?.data).toMatchObject({ privacyNotice: PRIVACY_NOTICE_VERSION });
    // The customer can see what they were given.
    const mine = await an.get(`/claims/${r.body.claimId}`);
    expect(mine.body.privacyNotice).toMatchObject({ version: PRIVACY_NOTICE_VERSION, channel: 'web' });
  });

  it('a retry of a claim filed before the notice changed gets that claim, not a refusal that would have it filed again', async () => {
    // Past the HTTP layer's idempotency record (it expires): the use case itself sees the retry.
    const idempotencyKey = randomUUID();
    const given = await report(PRIVACY_NOTICE_VERSION);
    const command = (privacyNotice: string) => ({
      report: { ...given, privacyNotice } as never,
      customerId: 'CUS-0001',
      channel: 'web' as const,
      actor: { kind: 'customer' as const, id: userIdFor('an.nguyen') },
      idempotencyKey,
    });
    const first = await submitClaim(command(PRIVACY_NOTICE_VERSION), systemClock);
    expect(first.created).toBe(true);
    // The app sends again what it showed then; the notice in force has moved on since.
    const retry = await submitClaim(command('2020-01-01'), systemClock);
    expect(retry).toMatchObject({ created: false, claim: { claimId: first.claim.claimId } });
    // A new claim with the old notice is still refused.
    await expect(
      submitClaim({ ...command('2020-01-01'), idempotencyKey: randomUUID() }, systemClock),
    ).rejects.toMatchObject({ code: 'PRIVACY_NOTICE_OUTDATED' });
  });

  it('a claim taken by phone needs the notice read to the customer, and records the phone channel', async () => {
    const refused = await hai.post(
      '/staff/claims',
      { customerId: 'CUS-0001', report: await report(undefined) },
      { 'idempotency-key': randomUUID() },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('PRIVACY_NOTICE_REQUIRED');

    const r = await hai.post(
      '/staff/claims',
      { customerId: 'CUS-0001', report: await report(PRIVACY_NOTICE_VERSION) },
      { 'idempotency-key': randomUUID() },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const stored = await getClaim(r.body.claimId);
    expect(stored?.channel).toBe('phone');
    expect(stored?.privacyNotice).toEqual({
      version: PRIVACY_NOTICE_VERSION,
      at: stored?.submittedAt,
      channel: 'phone',
    });
  });
});
