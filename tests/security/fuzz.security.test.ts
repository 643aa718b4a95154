import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { caseOf, ROUTE_CASES } from '../helpers/route-cases.ts';
import {
  OTHER_CUSTOMER,
  OWNER,
  ROLE_USERS,
  type SecurityWorld,
  buildWorld,
  otherCustomerReport,
} from '../helpers/security-fixtures.ts';
import { useStack } from '../helpers/stack.ts';
import { tokenFor } from '../helpers/api.ts';
import { arbitraryFor } from '../helpers/zod-arbitrary.ts';
import { DEMO_USERS } from '../../local/demo-data.ts';
import { ROUTES, type RouteId } from '../../lambdas/routes.ts';
import type { RouteDef } from '../../lambdas/shared/functions.ts';

/**
 * Fuzzing with fast-check against the running local stack: ≥ 10,000 generated bodies across every
 * JSON write route (shaped from each route's zod schema, then mutated, plus hostile JSON and
 * non-JSON), hostile headers and hostile paths. Every answer must be 2xx/4xx, carry no stack
 * trace or internal path, and — for customers — nothing of another customer's claim.
 *
 * Sizes and speed: FUZZ_BODIES (default 10,000), FUZZ_CONCURRENCY (default 6), FUZZ_SEED (printed
 * with the totals, so a failing run can be repeated). The stack answers ~30–120 requests a second
 * on a busy 2-core machine (every staff request reads the caller's profile), hence the timeout.
 * Malformed percent-escapes in paths (`%ZZ`) are among the hostile segments: the gateway answers
 * them 400 as API Gateway does.
 */
const stack = useStack();
const BODIES = Number(process.env.FUZZ_BODIES ?? 10_000);
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 6);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

type Route = RouteDef & { id: RouteId };
const WRITES = (ROUTES as readonly Route[]).filter((r) => r.method !== 'GET' && r.auth === 'jwt');
const WITH_PARAMS = (ROUTES as readonly Route[]).filter((r) => r.path.includes('{'));

let world: SecurityWorld;
/** Bearer tokens by username. */
const tokens = new Map<string, string>();
/** What of claim B (the other customer's) must never reach another customer. */
let secrets: string[] = [];
let foreignCursors: string[] = [];

/** Customers who attack (never B's owner), staff per role. */
const ATTACKERS = DEMO_USERS.filter(
  (u) => u.roles.includes('customer') && u.customerId !== OTHER_CUSTOMER.customerId,
);

beforeAll(async () => {
  world = await buildWorld(stack.apiUrl);
  const b = otherCustomerReport();
  secrets = [
    world.claimB.claimId,
    world.claimB.claimNumber,
    OTHER_CUSTOMER.displayName,
    OTHER_CUSTOMER.email ?? '',
    OTHER_CUSTOMER.phone ?? '',
    b.payoutAccount.accountNumber,
    b.payoutAccount.accountHolder,
  ].filter((s) => s.length >= 6);
  const users = new Set([
    ...ATTACKERS.map((u) => u.username),
    ...Object.values(ROLE_USERS).map((u) => u.username),
  ]);
  for (const u of users) tokens.set(u, await tokenFor(stack.apiUrl, u));
  // Cursors issued to someone else (a supervisor's queue, over every customer's claims): replayed
  // by customers and other staff on other lists, they must be refused, never followed.
  const supervisor = await world.as(ROLE_USERS.supervisor.username);
  const queue = await supervisor.get('/queue?view=all&limit=1');
  const search = await supervisor.get('/claims/search?q=BT-&limit=1');
  foreignCursors = [queue.body?.nextCursor, search.body?.nextCursor].filter(
    (c): c is string => typeof c === 'string' && c.length > 0,
  );
}, 120_000);

// ——— Arbitraries ———

const EDGE_NUMBERS = [
  0,
  -0,
  -1,
  1,
  0.1,
  1e-300,
  5e-324,
  1e308,
  -1e308,
  2 ** 31,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
];

/** A value of the wrong kind, size or encoding, to put where a field is expected. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: 300, max: 70_000 }).map((n) => 'Ạ'.repeat(n)),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.constantFrom(...EDGE_NUMBERS),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    null,
    true,
    false,
    [],
    {},
    '',
    ' ',
    '0',
    'null',
    '<script>alert(1)</script>',
    '{{7*7}}',
    '\u0000',
  ),
  fc.integer({ min: 50, max: 3000 }).map((n) => JSON.parse(`${'['.repeat(n)}1${']'.repeat(n)}`)),
);

const POLLUTION =
  '"__proto__":{"status":"APPROVED","roles":["admin"],"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}}';

/** The body as text, with a content type. */
interface Sent {
  text: string;
  contentType: string;
}
const json = (v: unknown): Sent => ({ text: JSON.stringify(v) ?? 'null', contentType: 'application/json' });

