import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../lambdas/adapters/aws-clients.ts';
import { siuCaseItem } from '../../lambdas/adapters/dynamo/fraud-repo.ts';
import { tableName } from '../../lambdas/adapters/dynamo/table.ts';
import { createAccount } from '../helpers/accounts.ts';
import { type Api, apiAs, useStack } from '../helpers/stack.ts';

/**
 * The SIU queue and the paid-claims review page with cursors signed for the caller and the query,
 * like every other paged route (core/cursor.ts): the queue used to take a raw `after=<position>`
 * that went into DynamoDB's ExclusiveStartKey as given.
 */
const stack = useStack();
let nam: Api;
let other: Api;

beforeAll(async () => {
  // Two cases under investigation (queue items only: the page shows what the queue holds).
  for (const minute of ['01', '02'])
    await dynamo().send(
      new PutCommand({
        TableName: tableName(),
        Item: siuCaseItem({
          claimId: randomUUID(),
          claimNumber: `CUR-${minute}`,
          productCode: 'MOTOR_OD',
          amount: 5_000_000,
          status: 'investigating',
          referredAt: `2001-01-01T00:${minute}:00.000Z`,
          reasons: ['RED_FLAGS'],
          score: 0.5,
        }),
      }),
    );
  const username = `siu.${randomUUID().slice(0, 8)}`;
  await createAccount({
    userId: randomUUID(),
    username,
    displayName: 'Second Investigator',
    email: `${username}@insurer.example.vn`,
    locale: 'vi',
    roles: ['siu'],
    staff: { skills: [], regions: [], authorityLimit: 0, active: true, department: 'siu' },
  });
  [nam, other] = await Promise.all([apiAs(stack.apiUrl, 'nam.ly'), apiAs(stack.apiUrl, username)]);
});

const FORGED = [
  'e30',
  '2001-01-01T00:01:00.000Z%23x',
  `${'A'.repeat(43)}.${'B'.repeat(43)}`,
  '%7B%7D',
  `${Buffer.from(JSON.stringify({ v: 1, p: '2001-01-01T00:01:00.000Z#x' })).toString('base64url')}.${'C'.repeat(43)}`,
];

describe('SIU cursors', () => {
  it.each(['/siu/cases?status=investigating&', '/siu/paid?'])(
    '%s refuses forged cursors with 400 INVALID_CURSOR',
    async (path) => {
      for (const cursor of FORGED) {
        const r = await nam.get(`${path}cursor=${cursor}`);
        expect(r.status, `${cursor}: ${JSON.stringify(r.body)}`).toBe(400);
        expect(r.body.error.code).toBe('INVALID_CURSOR');
      }
    },
  );

  it('pages the queue with a cursor bound to its caller and its status', async () => {
    const first = await nam.get('/siu/cases?status=investigating&limit=1');
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.items).toHaveLength(1);
    const cursor = first.body.nextCursor as string;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);

    const second = await nam.get(`/siu/cases?status=investigating&limit=1&cursor=${cursor}`);
    expect(second.status).toBe(200);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].claimId).not.toBe(first.body.items[0].claimId);

    // The same position re-signed by nobody: the payload edited, the signature kept.
    const [, mac] = cursor.split('.');
    const edited = `${Buffer.from(JSON.stringify({ v: 1, p: '2001-01-01T00:00:00.000Z#x' })).toString('base64url')}.${mac}`;
    for (const [who, url] of [
      [nam, `/siu/cases?status=investigating&limit=1&cursor=${edited}`],
      [other, `/siu/cases?status=investigating&limit=1&cursor=${cursor}`],
      [nam, `/siu/cases?status=closed&limit=1&cursor=${cursor}`],
      [nam, `/siu/paid?cursor=${cursor}`],
    ] as const) {
      const r = await who.get(url);
      expect(r.status, `${url}: ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.error.code).toBe('INVALID_CURSOR');
    }
    // The old raw position parameter is gone rather than silently ignored.
    const raw = await nam.get('/siu/cases?status=investigating&after=2001-01-01T00:01:00.000Z%23x');
    expect(raw.status).toBe(400);
  });

  it('refuses paid-claims filters out of their bounds with a coded 400', async () => {
    for (const q of [
      'minScore=2',
      'paidFrom=2026-13-01',
      'paidFrom=2026-02-01&paidTo=2026-01-01',
      'product=CAR',
    ]) {
      const r = await nam.get(`/siu/paid?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.code).toBeTypeOf('string');
    }
  });
});
