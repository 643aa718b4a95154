import { randomBytes, randomInt } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createClaim } from '../../lambdas/adapters/dynamo/claims-repo.ts';
import type { Claim, ClaimStatus } from '../../lambdas/core/claim.ts';
import { formatClaimNumber } from '../../lambdas/core/claim-number.ts';
import { userIdFor } from '../../local/demo-data.ts';
import { fileClaim, hoursAgo } from '../helpers/claims.ts';
import { makeClaim } from '../helpers/factories.ts';
import { type Api, apiAs, useStack } from '../helpers/stack.ts';

/**
 * Finding claims: the work queue pages for real across statuses, staff find any claim by number,
 * policy, customer, phone or plate in every status, the policy history is paged, and cursors are
 * signed for their caller and query. Claims are written through the same repository function the
 * FNOL use case uses (createClaim: claim, number pointer, lookup items in one transaction), each run
 * with its own policy, customer, phone and plate.
 */
const stack = useStack();
const as = (username: string) => apiAs(stack.apiUrl, username);

const run = randomBytes(3).toString('hex').toUpperCase();
const newId = () => randomBytes(13).toString('hex');
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

let seq = 0;
/** A claim stored directly in `status`, with searchable values unique to this run. */
async function storeClaim(
  status: ClaimStatus,
  overrides: Partial<Claim> = {},
  plate = `51K-${digits(3)}.${digits(2)}`,
) {
  seq += 1;
  const base = makeClaim();
  const submittedAt = new Date(Date.UTC(2026, 10, 1, 0, 0, seq)).toISOString();
  const claim = makeClaim({
    claimId: newId(),
    claimNumber: formatClaimNumber(2090 + randomInt(9), randomInt(1_000_000)),
    status,
    customerId: `CUS-S${run}`,
    policyNumber: `SRCH-${run}`,
    submittedAt,
    updatedAt: submittedAt,
    nextDeadline:
      seq % 3 === 0
        ? undefined
        : { kind: 'payment', dueAt: new Date(Date.UTC(2026, 11, 1, seq)).toISOString() },
    report: {
      ...base.report,
      policyNumber: `SRCH-${run}`,
      facts: { kind: 'motor', vehiclePlate: plate, policeAttended: false },
      contact: { phone: `09${digits(8)}`, email: 'search@example.vn' },
    },
    ...overrides,
  } as Partial<Claim>);
  await createClaim(claim, []);
  return claim;
}

