import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suitePolicies } from '../helpers/suite-policies.ts';
import { dynamo } from '../../lambdas/adapters/aws-clients.ts';
import { keys } from '../../lambdas/adapters/dynamo/keys.ts';
import { eventsOfClaim } from '../../lambdas/adapters/dynamo/claims-repo.ts';
import { getPayout, payoutsAwaiting } from '../../lambdas/adapters/dynamo/finance-repo.ts';
import { ACCOUNT_CHANGE_COOLING_MS } from '../../lambdas/core/finance.ts';
import { fileClaim, getClaim, hoursAgo, until, uploadMissingDocuments } from '../helpers/claims.ts';
import { payoutAccountCode } from '../helpers/email.ts';
import { type Api, apiAs, eventually, useStack } from '../helpers/stack.ts';

/**
 * A change of payout account after submission needs the customer's confirmation through the
 * contact registered on their customer record, and holds the payment until then.
 */
const stack = useStack();

interface Email {
  subject: string;
  destination: { to: string[] };
  text?: string;
  body?: { text?: string };
}
const emails = async (): Promise<Email[]> =>
  ((await (await fetch(`${stack.mailUrl}/store`)).json()) as { emails: Email[] }).emails;

/** The confirmation code's own letter (the claim's acknowledgement may arrive meanwhile). */
const CODE_SUBJECT = /Mã xác nhận|Code to confirm/;

const NEW_ACCOUNT = {
  bankName: 'Techcombank',
  accountNumber: '19034567891234',
  accountHolder: 'NGUYEN VAN AN',
};

let an: Api;
let binh: Api;
let hai: Api;
beforeAll(async () => {
  an = await apiAs(stack.apiUrl, 'an.nguyen');
  binh = await apiAs(stack.apiUrl, 'binh.tran');
  hai = await apiAs(stack.apiUrl, 'hai.do');
});

/** Policies of this suite's own (removed afterwards), so other suites' claims are not its duplicates. */
const policies = suitePolicies('MOT-PAC');
afterAll(() => policies.removeAll());

/** The code sent for the claim after the first `after` e-mails (tests/helpers/email.ts). */
const codeFor = (claimNumber: string, after: number) => payoutAccountCode(stack.mailUrl, claimNumber, after);

/** Another code is asked for past the day's limit: 429 ACCOUNT_CHANGE_LIMIT, and no code letter goes out. */
async function expectRefusedWithoutCode(claimId: string, claimNumber: string) {
  const before = (await emails()).length;
  const r = await an.post(`/claims/${claimId}/payout-account`, NEW_ACCOUNT);
  expect(r.status).toBe(429);
  expect(r.body.error.code).toBe('ACCOUNT_CHANGE_LIMIT');
  const codes = (await emails())
    .slice(before)
    .filter((m) => m.subject.includes(claimNumber) && CODE_SUBJECT.test(m.subject));
  expect(codes).toEqual([]);
}

