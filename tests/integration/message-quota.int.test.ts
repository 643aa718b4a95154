import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUOTAS } from '../../lambdas/core/quotas.ts';
import { assignTo, fileClaim, fileParked, hoursAgo } from '../helpers/claims.ts';
import { ownAttributes } from '../helpers/factories.ts';
import { TEST_STACK_QUOTAS } from '../helpers/global-setup.ts';
import { type Api, signIn } from '../helpers/stack.ts';

/**
 * The customer's messages on a claim's thread are limited per claim per day (core/quotas.ts
 * `messagesPerClaimPerDay`, counted in the transaction that saves each message); staff are not.
 */
/** This file's own contact, plate and payout account (see ownAttributes). */
const attributes = (n: number) => ownAttributes(302, 'tin.nhan', n);

let an: Api;
let hai: Api;
let dung: Api;
beforeAll(async () => {
  [an, hai, dung] = await signIn('an.nguyen', 'hai.do', 'dung.pham');
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
    const { claimId } = await fileParked(an, hai, {
      ...attributes(1),
      cause: 'flood',
      lossAt: hoursAgo(1_420),
    });
    const assigned = await assignTo(hai, claimId, 'dung.pham');
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
    const other = await fileClaim(an, { ...attributes(2), cause: 'flood', lossAt: hoursAgo(1_520) });
    expect((await an.post(`/claims/${other.claimId}/messages`, { text: 'Hồ sơ khác' })).status).toBe(201);
  });
});
