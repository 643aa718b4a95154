import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { hoursAgo } from '../helpers/claims.ts';
import { makeClaimRequest } from '../helpers/factories.ts';
import { ROUTES, type RouteId } from '../../lambdas/routes.ts';
import type { RouteDef } from '../../lambdas/shared/functions.ts';
import { type CaseContext, caseOf } from '../helpers/route-cases.ts';
import { ROLE_USERS } from '../helpers/security-fixtures.ts';
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
  /**
   * Roles and the body are checked before the bounds (lambdas/http/api-handler.ts): each route is
   * called by a user holding one of its roles, with the well-formed body of its security case, so
   * the only thing wrong with the request is the path parameter under test.
   */
  it('answers 400 naming each oversized or malformed path id, on every route', async () => {
    const routes = (ROUTES as readonly (RouteDef & { id: RouteId })[]).filter((r) => r.path.includes('{'));
    expect(routes.length).toBeGreaterThan(5);
    const failures: string[] = [];
    for (const route of routes) {
      const role = route.roles[0];
      if (!role) throw new Error(`${route.id} has path parameters but no roles`);
      const caller = ROLE_USERS[role];
      const api = await apiAs(stack.apiUrl, caller.username);
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const bad of ['a'.repeat(2100), '-leading-dash', 'a'.repeat(129)]) {
        const ctx: CaseContext = {
          caller,
          claimId: bad,
          version: async () => 1,
          documentId: bad,
          requestId: bad,
          inspectionId: bad,
        };
        const rc = caseOf(route.id);
        const body = rc.body ? await rc.body(ctx) : undefined;
        const r = await api.raw(route.path.replace(/\{\w+\}/g, encodeURIComponent(bad)), {
          method: route.method,
          headers: {
            'idempotency-key': randomUUID(),
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const fields: { path: string; code: string }[] = r.body?.error?.fields ?? [];
        const named = names.every((n) =>
          fields.some((f) => f.path === `path.${n}` && f.code === 'invalid_format'),
        );
        if (r.status !== 400 || r.body.error.code !== 'VALIDATION_FAILED' || !named)
          failures.push(
            `${route.method} ${route.path} as ${caller.username} (${bad.length} chars): ${r.status} ${JSON.stringify(r.body?.error ?? r.body).slice(0, 200)}`,
          );
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers 400 naming an oversized query value', async () => {
    const hai = await apiAs(stack.apiUrl, 'hai.do');
    const q = await hai.get(`/queue?view=all&status=${'X'.repeat(2000)}`);
    expect(q.status).toBe(400);
    expect(q.body.error.fields[0].path).toBe('query.status');
  });
});