describe('changing the payout account after submission', () => {
  it('sends a code to the registered contact, holds the payment, and applies the account once confirmed', async () => {
    // The claim gives another address; the code must go to the one on the customer record.
    const { claimId, claimNumber } = await fileClaim(an, {
      cause: 'collision',
      lossAt: hoursAgo(80),
      contact: { phone: '0987654321', email: 'someone.else@example.com' },
    });
    const before = (await emails()).length;
    const r = await an.post(`/claims/${claimId}/payout-account`, NEW_ACCOUNT);
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    const code = await codeFor(claimNumber, before);
    for (const m of (await emails()).slice(before))
      if (m.destination.to.includes('someone.else@example.com')) console.log('DEBUGMAIL', m.subject);
    // The code goes to the registered contact only (the claim's acknowledgement, which goes to the
    // contact the customer typed, may arrive meanwhile: only code letters are counted).
    expect(
      (await emails())
        .slice(before)
        .some((m) => CODE_SUBJECT.test(m.subject) && m.destination.to.includes('someone.else@example.com')),
    ).toBe(false);

    const held = await getClaim(hai, claimId);
    expect(held.paymentHold).toMatchObject({ reason: 'payout_account_change' });
    expect(held.pendingPayoutAccount).toMatchObject({ bankName: 'Techcombank', accountMask: '•••• 1234' });
    expect(held.payoutAccountChange).toBeUndefined();
    expect(held.report.payoutAccount.accountMask).not.toBe('•••• 1234');

    // Stored: the code only as a hash, the new number only sealed; events carry the mask.
    const raw = await dynamo().send(
      new GetCommand({ TableName: stack.env.TABLE_NAME, Key: keys.claim(claimId) }),
    );
    const stored = JSON.stringify(raw.Item);
    expect(stored).not.toContain(code);
    expect(stored).not.toContain(NEW_ACCOUNT.accountNumber);
    expect(JSON.stringify(await eventsOfClaim(claimId))).not.toContain(NEW_ACCOUNT.accountNumber);

    const wrongCode = code === '000000' ? '111111' : '000000';
    const wrong = await an.post(`/claims/${claimId}/payout-account/confirm`, { code: wrongCode });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.code).toBe('CONFIRMATION_CODE_WRONG');

    const ok = await an.post(`/claims/${claimId}/payout-account/confirm`, { code });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const after = await getClaim(hai, claimId);
    expect(after.paymentHold).toBeUndefined();
    expect(after.pendingPayoutAccount).toBeUndefined();
    expect(after.report.payoutAccount).toMatchObject({ bankName: 'Techcombank', accountMask: '•••• 1234' });
    const types = after.timeline.map((e: { type: string }) => e.type);
    expect(types).toContain('PayoutAccountChangeRequested');
    expect(types).toContain('PayoutAccountChanged');
    // A used code cannot be replayed.
    expect((await an.post(`/claims/${claimId}/payout-account/confirm`, { code })).status).toBe(409);
  });

  it('locks the code after too many wrong tries', async () => {
    const { claimId, claimNumber } = await fileClaim(an, { cause: 'flood', lossAt: hoursAgo(90) });
    const before = (await emails()).length;
    expect((await an.post(`/claims/${claimId}/payout-account`, NEW_ACCOUNT)).status).toBe(202);
    const code = await codeFor(claimNumber, before);
    const wrongCode = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      expect((await an.post(`/claims/${claimId}/payout-account/confirm`, { code: wrongCode })).status).toBe(
        422,
      );
    }
    const locked = await an.post(`/claims/${claimId}/payout-account/confirm`, { code });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('ACCOUNT_CHANGE_LIMIT');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await getClaim(hai, claimId)).paymentHold).toBeDefined();
    // Asking for a new code does not buy five more guesses: refused until midnight in Vietnam,
    // and no code is sent.
    await expectRefusedWithoutCode(claimId, claimNumber);
  });

  it('sends at most five codes a day for a claim (each an e-mail and an SMS to the customer)', async () => {
    const { claimId, claimNumber } = await fileClaim(an, { cause: 'storm', lossAt: hoursAgo(95) });
    let fifth = 0;
    for (let i = 0; i < 5; i++) {
      fifth = (await emails()).length;
      const r = await an.post(`/claims/${claimId}/payout-account`, NEW_ACCOUNT);
      expect(r.status, JSON.stringify(r.body)).toBe(202);
    }
    const code = await codeFor(claimNumber, fifth);
    await expectRefusedWithoutCode(claimId, claimNumber);
    // The last code sent still confirms the change.
    expect((await an.post(`/claims/${claimId}/payout-account/confirm`, { code })).status).toBe(200);
  });

  it('sends at most five codes for ten requests at once: a code is counted before it is sent', async () => {
    const { claimId, claimNumber } = await fileClaim(an, { cause: 'storm', lossAt: hoursAgo(97) });
    const before = (await emails()).length;
    const rs = await Promise.all(
      Array.from({ length: 10 }, () => an.post(`/claims/${claimId}/payout-account`, NEW_ACCOUNT)),
    );
    const statuses = rs.map((r) => r.status);
    expect(
      statuses.every((s) => s === 202 || s === 429 || s === 409),
      JSON.stringify(statuses),
    ).toBe(true);
    expect(statuses.filter((s) => s === 202).length).toBeGreaterThanOrEqual(1);
    const sent = (await emails())
      .slice(before)
      .filter((m) => m.subject.includes(claimNumber) && CODE_SUBJECT.test(m.subject));
    expect(sent.length).toBeLessThanOrEqual(5);
    // Every code refused for the day's limit was refused before anything went out.
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5);
  });

  it('is the customer’s own: another customer and staff cannot change it', async () => {
    const { claimId } = await fileClaim(an, { cause: 'fire', lossAt: hoursAgo(100) });
    expect((await binh.post(`/claims/${claimId}/payout-account`, NEW_ACCOUNT)).status).toBe(404);
    expect((await hai.post(`/claims/${claimId}/payout-account`, NEW_ACCOUNT)).status).toBe(403);
    expect((await binh.post(`/claims/${claimId}/payout-account/confirm`, { code: '123456' })).status).toBe(
      404,
    );
    expect(
      (await an.post(`/claims/${claimId}/payout-account`, { ...NEW_ACCOUNT, accountNumber: '12' })).status,
    ).toBe(400);
  });
});

