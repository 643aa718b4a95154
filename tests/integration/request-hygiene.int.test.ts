import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { hoursAgo } from '../helpers/claims.ts';
import { makeClaimRequest } from '../helpers/factories.ts';
import { ROUTES } from '../../lambdas/routes.ts';
import { type Api, apiAs, useStack } from '../helpers/stack.ts';

/** A used Idempotency-Key always replays its first result and always refuses another body. */
const stack = useStack();
let an: Api;
beforeAll(async () => {
  an = await apiAs(stack.apiUrl, 'an.nguyen');
});

describe('idempotent claim submission', () => {
  it('never lets a refused body take over the key', async () => {
    const key = randomUUID();
    const a = makeClaimRequest({
      lossAt: hoursAgo(70),
      cause: 'collision',
      description: 'Va chạm ở ngã tư, móp cửa trái.',
    });
    const b = { ...a, description: 'Một mô tả khác hẳn cho cùng khoá idempotency.' };
    const post = (body: unknown) => an.post('/claims', body, { 'idempotency-key': key });

    const first = await post(a);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const replay = await post(a);
    expect(replay.status).toBe(201);
    expect(replay.body.claimId).toBe(first.body.claimId);

    for (let i = 0; i < 2; i++) {
      const other = await post(b);
      expect(other.status).toBe(422);
      expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    }
    const again = await post(a);
    expect(again.status).toBe(201);
    expect(again.body.claimId).toBe(first.body.claimId);
    expect(again.body.claimNumber).toBe(first.body.claimNumber);
  });
});

describe('correlation ids', () => {
  it('echoes a well-formed id and replaces an oversized or structured one', async () => {
    const good = randomUUID();
    const ok = await an.raw('/claims', { method: 'GET', headers: { 'x-correlation-id': good } });
    expect(ok.headers.get('x-correlation-id')).toBe(good);
    for (const bad of ['x'.repeat(8000), '{"admin":true}', 'short', 'a b c d e f g h']) {
      const r = await an.raw('/claims', { method: 'GET', headers: { 'x-correlation-id': bad } });
      expect(r.status).toBe(200);
      const echoed = r.headers.get('x-correlation-id') ?? '';
      expect(echoed).not.toBe(bad);
      expect(echoed).toMatch(/^[A-Za-z0-9._-]{8,64}$/);
    }
  });
});

describe('bounded identifiers', () => {
  it('answers 400 with the field for oversized or malformed path ids and query values, on every route', async () => {
    const hai = await apiAs(stack.apiUrl, 'hai.do');
    const long = 'a'.repeat(2100);
    const routes = ROUTES.filter((r) => r.path.includes('{'));
    expect(routes.length).toBeGreaterThan(5);
    for (const route of routes) {
      const path = route.path.replace(/\{[^}]+\}/g, long);
      const roles: readonly string[] = route.roles;
      const api = roles.includes('customer') && !roles.includes('supervisor') ? an : hai;
      const r = await api.raw(path, {
        method: route.method,
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        ...(route.method === 'GET' ? {} : { body: '{}' }),
      });
      expect([400, 403], `${route.method} ${route.path}: ${r.status}`).toContain(r.status);
      if (r.status === 400) expect(r.body.error.code).toBe('VALIDATION_FAILED');
    }
    const q = await hai.get(`/queue?view=all&status=${'X'.repeat(2000)}`);
    expect(q.status).toBe(400);
    expect(q.body.error.fields[0].path).toBe('query.status');
  });
});
