import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../local/demo-data.ts';
import { DEFAULT_QUOTAS } from '../../lambdas/core/quotas.ts';
import { fileClaim, getClaim, hoursAgo, parked, until } from '../helpers/claims.ts';
import { TEST_STACK_QUOTAS } from '../helpers/global-setup.ts';
import { type Api, apiAs, useStack } from '../helpers/stack.ts';

/**
 * The customer's messages on a claim's thread are limited per claim per day (core/quotas.ts
 * `messagesPerClaimPerDay`, counted in the transaction that saves each message); staff are not.
 */
const stack = useStack();
const userIdOf = (username: string) => DEMO_USERS.find((u) => u.username === username)!.userId;

/**
 * A contact, plate and payout account of this file's own: its claims stay out of the fraud-link
 * partitions the other suites' claims share (the link read takes 20 claims per attribute, so a
 * crowd of an.nguyen's claims there would hide the other customer fraud-referral looks for).
 */
const ownAttributes = (n: number) => ({
  contact: { phone: `09770302${String(n).padStart(2, '0')}`, email: `tin.nhan.${n}@example.vn` },
  facts: {
    kind: 'motor' as const,
    vehiclePlate: `29B-302.${String(n).padStart(2, '0')}`,
    policeAttended: false,
  },
  payoutAccount: {
    bankName: 'Vietcombank',
    accountNumber: `00113020${String(n).padStart(4, '0')}`,
    accountHolder: 'NGUYEN VAN AN',
  },
});

let an: Api;
let hai: Api;
let dung: Api;
beforeAll(async () => {
  [an, hai, dung] = await Promise.all([
    apiAs(stack.apiUrl, 'an.nguyen'),
    apiAs(stack.apiUrl, 'hai.do'),
    apiAs(stack.apiUrl, 'dung.pham'),
  ]);
});

const threadOf = async (api: Api, claimId: string) => {
  const items: { from: string; text: string }[] = [];
  let cursor: string | undefined;
  do {
    const r = await api.get(
      `/claims/${claimId}/messages?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(r.status).toBe(200);
    items.push(...r.body.items);
    cursor = r.body.cursor;
  } while (cursor);
  return items;
};

describe('the message quota', () => {
  it('takes the day’s messages on a claim, then answers 429 with a code and Retry-After; staff go on', async () => {
    const limit = TEST_STACK_QUOTAS.messagesPerClaimPerDay;
    expect(limit).toBe(DEFAULT_QUOTAS.messagesPerClaimPerDay);
    const { claimId } = await fileClaim(an, { ...ownAttributes(1), cause: 'flood', lossAt: hoursAgo(1_420) });
    await until(hai, claimId, parked());
    const c = await getClaim(hai, claimId);
    const assigned = await hai.post(`/claims/${claimId}/assignment`, {
      expectedVersion: c.version,
      staffId: userIdOf('dung.pham'),
      reason: 'Đúng địa bàn',
    });
    expect(assigned.status).toBe(200);

    for (let i = 1; i <= limit; i++) {
      const r = await an.post(`/claims/${claimId}/messages`, { text: `Tin nhắn số ${i}` });
      expect(r.status, `${i}: ${JSON.stringify(r.body)}`).toBe(201);
    }
    const over = await an.post(`/claims/${claimId}/messages`, { text: 'Một tin nữa' });
    expect(over.status).toBe(429);
    expect(over.body.error).toMatchObject({ code: 'MESSAGE_QUOTA_EXCEEDED', quota: 'messages', limit });
    const retryAfter = Number(over.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(24 * 3600);

    // The refused message was not written; the handler's reply is not limited.
    const reply = await dung.post(`/claims/${claimId}/messages`, { text: 'Chúng tôi đã nhận đủ tin nhắn.' });
    expect(reply.status).toBe(201);
    const thread = await threadOf(an, claimId);
    expect(thread.filter((m) => m.from === 'customer')).toHaveLength(limit);
    expect(thread.map((m) => m.text)).not.toContain('Một tin nữa');
    expect(thread.map((m) => m.text)).toContain('Chúng tôi đã nhận đủ tin nhắn.');

    // Per claim: the customer's other claim still takes messages.
    const other = await fileClaim(an, { ...ownAttributes(2), cause: 'flood', lossAt: hoursAgo(1_520) });
    expect((await an.post(`/claims/${other.claimId}/messages`, { text: 'Hồ sơ khác' })).status).toBe(201);
  });
});
