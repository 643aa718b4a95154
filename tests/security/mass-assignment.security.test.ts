import type * as z from 'zod';
import { beforeAll, describe, expect, it } from 'vitest';
import { getClaim } from '../helpers/claims.ts';
import { type CaseContext, caseOf, pathFor } from '../helpers/route-cases.ts';
import {
  OTHER_CUSTOMER,
  OWNER,
  ROLE_USERS,
  type SecurityWorld,
  buildWorld,
} from '../helpers/security-fixtures.ts';
import { useStack } from '../helpers/stack.ts';
import { httpStatusOf } from '../../lambdas/core/errors.ts';
import { ROUTES, type RouteId } from '../../lambdas/routes.ts';
import type { RouteDef } from '../../lambdas/shared/functions.ts';

/**
 * Mass assignment: every write gets its well-formed body plus the fields a client must never set
 * (status, amounts, assignee, version, fraud fields, owner, ids, timestamps, document status).
 * Every write body is a strict zod object (writes that take no input accept nothing or `{}`), so
 * each attempt is a 400 VALIDATION_FAILED naming the field, and a follow-up read shows nothing changed.
 */
const stack = useStack();
let world: SecurityWorld;

beforeAll(async () => {
  world = await buildWorld(stack.apiUrl);
}, 120_000);

const forbiddenFields = (w: SecurityWorld): Record<string, unknown> => ({
  status: 'APPROVED',
  amount: 999_000_000,
  payoutAmount: 999_000_000,
  approvedAmount: 999_000_000,
  payable: { amount: 999_000_000, currency: 'VND' },
  decision: { outcome: 'approve', amount: { amount: 999_000_000, currency: 'VND' } },
  assigneeId: ROLE_USERS.adjuster.userId,
  assignee: { staffId: ROLE_USERS.adjuster.userId, role: 'adjuster' },
  version: 1,
  revision: 1,
  expectedVersion: 1,
  fraudIndicators: [],
  fraudScore: 0,
  customerId: OTHER_CUSTOMER.customerId,
  claimId: w.claimB.claimId,
  claimNumber: w.claimB.claimNumber,
  createdAt: '2000-01-01T00:00:00Z',
  submittedAt: '2000-01-01T00:00:00Z',
  documents: [{ documentId: w.documentId, status: 'VERIFIED' }],
  roles: ['admin'],
});

/** The registry's status for a refused body (400 VALIDATION_FAILED, with the fields named). */
const REFUSED = httpStatusOf('VALIDATION_FAILED');

const WRITES = (ROUTES as readonly (RouteDef & { id: RouteId })[]).filter(
  (r) => r.method !== 'GET' && r.auth === 'jwt',
);

/** The fields a body schema declares (a declared field is input, not mass assignment). */
function schemaKeys(schema: z.core.$ZodType | undefined): Set<string> {
  const def = (schema as { _zod?: { def: any } } | undefined)?._zod?.def;
  if (!def) return new Set();
  if (def.type === 'object') return new Set(Object.keys(def.shape));
  if (def.type === 'optional' || def.type === 'default') return schemaKeys(def.innerType);
  if (def.type === 'union') return new Set(def.options.flatMap((o: z.core.$ZodType) => [...schemaKeys(o)]));
  return new Set();
}

/** The facts about a claim that no write above may have changed. */
const snapshot = (c: any) => ({
  status: c.status,
  version: c.version,
  customerId: c.customerId,
  claimNumber: c.claimNumber,
  assignee: c.assignee,
  decision: c.decision,
  assessment: c.assessment,
  fraudIndicators: c.fraudIndicators,
  submittedAt: c.submittedAt,
  documents: (c.documents as { documentId: string; status: string }[]).map((d) => [d.documentId, d.status]),
  payoutAccount: c.report?.payoutAccount,
  // What people did to the claim; the system keeps adding its own entries on its schedule
  // (deadlines coming due, notices), which no write of this suite causes.
  events: (c.timeline as { by: string; type: string; seq: number }[])
    .filter((e) => e.by !== 'system')
    .map((e) => `${e.seq} ${e.type} ${e.by}`),
});

describe('mass assignment', () => {
  it('covers every write route', () => {
    expect(WRITES.length).toBe(ROUTES.filter((r) => r.method !== 'GET').length);
    expect(WRITES.length).toBeGreaterThanOrEqual(29);
  });

  it('refuses extra fields on every write, naming them, and nothing changes', async () => {
    const supervisor = await world.as(ROLE_USERS.supervisor.username);
    const beforeA = snapshot(await getClaim(supervisor, world.claimA.claimId));
    const beforeB = snapshot(await getClaim(supervisor, world.claimB.claimId));
    const staffBefore = (await supervisor.get('/staff')).body;
    const failures: string[] = [];
    let attempts = 0;
    for (const route of WRITES) {
      const role = route.roles.includes('customer') ? 'customer' : route.roles[0];
      if (!role) throw new Error(`${route.id} lists no role`);
      const user = role === 'customer' ? OWNER : ROLE_USERS[role];
      const ctx: CaseContext = {
        caller: user,
        claimId: world.claimA.claimId,
        version: async () => (await getClaim(supervisor, world.claimA.claimId)).version,
        documentId: world.documentId,
        requestId: world.requestId,
        inspectionId: world.inspectionId,
      };
      const rc = caseOf(route.id);
      const valid = ((rc.body ? await rc.body(ctx) : {}) ?? {}) as Record<string, unknown>;
      const api = await world.as(user.username);
      // One request per field (a schema might refuse the first unknown key and ignore the next).
      for (const [field, value] of Object.entries(forbiddenFields(world))) {
        if (field in valid || schemaKeys(rc.schema).has(field)) continue;
        attempts += 1;
        const r = await api.raw(pathFor(route.path, route.id, ctx), {
          method: route.method,
          body: JSON.stringify({ ...valid, [field]: value }),
          headers: { 'content-type': 'application/json', ...(rc.headers?.() ?? {}) },
        });
        const named = JSON.stringify(r.body?.error?.fields ?? []).includes(field);
        if (r.status !== REFUSED || r.body?.error?.code !== 'VALIDATION_FAILED' || !named)
          failures.push(`${route.id} +${field}: ${r.status} ${JSON.stringify(r.body).slice(0, 160)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(attempts).toBeGreaterThan(WRITES.length * 10);
    expect(snapshot(await getClaim(supervisor, world.claimA.claimId))).toEqual(beforeA);
    expect(snapshot(await getClaim(supervisor, world.claimB.claimId))).toEqual(beforeB);
    expect((await supervisor.get('/staff')).body).toEqual(staffBefore);
  });
});