describe('a payout waiting for finance', () => {
  it('leaves the awaiting queue while the change is unconfirmed and comes back with the new account', async () => {
    const minh = await apiAs(stack.apiUrl, 'minh.dang');
    const { claimId, claimNumber } = await fileClaim(an, {
      // A policy of its own: another claim on the same policy within days is a possible duplicate.
      policyNumber: await policies.running(200, 200),
      cause: 'explosion',
      lossAt: hoursAgo(2 + 26 * 4),
      estimatedAmount: { amount: 6_100_000, currency: 'VND' },
    });
    await until(an, claimId, (c) => c.status === 'AWAITING_DOCUMENTS');
    await uploadMissingDocuments(an, claimId, 77, { repair_invoice: 6_100_000 });
    await until(
      hai,
      claimId,
      (x) => x.status === 'PAYMENT_QUEUED' && x.waitingFor === 'payment',
      15_000,
    ).catch(async (e) => {
      const c = await getClaim(hai, claimId);
      throw new Error(`${e}: ${c.status} ${JSON.stringify(c.straightThrough)} ${JSON.stringify(c.checks)}`);
    });
    const awaiting = async () =>
      (
        (await minh.get('/finance/payouts?status=awaiting&limit=100')).body.items as { claimId: string }[]
      ).some((p) => p.claimId === claimId);
    expect(await awaiting()).toBe(true);

    const before = (await emails()).length;
    expect((await an.post(`/claims/${claimId}/payout-account`, NEW_ACCOUNT)).status).toBe(202);
    expect(await awaiting()).toBe(false);
    const code = await codeFor(claimNumber, before);
    expect((await an.post(`/claims/${claimId}/payout-account/confirm`, { code })).status).toBe(200);
    expect(await awaiting()).toBe(true);
    const payout = (
      (await minh.get('/finance/payouts?status=awaiting&limit=100')).body.items as {
        claimId: string;
        account: { accountMask: string };
      }[]
    ).find((p) => p.claimId === claimId);
    expect(payout?.account.accountMask).toBe('•••• 1234');
    // Listed for finance, but no batch takes it for a day: the registered contacts have that long to
    // stop a change they did not make (a batch reads the queue up to its cut-off, never in the future).
    const line = await getPayout(claimId);
    const changedAt = (await getClaim(hai, claimId)).payoutAccountChangedAt;
    expect(Date.parse(line?.notBefore ?? '')).toBe(Date.parse(changedAt) + ACCOUNT_CHANGE_COOLING_MS);
    const batchable = async (cutoff: string) => {
      for (let cursor: string | undefined, page = 0; page < 50; page++) {
        const r = await payoutsAwaiting({ cutoff, limit: 100, cursor });
        if (r.items.some((p) => p.claimId === claimId)) return true;
        cursor = r.cursor;
        if (!cursor) return false;
      }
      return false;
    };
    expect(await batchable(new Date().toISOString())).toBe(false);
    // Every registered contact hears of the change, by e-mail and SMS, with the time it may be paid from.
    const notice = await eventually(async () =>
      (await emails())
        .slice(before)
        .find((m) => m.subject.includes(claimNumber) && /đã được đổi|was changed/.test(m.subject)),
    );
    const body = notice.body?.text ?? notice.text ?? '';
    expect(body).toContain('•••• 1234');
    expect(body).toMatch(/chỉ được thực hiện từ|nothing is paid into the new account before/);
    const texts = await eventually(async () => {
      const sms = (
        (await (await fetch(`${stack.inboxUrl}/inbox`)).json()) as { kind: string; message: string }[]
      ).filter((m) => m.kind === 'sms' && m.message.includes(claimNumber) && m.message.includes('1234'));
      return sms.length > 0 ? sms : undefined;
    });
    // Once it has run out, a batch takes it.
    expect(await batchable(new Date(Date.now() + ACCOUNT_CHANGE_COOLING_MS + 60_000).toISOString())).toBe(
      true,
    );
    expect(texts[0]?.message).toMatch(/da doi sang|was changed to/);

    // The customer calls: she made no such change. The supervisor refers the claim and the payment is held.
    const note = { note: 'Khách hàng gọi tổng đài: không hề đổi tài khoản nhận tiền' };
    expect((await binh.post(`/claims/${claimId}/siu-referral`, note)).status).toBe(403);
    const referred = await hai.post(`/claims/${claimId}/siu-referral`, note);
    expect(referred.status, JSON.stringify(referred.body)).toBe(200);
    expect(referred.body.siu).toMatchObject({ status: 'referred', reasons: ['STAFF_REFERRAL'] });
    expect(await getPayout(claimId)).toMatchObject({ hold: { reason: 'siu_referral' } });
    expect(await awaiting()).toBe(false);
    const timeline = (await getClaim(hai, claimId)).timeline as { type: string; data: { note?: string } }[];
    expect(timeline.find((e) => e.type === 'ClaimReferredToSiu')?.data.note).toBe(note.note);
    // The customer does not see that her claim is with the SIU.
    const hers = await getClaim(an, claimId);
    expect(JSON.stringify(hers)).not.toMatch(/siu|SIU|ClaimReferredToSiu/);
  });
});
