import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Api, apiAs, useStack } from '../helpers/stack.ts';

/**
 * Found by the fuzz suite: `GET /finance/batches?cursor=e30` answered 500 (the cursor was decoded
 * straight into DynamoDB's ExclusiveStartKey). The finance lists now page with cursors signed for
 * the caller and the list, like every other paged route.
 */
const stack = useStack();
let maker: Api;
let checker: Api;

beforeAll(async () => {
  [maker, checker] = await Promise.all([apiAs(stack.apiUrl, 'minh.dang'), apiAs(stack.apiUrl, 'oanh.vu')]);
  // Two batches with nothing in them (a cut-off long past), so the history has two pages of one.
  for (const day of ['2001-01-01', '2001-01-02']) {
    const r = await maker.post(
      '/finance/batches',
      { cutoff: `${day}T00:00:00+07:00` },
      { 'idempotency-key': randomUUID() },
    );
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  }
});

describe('finance list cursors', () => {
  it.each(['/finance/batches', '/finance/payouts'])(
    '%s refuses forged cursors with 400 INVALID_CURSOR',
    async (path) => {
      for (const cursor of ['e30', 'eyJwayI6IkJBVENIIn0', `${'A'.repeat(43)}.${'B'.repeat(43)}`, '%7B%7D']) {
        const r = await maker.get(`${path}?cursor=${cursor}`);
        expect(r.status, `${cursor}: ${JSON.stringify(r.body)}`).toBe(400);
        expect(r.body.error.code).toBe('INVALID_CURSOR');
      }
    },
  );

  it('pages the batch history with a cursor only its caller can use', async () => {
    const first = await maker.get('/finance/batches?limit=1');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    const cursor = first.body.cursor as string;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);

    const second = await maker.get(`/finance/batches?limit=1&cursor=${cursor}`);
    expect(second.status).toBe(200);
    expect(second.body.items[0].batchId).not.toBe(first.body.items[0].batchId);

    const foreign = await checker.get(`/finance/batches?limit=1&cursor=${cursor}`);
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.code).toBe('INVALID_CURSOR');
    // Nor is it a cursor for another list.
    const otherList = await maker.get(`/finance/payouts?cursor=${cursor}`);
    expect(otherList.status).toBe(400);
  });
});