/** A well-shaped body with one thing wrong (or the prototype-pollution keys added). */
function mutated(shape: fc.Arbitrary<unknown>): fc.Arbitrary<Sent> {
  return fc
    .tuple(shape, fc.nat(), hostileValue, fc.constantFrom('replace', 'add', 'delete', 'pollute', 'duplicate'))
    .map(([v, i, h, op]) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return json(h);
      const o = { ...(v as Record<string, unknown>) };
      const keys = Object.keys(o);
      const key = keys[i % Math.max(keys.length, 1)] ?? 'x';
      if (op === 'replace') o[key] = h;
      if (op === 'add') o[['status', 'assigneeId', 'version', 'customerId', 'amount'][i % 5] as string] = h;
      if (op === 'delete') delete o[key];
      const text = JSON.stringify(o);
      if (op === 'pollute')
        return json(o).text === '{}'
          ? { text: `{${POLLUTION}}`, contentType: 'application/json' }
          : { text: `{${POLLUTION},${text.slice(1)}`, contentType: 'application/json' };
      if (op === 'duplicate')
        return {
          text: `{${JSON.stringify(key)}:${JSON.stringify(h) ?? 'null'},${text.slice(1)}`,
          contentType: 'application/json',
        };
      return json(o);
    });
}

/** Whole bodies that are not what any route takes: wrong top-level types, deep nesting, not JSON. */
const hostileBody: fc.Arbitrary<Sent> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map(json),
  fc
    .integer({ min: 100, max: 60_000 })
    .map((n) => ({ text: `${'['.repeat(n)}${']'.repeat(n)}`, contentType: 'application/json' })),
  fc
    .integer({ min: 100, max: 12_000 })
    .map((n) => ({ text: `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`, contentType: 'application/json' })),
  fc
    .integer({ min: 65_000, max: 200_000 })
    .map((n) => ({ text: `{"text":"${'x'.repeat(n)}"}`, contentType: 'application/json' })),
  fc.string({ unit: 'binary', maxLength: 300 }).map((text) => ({ text, contentType: 'application/json' })),
  fc
    .constantFrom(
      'NaN',
      'Infinity',
      '-Infinity',
      'undefined',
      '\uFEFF{}',
      '{"a":1,}',
      "{'a':1}",
      '{"a":1}{"b":2}',
      '\u0000',
      '1e999999',
      `${'9'.repeat(400)}`,
      '{"__proto__":{"polluted":true}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      '[{"__proto__":[]}]',
      '"\\ud800"',
      '{"\\u0000":1}',
    )
    .map((text) => ({ text, contentType: 'application/json' })),
);

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json; charset=utf-16',
  'application/jsonp',
  'application/vnd.api+json',
  'application/json, text/html',
  'text/plain',
  'text/html',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '',
  ';;;',
  `application/json; ${'a'.repeat(4000)}`,
];

/** Header values an HTTP client can send (no CR/LF/NUL, Latin-1). */
const headerText = (max: number) =>
  fc.string({
    unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c === 0x7f ? 0x20 : c)),
    maxLength: max,
  });
const hostileHeader = fc.oneof(
  headerText(200),
  fc.integer({ min: 100, max: 12_000 }).map((n) => 'k'.repeat(n)),
  fc.constantFrom(
    '',
    ' ',
    '{"a":1}',
    '../../etc/passwd',
    '<script>',
    'null',
    '0',
    '-',
    'a'.repeat(129),
    crypto.randomUUID(),
  ),
);

const realPolicy = fc.constantFrom(
  'MOT-2026-0001',
  'TPL-2026-0001',
  'HLT-2026-0001',
  'PRO-2026-0001',
  'MOT-2025-0042',
);

