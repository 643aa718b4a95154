import { beforeAll, describe, expect, it } from 'vitest';
import { getClaim } from '../helpers/claims.ts';
import { type CaseContext, caseOf, pathFor, ROUTE_CASES } from '../helpers/route-cases.ts';
import {
  ASSIGNEE,
  OWNER,
  ROLE_USERS,
  type SecurityWorld,
  UNASSIGNED_ADJUSTER,
  buildWorld,
} from '../helpers/security-fixtures.ts';
import { useStack } from '../helpers/stack.ts';
import type { UserProfile } from '../../lambdas/adapters/dynamo/users-repo.ts';
import { ROUTES, type RouteId } from '../../lambdas/routes.ts';
import type { RouteDef } from '../../lambdas/shared/functions.ts';
import { ROLES } from '../../lambdas/shared/roles.ts';

/**
 * Every route × every role × own/other resource, derived from the route table: a role the route
 * does not list is refused (403 FORBIDDEN) even with a well-formed request; a listed role is let
 * through (2xx or a business 4xx, never 401/403); a customer on another customer's claim and an
 * adjuster on a claim assigned to someone else are refused with a coded 403/404. Deny cases run
 * first, before any allowed write has changed claim A.
 */
const stack = useStack();
let world: SecurityWorld;

beforeAll(async () => {
  world = await buildWorld(stack.apiUrl);
}, 120_000);

type Expect = 'allow' | 'deny-role' | 'deny-owner';
interface MatrixCase {
  route: RouteDef & { id: RouteId };
  user: UserProfile;
  claim: 'A' | 'B';
  resource: string;
  expect: Expect;
}

/** The cases for one route, derived from its roles and its ownership entry. */
function casesFor(route: RouteDef & { id: RouteId }): MatrixCase[] {
  const own = caseOf(route.id).ownership;
  const out: MatrixCase[] = [];
  for (const role of ROLES) {
    const user = ROLE_USERS[role];
    const allowed = user.roles.some((r) => route.roles.includes(r));
    if (!allowed) {
      out.push({ route, user, claim: 'A', resource: 'any', expect: 'deny-role' });
      continue;
    }
    if (role === 'customer' && own.includes('customer')) {
      out.push({ route, user, claim: 'A', resource: 'own claim', expect: 'allow' });
      out.push({ route, user, claim: 'B', resource: "other customer's claim", expect: 'deny-owner' });
    } else if (role === 'adjuster' && own.includes('handler')) {
      out.push({ route, user, claim: 'A', resource: 'assigned claim', expect: 'allow' });
      out.push({
        route,
        user: UNASSIGNED_ADJUSTER,
        claim: 'A',
        resource: 'unassigned claim',
        expect: 'deny-owner',
      });
    } else {
      out.push({ route, user, claim: 'A', resource: 'claim A', expect: 'allow' });
    }
  }
  return out;
}

const ALL = (ROUTES as readonly (RouteDef & { id: RouteId })[]).filter((r) => r.auth === 'jwt');

async function send(c: MatrixCase) {
  const claimId = c.claim === 'A' ? world.claimA.claimId : world.claimB.claimId;
  const staff = await world.as(ROLE_USERS.supervisor.username);
  // Allowed writes earlier in the run replace the fixture's inspection and answer its request:
  // the customer's routes take the latest ones, as the customer's screen would.
  const now = /\{(requestId|inspectionId)\}/.test(c.route.path)
    ? await getClaim(staff, world.claimA.claimId)
    : undefined;
  const ctx: CaseContext = {
    caller: c.user,
    claimId,
    version: async () => (await getClaim(staff, world.claimA.claimId)).version,
    documentId: world.documentId,
    requestId: now?.infoRequests?.at(-1)?.requestId ?? world.requestId,
    inspectionId: now?.inspections?.at(-1)?.inspectionId ?? world.inspectionId,
  };
  const rc = caseOf(c.route.id);
  const body = rc.body ? await rc.body(ctx) : undefined;
  const path = pathFor(c.route.path, c.route.id, ctx) + (rc.query ? `?${rc.query}` : '');
  const api = await world.as(c.user.username);
  return api.raw(path, {
    method: c.route.method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(rc.headers?.() ?? {}),
    },
  });
}

/** Why the answer does not match the expectation, or undefined when it does. */
function verdict(c: MatrixCase, r: { status: number; body: any }): string | undefined {
  const code = r.body?.error?.code;
  const label = `${c.route.id} as ${c.user.username} on ${c.resource}: ${r.status} ${code ?? ''}`;
  if (r.status >= 500) return `${label} (server error)`;
  if (c.expect === 'deny-role')
    return r.status === 403 && code === 'FORBIDDEN' ? undefined : `${label}, expected 403 FORBIDDEN`;
  if (c.expect === 'deny-owner') {
    const coded = typeof code === 'string' && typeof r.body?.error?.correlationId === 'string';
    return (r.status === 403 || r.status === 404) && coded ? undefined : `${label}, expected coded 403/404`;
  }
  // A segregation-of-duties refusal the route's case expects after earlier cases of the run is the
  // use case deciding, past the role and ownership checks (the SIU reviewer who referred claim A
  // earlier may not also close its case).
  const sod: readonly string[] = caseOf(c.route.id).sodAfterEarlierCases ?? [];
  if (r.status === 403 && sod.includes(code)) return undefined;
  if (r.status === 401 || r.status === 403) return `${label}, expected to be allowed`;
  if (code === 'CLAIM_NOT_FOUND') return `${label}, the caller's own claim was not found`;
  return undefined;
}

describe('authorization matrix', () => {
  it('has an entry for every route in the route table, and nothing else', () => {
    expect(Object.keys(ROUTE_CASES).sort()).toEqual(ROUTES.map((r) => r.id).sort());
    // The fixtures are the ones the matrix assumes: A is the owner's, assigned to the adjuster.
    expect(OWNER.roles).toEqual(['customer']);
    expect(ASSIGNEE.userId).not.toBe(UNASSIGNED_ADJUSTER.userId);
  });

  it('refuses every route without a token (401) and serves the public ones', async () => {
    const anonymous = await world.as('');
    const failures: string[] = [];
    for (const route of ROUTES) {
      const ctx = {
        caller: OWNER,
        claimId: world.claimA.claimId,
        version: async () => 1,
        documentId: world.documentId,
        requestId: world.requestId,
        inspectionId: world.inspectionId,
      };
      const r = await anonymous.raw(pathFor(route.path, route.id, ctx), { method: route.method });
      const want = route.auth === 'public' ? 200 : 401;
      if (r.status !== want) failures.push(`${route.id}: ${r.status}, expected ${want}`);
    }
    expect(failures).toEqual([]);
  });

  describe('denies', () => {
    it.each(ALL.map((r) => [r.id, r] as const))('%s', async (_id, route) => {
      const failures: string[] = [];
      const cases = casesFor(route).filter((c) => c.expect !== 'allow');
      for (const c of cases) {
        const why = verdict(c, await send(c));
        if (why) failures.push(why);
      }
      expect(failures).toEqual([]);
    });
  });

  describe('allows', () => {
    it.each(ALL.map((r) => [r.id, r] as const))('%s', async (_id, route) => {
      const failures: string[] = [];
      const cases = casesFor(route).filter((c) => c.expect === 'allow');
      expect(cases.length).toBeGreaterThan(0);
      for (const c of cases) {
        const why = verdict(c, await send(c));
        if (why) failures.push(why);
      }
      expect(failures).toEqual([]);
    });
  });
});