/** Pages through `path` (which has a `?`), returning every page's claim ids. */
async function pageThrough(api: Api, path: string) {
  const pages: string[][] = [];
  let cursor: string | null = null;
  let first: any;
  do {
    const r = await api.get(`${path}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    first ??= r.body;
    pages.push(r.body.items.map((i: { claimId: string }) => i.claimId));
    cursor = r.body.nextCursor;
  } while (cursor && pages.length < 200);
  return { pages, ids: pages.flat(), first };
}

let hai: Api;
let dung: Api;
let an: Api;
beforeAll(async () => {
  [hai, dung, an] = await Promise.all([as('hai.do'), as('dung.pham'), as('an.nguyen')]);
});

describe('work queue paging', () => {
  it('pages through more claims than a page holds, without duplicates or loss, with a count', async () => {
    const mine = await Promise.all(Array.from({ length: 12 }, () => storeClaim('CLOSED')));
    const { pages, ids, first } = await pageThrough(hai, '/queue?view=all&status=CLOSED&limit=5');
    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const p of pages) expect(p.length).toBeLessThanOrEqual(5);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of mine) expect(ids.filter((id) => id === c.claimId)).toHaveLength(1);
    expect(first.total).toBe(ids.length);
  });

  it('returns rejected, paid and closed claims under their filters', async () => {
    const rejected = await storeClaim('REJECTED');
    const paid = await storeClaim('PAID');
    for (const [status, claim] of [
      ['REJECTED', rejected],
      ['PAID', paid],
    ] as const) {
      const { ids } = await pageThrough(hai, `/queue?view=all&status=${status}&limit=50`);
      expect(ids).toContain(claim.claimId);
    }
    // Without a status the queue shows what is still on someone's desk only.
    const { ids } = await pageThrough(hai, '/queue?view=all&limit=100');
    expect(ids).not.toContain(rejected.claimId);
  });

  it('pages "mine" with the status filter applied before the limit', async () => {
    const dungId = userIdFor('dung.pham');
    const assignee = { staffId: dungId, role: 'adjuster', name: 'Phạm Dũng' };
    const open = await Promise.all(
      Array.from({ length: 5 }, () => storeClaim('UNDER_ASSESSMENT', { assignee })),
    );
    const closed = await Promise.all(Array.from({ length: 4 }, () => storeClaim('CLOSED', { assignee })));
    const onDesk = await pageThrough(dung, '/queue?view=mine&limit=2');
    for (const c of open) expect(onDesk.ids.filter((id) => id === c.claimId)).toHaveLength(1);
    for (const c of closed) expect(onDesk.ids).not.toContain(c.claimId);
    const done = await pageThrough(dung, '/queue?view=mine&status=CLOSED&limit=2');
    expect(done.ids.filter((id) => closed.some((c) => c.claimId === id))).toHaveLength(4);
    expect(done.ids.filter((id) => open.some((c) => c.claimId === id))).toHaveLength(0);
  });
});

describe('search across every status', () => {
  let closed: Claim;
  beforeAll(async () => {
    closed = await storeClaim('CLOSED', {}, `29H-${digits(3)}.${digits(2)}`);
  });

  it('finds a closed claim by number, policy, customer, phone and plate', async () => {
    const facts = closed.report.facts as { vehiclePlate: string };
    const phone = closed.report.contact.phone;
    const queries: [string, string][] = [
      ['number', closed.claimNumber.replaceAll('-', '').toLowerCase()],
      ['policy', closed.policyNumber.toLowerCase()],
      ['customer', closed.customerId],
      ['phone', `+84 ${phone.slice(1, 4)} ${phone.slice(4)}`],
      ['plate', facts.vehiclePlate.replace(/[-.]/g, ' ').toLowerCase()],
    ];
    for (const [by, q] of queries) {
      const r = await hai.get(`/claims/search?by=${by}&q=${encodeURIComponent(q)}`);
      expect(r.status, `${by}: ${JSON.stringify(r.body)}`).toBe(200);
      const hit = r.body.items.find((i: { claimId: string }) => i.claimId === closed.claimId);
      expect(hit, by).toMatchObject({ claimNumber: closed.claimNumber, status: 'CLOSED' });
    }
    // Without `by`, the kind is guessed from the term.
    const r = await hai.get(`/claims/search?q=${encodeURIComponent(facts.vehiclePlate)}`);
    expect(r.body.by).toBe('plate');
    expect(r.body.items.map((i: { claimId: string }) => i.claimId)).toEqual([closed.claimId]);
  });

  it('pages search results (all claims of one customer, in every status) with the signed cursor', async () => {
    // A customer of this test's own: the count does not depend on which other tests ran.
    const customerId = `CUS-P${run}`;
    const statuses: ClaimStatus[] = [
      'SUBMITTED',
      'UNDER_ASSESSMENT',
      'APPROVED',
      'REJECTED',
      'PAID',
      'CLOSED',
    ];
    const stored = await Promise.all(
      Array.from({ length: 10 }, (_, i) => storeClaim(statuses[i % statuses.length]!, { customerId })),
    );
    const { ids, pages } = await pageThrough(hai, `/claims/search?by=customer&q=${customerId}&limit=4`);
    expect(pages.length).toBeGreaterThan(2);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(stored.map((c) => c.claimId).sort());
  });

  it('finds a claim filed through the API by its contact phone (lookup items written with the claim)', async () => {
    const phone = `09${digits(8)}`;
    const { claimId } = await fileClaim(an, {
      lossAt: hoursAgo(70),
      cause: 'vandalism',
      contact: { phone, email: 'an@example.vn' },
    });
    const r = await hai.get(`/claims/search?by=phone&q=${phone}`);
    expect(r.body.items.map((i: { claimId: string }) => i.claimId)).toContain(claimId);
  });

  it('is documented in the OpenAPI document with its bounded query parameters', async () => {
    const doc = (await hai.get('/openapi.json')).body;
    const op = doc.paths['/claims/search'].get;
    expect(op.operationId).toBe('SearchClaims');
    const q = op.parameters.find((p: { name: string }) => p.name === 'q');
    expect(q).toMatchObject({ in: 'query', required: true, schema: { maxLength: 40 } });
    expect(doc.paths['/claims/{claimId}/policy-history'].get.operationId).toBe('PolicyHistory');
  });

  it('is for staff only, and bounds the query', async () => {
    expect((await an.get('/claims/search?by=phone&q=0912345678')).status).toBe(403);
    const long = await hai.get(`/claims/search?by=policy&q=${'X'.repeat(41)}`);
    expect(long.status).toBe(400);
    expect(long.body.error.code).toBe('VALIDATION_FAILED');
    expect((await hai.get('/claims/search?by=vin&q=ABC')).status).toBe(400);
    expect((await hai.get('/queue?view=all&limit=1000')).status).toBe(400);
    expect((await hai.get('/queue?view=all&status=NOPE')).status).toBe(400);
  });
});

describe('cursors', () => {
  let cursor: string;
  beforeAll(async () => {
    await Promise.all(Array.from({ length: 3 }, () => storeClaim('CLOSED')));
    const r = await hai.get('/queue?view=all&status=CLOSED&limit=2');
    cursor = r.body.nextCursor;
    expect(cursor).toEqual(expect.any(String));
  });

  const flip = (s: string, at: number) => s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1);

  it.each([
    ['tampered payload', (c: string) => flip(c, 3), 'hai'],
    ['tampered signature', (c: string) => flip(c, c.length - 2), 'hai'],
    ["another caller's", (c: string) => c, 'dung'],
    ['malformed (e30)', () => 'e30', 'hai'],
    ['2 KB long', () => 'A'.repeat(2048), 'hai'],
  ])('refuses a %s cursor with 400 INVALID_CURSOR', async (_, make, who) => {
    const api = who === 'hai' ? hai : dung;
    const r = await api.get(
      `/queue?view=all&status=CLOSED&limit=2&cursor=${encodeURIComponent(make(cursor))}`,
    );
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('INVALID_CURSOR');
  });

  it('refuses a cursor for another query, another route or another customer', async () => {
    const other = await hai.get(`/queue?view=all&status=PAID&limit=2&cursor=${encodeURIComponent(cursor)}`);
    expect([other.status, other.body.error.code]).toEqual([400, 'INVALID_CURSOR']);
    const search = await hai.get(
      `/claims/search?by=customer&q=CUS-S${run}&cursor=${encodeURIComponent(cursor)}`,
    );
    expect([search.status, search.body.error.code]).toEqual([400, 'INVALID_CURSOR']);
    const mine = await an.get(`/claims?limit=1&cursor=${encodeURIComponent(cursor)}`);
    expect([mine.status, mine.body.error.code]).toEqual([400, 'INVALID_CURSOR']);
  });

  it("pages the customer's own list with the same signed cursors", async () => {
    const own = await Promise.all([1, 2, 3].map(() => storeClaim('SUBMITTED', { customerId: 'CUS-0001' })));
    const seen: string[] = [];
    let cursor: string | undefined;
    let first: string | undefined;
    do {
      const r = await an.get(`/claims?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      seen.push(...r.body.items.map((i: { claimId: string }) => i.claimId));
      cursor = r.body.cursor;
      first ??= cursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (const c of own) expect(seen).toContain(c.claimId);
    const binh = await as('binh.tran');
    const foreign = await binh.get(`/claims?limit=2&cursor=${encodeURIComponent(first ?? '')}`);
    expect([foreign.status, foreign.body.error.code]).toEqual([400, 'INVALID_CURSOR']);
    const long = await an.get(`/claims?limit=2&cursor=${'A'.repeat(2048)}`);
    expect([long.status, long.body.error.code]).toEqual([400, 'INVALID_CURSOR']);
  });
});