/** Bodies for one route: shaped from its schema (most), mutated, or hostile. */
function bodiesFor(route: Route): fc.Arbitrary<Sent> {
  const schema = caseOf(route.id).schema;
  let shape: fc.Arbitrary<unknown> =
    route.id === 'ConfirmPayoutAccountChange'
      ? fc.record({ code: fc.stringMatching(/^[0-9]{6}$/) })
      : schema
        ? arbitraryFor(schema)
        : fc.jsonValue();
  if (route.id === 'SubmitClaim')
    // Now and then a real policy, so the filing reaches the checks behind the parser.
    shape = fc
      .tuple(shape, fc.option(realPolicy, { freq: 10 }))
      .map(([b, p]) => (p && typeof b === 'object' && b ? { ...b, policyNumber: p } : b));
  return fc.oneof(
    { weight: 4, arbitrary: shape.map(json) },
    { weight: 3, arbitrary: mutated(shape) },
    { weight: 2, arbitrary: hostileBody },
    {
      weight: 1,
      arbitrary: fc
        .tuple(shape, fc.constantFrom(...CONTENT_TYPES))
        .map(([b, contentType]) => ({ ...json(b), contentType })),
    },
  );
}

/** A path segment no id looks like, malformed escapes included (the gateway answers them 400). */
const hostileSegment = fc.oneof(
  fc.integer({ min: 129, max: 6000 }).map((n) => 'a'.repeat(n)),
  fc.constantFrom(
    '..',
    '.',
    '%2e%2e',
    '..%2F..%2Fadmin',
    '%2F',
    '%2Fclaims%2F',
    '%00',
    'a%00b',
    '%20',
    '*',
    ';',
    'null',
    'undefined',
    '__proto__',
    'constructor',
    '%7B%7D',
    '-1',
    '0',
    'CLM-%0D%0Ax',
    '%ZZ',
    '%C0%AF',
    '%E0%A4%A',
    'a%',
  ),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map(encodeURIComponent),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }).map(encodeURIComponent),
);

// ——— Sending and checking ———

interface Request {
  kind: 'body' | 'header' | 'path' | 'query';
  route: Route;
  user: string;
  customer: boolean;
  path: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

const STACK_TRACE = [
  /\bat [\w$.<>]+ \(/,
  /\n\s+at /,
  /[\\/](node_modules|lambdas|local|work|home|tmp)[\\/][\w.-]+/,
  /\.(ts|js|mjs|cjs):\d+/,
  /\b(TypeError|ReferenceError|SyntaxError|RangeError|URIError): /,
];

const histogram = new Map<number, number>();
let sent = 0;

/** Network errors (not HTTP answers), by cause; each request is tried again once after one. */
const networkErrors = new Map<string, number>();

/**
 * The suites share one stack: a generated body that happens to be a valid change of the system's
 * configuration (quotas, products, calendar, templates) would change it for every later file. Such
 * a body keeps its shape but names a version that never exists, so it is validated in full and
 * then refused (409) instead of applied.
 */
function neverApplied(r: Request): string | undefined {
  if (r.body === undefined || r.method !== 'PUT' || !r.path.startsWith('/admin/')) return r.body;
  try {
    const parsed = JSON.parse(r.body) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && 'expectedVersion' in parsed) {
      return JSON.stringify({ ...parsed, expectedVersion: 999_999 });
    }
  } catch {
    // Not JSON: nothing it could change.
  }
  return r.body;
}

async function fetchOnce(r: Request) {
  const body = neverApplied(r);
  const res = await fetch(`${stack.apiUrl}${r.path}`, {
    method: r.method,
    headers: { authorization: `Bearer ${tokens.get(r.user)}`, ...r.headers },
    ...(body === undefined ? {} : { body }),
  });
  return { status: res.status, text: await res.text(), correlation: res.headers.get('x-correlation-id') };
}

async function send(r: Request): Promise<string | undefined> {
  let answer: Awaited<ReturnType<typeof fetchOnce>> | undefined;
  for (let attempt = 1; !answer; attempt++) {
    try {
      answer = await fetchOnce(r);
    } catch (e) {
      // A keep-alive socket the server closed as the request went out: the client's problem, once.
      const cause = String((e as { cause?: { code?: string; message?: string } }).cause?.code ?? e);
      networkErrors.set(cause, (networkErrors.get(cause) ?? 0) + 1);
      if (attempt >= 2)
        return `${r.kind} ${r.method} ${r.path.slice(0, 120)} as ${r.user}: request failed twice (${cause})`;
    }
  }
  const { status, text, correlation } = answer;
  sent += 1;
  histogram.set(status, (histogram.get(status) ?? 0) + 1);
  const what = () =>
    `${r.kind} ${r.method} ${r.path.slice(0, 120)} as ${r.user} ${JSON.stringify(r.headers).slice(0, 120)} body ${(r.body ?? '').slice(0, 200)} → ${status} ${text.slice(0, 300)}`;
  if (status < 200 || status >= 500) return `status: ${what()}`;
  const trace = STACK_TRACE.find((p) => p.test(text));
  if (trace) return `stack trace or path (${trace}): ${what()}`;
  if (r.customer) {
    // An id the attacker sent (echoed in a 404's route message) is not a leak; anything else is.
    const carried = `${r.path} ${r.body ?? ''} ${JSON.stringify(r.headers)}`;
    const leaked = secrets.find((s) => text.includes(s) && !carried.includes(s));
    if (leaked) return `another customer's data (${leaked}): ${what()}`;
  }
  if (correlation !== null && !/^[A-Za-z0-9._-]{1,128}$/.test(correlation))
    return `unbounded correlation id echoed: ${what()}`;
  return undefined;
}

async function runAll(requests: Request[]): Promise<string[]> {
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const r = requests[next++] as Request;
      const why = await send(r);
      if (why && failures.length < 25) failures.push(why);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return failures;
}

/** Who calls a route in the fuzz: the attacking customers, or one staff member per listed role. */
function callersOf(route: Route): { user: string; customer: boolean }[] {
  if (route.roles.includes('customer')) return ATTACKERS.map((u) => ({ user: u.username, customer: true }));
  return route.roles.map((role) => ({ user: ROLE_USERS[role].username, customer: false }));
}

function pathOf(route: Route, pick: number, override?: { name: string; value: string }): string {
  const claims = [world.claimA.claimId, world.claimB.claimId];
  const values: Record<string, string> = {
    claimId: claims[pick % 2] as string,
    documentId: world.documentId,
    requestId: world.requestId,
    inspectionId: world.inspectionId,
    ...(caseOf(route.id).params ?? {}),
    // The fuzz never writes to a real account: a staff id nobody holds.
    ...(route.id === 'UpdateStaff' ? { userId: 'fuzz-staff-0001' } : {}),
  };
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    override?.name === name ? override.value : encodeURIComponent(values[name] ?? 'x'),
  );
}

