import { beforeAll, describe, expect, it } from 'vitest';
import { getPayout } from '../../lambdas/adapters/dynamo/finance-repo.ts';
import { DEMO_USERS } from '../../local/demo-data.ts';
import { fileClaim, getClaim, hoursAgo, parked, until } from '../helpers/claims.ts';
import { type Api, apiAs, eventually, useStack } from '../helpers/stack.ts';

/**
 * Advance payments on compulsory motor TPL (Decree 67/2023 Art. 14): a real action with its own
 * payout line, meeting the advance-payment deadline, within the reserve and the approver's authority.
 */
const stack = useStack();
const userIdOf = (username: string) => DEMO_USERS.find((u) => u.username === username)!.userId;

let an: Api;
let hai: Api;
let dung: Api;
let minh: Api;
beforeAll(async () => {
  an = await apiAs(stack.apiUrl, 'an.nguyen');
  hai = await apiAs(stack.apiUrl, 'hai.do');
  dung = await apiAs(stack.apiUrl, 'dung.pham');
  minh = await apiAs(stack.apiUrl, 'minh.dang');
});

async function tplClaimForDung(hours: number) {
  const { claimId, claimNumber } = await fileClaim(an, {
    policyNumber: 'TPL-2026-0001',
    cause: 'third_party_property',
    lossAt: hoursAgo(hours),
    estimatedAmount: { amount: 30_000_000, currency: 'VND' },
  });
  const c = await until(hai, claimId, parked(), 15_000);
  const r = await hai.post(`/claims/${claimId}/assignment`, {
    expectedVersion: c.version,
    staffId: userIdOf('dung.pham'),
    reason: 'Tạm ứng cho bên thứ ba',
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return { claimId, claimNumber };
}

describe('advance payment on a compulsory motor TPL claim', () => {
  it('creates its own payout line, meets the advance deadline and stays within the reserve', async () => {
    const { claimId } = await tplClaimForDung(5);
    const c = await getClaim(dung, claimId);
    const reserve = c.classification.reserve.amount as number;
    expect(reserve).toBeGreaterThan(0);

    const tooMuch = await dung.post(`/claims/${claimId}/advance-payment`, {
      expectedVersion: c.version,
      amount: reserve + 1,
      note: 'Tạm ứng chi phí sửa xe cho bên thứ ba',
    });
    expect(tooMuch.status).toBe(400);

    const amount = Math.min(5_000_000, reserve);
    const ok = await dung.post(`/claims/${claimId}/advance-payment`, {
      expectedVersion: c.version,
      amount,
      note: 'Tạm ứng chi phí sửa xe cho bên thứ ba',
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);

    const line = await getPayout(claimId, 1);
    expect(line).toMatchObject({ kind: 'advance', amount, status: 'awaiting', payoutId: `${claimId}-A1` });
    expect(JSON.stringify(line)).not.toMatch(/"accountNumber"/);
    // Finance sees it among the payouts awaiting a batch.
    const awaiting = (await minh.get('/finance/payouts?status=awaiting&limit=100')).body.items as {
      payoutId: string;
    }[];
    expect(awaiting.some((p) => p.payoutId === `${claimId}-A1`)).toBe(true);

    // The advance-payment deadline is met by the advance itself.
    await eventually(async () => {
      const d = ((await getClaim(hai, claimId)).deadlines ?? []).find(
        (x: { kind: string }) => x.kind === 'advance_payment',
      );
      return d?.status === 'met' ? d : undefined;
    }, 15_000);
    // The customer sees the advance (amount only) on the timeline.
    const mine = await getClaim(an, claimId);
    expect(mine.timeline.find((e: { type: string }) => e.type === 'AdvancePaymentApproved')?.data).toEqual({
      amount: { amount, currency: 'VND' },
      advance: 1,
    });
  });

  it('is refused to customers and on products without advances', async () => {
    const { claimId } = await tplClaimForDung(7);
    const c = await getClaim(hai, claimId);
    const body = { expectedVersion: c.version, amount: 1_000_000, note: 'Tạm ứng thử nghiệm quyền' };
    expect((await an.post(`/claims/${claimId}/advance-payment`, body)).status).toBe(403);
    // A motor own-damage claim has no advance payment.
    const od = await fileClaim(an, { cause: 'flood', lossAt: hoursAgo(9) });
    const odClaim = await until(hai, od.claimId, parked(), 15_000);
    const r = await hai.post(`/claims/${od.claimId}/advance-payment`, {
      ...body,
      expectedVersion: odClaim.version,
    });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('ADVANCE_NOT_AVAILABLE');
  });
});