describe('policy history on the staff claim view', () => {
  it('ships the first page of other claims on the policy and pages the rest', async () => {
    const policyNumber = `HIST-${run}`;
    const claims: Claim[] = [];
    for (let i = 0; i < 14; i++) {
      const base = makeClaim();
      claims.push(
        await storeClaim(i % 2 ? 'PAID' : 'CLOSED', {
          policyNumber,
          report: { ...base.report, policyNumber, lossAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString() },
        }),
      );
    }
    const self = claims[0] as Claim;
    const view = await hai.get(`/claims/${self.claimId}`);
    expect(view.status).toBe(200);
    const first = view.body.policyClaims;
    expect(first.items).toHaveLength(10);
    expect(first.nextCursor).toEqual(expect.any(String));
    // Latest loss first, never the claim itself.
    expect(first.items[0].claimId).toBe(claims[13]?.claimId);
    const rest = await hai.get(
      `/claims/${self.claimId}/policy-history?limit=10&cursor=${encodeURIComponent(first.nextCursor)}`,
    );
    expect(rest.status).toBe(200);
    expect(rest.body.nextCursor).toBeNull();
    const ids = [...first.items, ...rest.body.items].map((c: { claimId: string }) => c.claimId);
    expect(ids).toHaveLength(13);
    expect(new Set(ids)).toEqual(new Set(claims.slice(1).map((c) => c.claimId)));
    // The cursor belongs to this claim's history.
    const other = await hai.get(
      `/claims/${claims[1]?.claimId}/policy-history?cursor=${encodeURIComponent(first.nextCursor)}`,
    );
    expect([other.status, other.body.error.code]).toEqual([400, 'INVALID_CURSOR']);
    // The customer's view has no history; customers cannot call the route.
    expect((await an.get(`/claims/${self.claimId}/policy-history`)).status).toBe(403);
    // An id past its bound is refused by the HTTP layer before any read (400 naming the field).
    expect((await hai.get(`/claims/${'x'.repeat(200)}/policy-history`)).status).toBe(400);
  });
});