const extraHeaders = (route: Route): Record<string, string> => ({
  ...(caseOf(route.id).headers?.() ?? {}),
});

function bodyRequests(): Request[] {
  const per = Math.ceil(BODIES / WRITES.length);
  const out: Request[] = [];
  WRITES.forEach((route, i) => {
    const callers = callersOf(route);
    const samples = fc.sample(bodiesFor(route), { numRuns: per, seed: SEED + i });
    samples.forEach((b, k) => {
      const caller = callers[k % callers.length] as { user: string; customer: boolean };
      out.push({
        kind: 'body',
        route,
        ...caller,
        path: pathOf(route, k),
        method: route.method,
        headers: { ...extraHeaders(route), ...(b.contentType ? { 'content-type': b.contentType } : {}) },
        body: b.text,
      });
    });
  });
  return out;
}

const BODY_POOL = 20;
const pools = new Map<RouteId, Sent[]>();
/** A few bodies per route to carry the hostile headers. */
function bodyPool(route: Route): Sent[] {
  let pool = pools.get(route.id);
  if (!pool) {
    pool = fc.sample(bodiesFor(route), { numRuns: BODY_POOL, seed: SEED + 500 });
    pools.set(route.id, pool);
  }
  return pool;
}

/** Fisher–Yates with a seeded generator (mulberry32): the same seed, the same order. */
function shuffle<T>(items: T[], seed: number): T[] {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function headerRequests(n: number): Request[] {
  const arb = fc.tuple(
    fc.constantFrom(...WRITES),
    fc.constantFrom('idempotency-key', 'x-correlation-id', 'content-type', 'if-match', 'origin'),
    hostileHeader,
    fc.nat(),
  );
  return fc.sample(arb, { numRuns: n, seed: SEED + 1000 }).map(([route, name, value, k]) => {
    const caller = callersOf(route)[k % callersOf(route).length] as { user: string; customer: boolean };
    const body = bodyPool(route)[k % BODY_POOL] as Sent;
    return {
      kind: 'header' as const,
      route,
      ...caller,
      path: pathOf(route, k),
      method: route.method,
      headers: { ...extraHeaders(route), 'content-type': 'application/json', [name]: value },
      body: body.text,
    };
  });
}

const READS = (ROUTES as readonly Route[]).filter((r) => r.method === 'GET' && r.auth === 'jwt');
const QUERY_KEYS = [
  'cursor',
  'limit',
  'q',
  'by',
  'view',
  'status',
  'line',
  'format',
  'olderThanSeconds',
  '__proto__',
  'x',
];

/** Query strings out of bounds: forged or foreign cursors, huge and odd values, too many keys. */
const hostileQuery = fc.oneof(
  fc
    .tuple(fc.constantFrom(...QUERY_KEYS), fc.oneof(hostileSegment, fc.base64String({ maxLength: 400 })))
    .map(([k, v]) => `${k}=${v}`),
  fc.constantFrom(
    'cursor=e30',
    'cursor=eyJwayI6IkNMQUlNIn0',
    'cursor=%7B%7D',
    'limit=-1',
    'limit=1e9',
    'limit=NaN',
    'limit=0x10',
    'limit=1&limit=2',
    'cursor[]=a',
    'q=a&q=b',
  ),
  fc.integer({ min: 21, max: 60 }).map((n) => Array.from({ length: n }, (_, i) => `k${i}=v`).join('&')),
  fc.integer({ min: 513, max: 9000 }).map((n) => `cursor=${'A'.repeat(n)}`),
);

function queryRequests(n: number): Request[] {
  const arb = fc.tuple(fc.constantFrom(...READS), hostileQuery, fc.nat());
  const foreign = foreignCursors.map((c) => `cursor=${encodeURIComponent(c)}`);
  return fc.sample(arb, { numRuns: n, seed: SEED + 3000 }).map(([route, hostile, k]) => {
    const query = k % 4 === 0 && foreign.length > 0 ? (foreign[k % foreign.length] as string) : hostile;
    const caller = callersOf(route)[k % callersOf(route).length] as { user: string; customer: boolean };
    return {
      kind: 'query' as const,
      route,
      ...caller,
      path: `${pathOf(route, k)}?${query}`,
      method: 'GET',
      headers: {},
    };
  });
}

function pathRequests(n: number): Request[] {
  const arb = fc.tuple(fc.constantFrom(...WITH_PARAMS), hostileSegment, fc.nat());
  return fc.sample(arb, { numRuns: n, seed: SEED + 2000 }).flatMap(([route, segment, k]) => {
    if (route.auth === 'public') return [];
    const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
    const name = names[k % names.length] as string;
    const caller = callersOf(route)[k % callersOf(route).length] as { user: string; customer: boolean };
    return [
      {
        kind: 'path' as const,
        route,
        ...caller,
        path: pathOf(route, k, { name, value: segment }) + (k % 3 === 0 ? '?cursor=e30&limit=1' : ''),
        method: route.method,
        headers: {
          ...extraHeaders(route),
          ...(route.method === 'GET' ? {} : { 'content-type': 'application/json' }),
        },
        ...(route.method === 'GET' ? {} : { body: '{}' }),
      },
    ];
  });
}

describe('fuzzing', () => {
  it('routes every JSON write through the fuzzer, and has foreign cursors to replay', () => {
    expect(foreignCursors.length).toBeGreaterThan(0);
    expect(WRITES.map((r) => r.id).every((id) => id in ROUTE_CASES)).toBe(true);
    expect(OWNER.customerId).not.toBe(OTHER_CUSTOMER.customerId);
  });

  it(`answers ${BODIES}+ generated bodies, hostile headers and paths with 2xx/4xx only, no stack trace, no other customer's data`, async () => {
    const started = Date.now();
    const requests = [
      ...bodyRequests(),
      ...headerRequests(Math.ceil(BODIES / 15)),
      ...pathRequests(Math.ceil(BODIES / 10)),
      ...queryRequests(Math.ceil(BODIES / 20)),
    ];
    // Interleave routes and kinds so no route is hammered alone (quotas answer 429, which is fine).
    const shuffled = shuffle(requests, SEED);
    const generated = Date.now();
    const failures = await runAll(shuffled);
    const bodies = shuffled.filter((r) => r.kind === 'body').length;
    const byStatus = Object.fromEntries([...histogram.entries()].sort(([a], [b]) => a - b));
    console.log(
      `[fuzz] seed ${SEED}: ${sent} requests (${bodies} bodies over ${WRITES.length} write routes, ` +
        `${shuffled.length - bodies} hostile headers, paths and queries) generated in ${((generated - started) / 1000).toFixed(1)} s, ` +
        `sent in ${((Date.now() - generated) / 1000).toFixed(1)} s, ` +
        `concurrency ${CONCURRENCY}; status histogram ${JSON.stringify(byStatus)}; ` +
        `network errors retried ${JSON.stringify(Object.fromEntries(networkErrors))}; 5xx: ${[...histogram.entries()].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0)}`,
    );
    expect(failures).toEqual([]);
    expect(bodies).toBeGreaterThanOrEqual(BODIES);
    expect(sent).toBe(shuffled.length);
  }, 900_000);
});
