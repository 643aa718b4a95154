import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NoBody } from '../../lambdas/core/api-schemas.ts';
import { DEFAULT_QUOTAS } from '../../lambdas/core/quotas.ts';
import {
  HANDLER_CONTRACTS,
  MAX_CURSOR_VALUE,
  MAX_PATH_PARAM,
  MAX_QUERY_VALUE,
  PATH_PARAM,
} from '../../lambdas/http/api-handler.ts';
import {
  buildOpenApi,
  IDEMPOTENCY_KEY_ROUTES,
  QUOTA_ROUTES,
  REQUEST_BODIES,
  REQUEST_QUERIES,
} from '../../lambdas/http/openapi.ts';
import { ROUTES, type RouteId } from '../../lambdas/routes.ts';

/**
 * The OpenAPI document against the code it describes: every write documents the very zod object
 * its handler validates with (each handler module is loaded and registers what it uses), every
 * path and query value carries the bound the request parsing enforces, roles are stated in words,
 * and 401/429 are documented as API Gateway and the quotas answer them.
 */
type Json = Record<string, any>;
const doc = buildOpenApi() as Json;
const op = (r: (typeof ROUTES)[number]): Json => doc.paths[r.path][r.method.toLowerCase()];
const writes = ROUTES.filter((r) => r.method === 'POST' || r.method === 'PUT');
const HANDLERS_DIR = join(import.meta.dirname, '../../lambdas/handlers/http');

beforeAll(async () => {
  // Handlers check their configuration at load time; nothing here talks to AWS.
  const names = new Set<string>();
  for (const f of readdirSync(HANDLERS_DIR)) {
    const m = /requireEnv\(([^)]*)\)/.exec(readFileSync(join(HANDLERS_DIR, f), 'utf8'));
    for (const n of m?.[1]?.match(/[A-Z_]+/g) ?? []) names.add(n);
  }
  for (const n of names) process.env[n] ??= `unit-${n.toLowerCase()}`;
  for (const r of ROUTES) await import(`../../${r.entry}`);
}, 60_000);

describe('request bodies', () => {
  it('documents a JSON body schema on every POST and PUT', () => {
    expect(writes.length).toBeGreaterThan(18);
    for (const r of writes) {
      const schema = op(r).requestBody?.content?.['application/json']?.schema as Json | undefined;
      const variants = (schema?.oneOf ?? [schema]) as (Json | undefined)[];
      for (const v of variants) expect(v, r.id).toMatchObject({ type: 'object' });
    }
  });

  it('documents exactly the zod object each handler validates with', () => {
    for (const r of ROUTES) {
      const registered = HANDLER_CONTRACTS.get(r.id);
      expect(registered, `${r.entry} did not load`).toBeDefined();
      const contract = (REQUEST_BODIES as Partial<Record<RouteId, { schema: unknown; envelope?: unknown }>>)[
        r.id
      ];
      if (!contract) {
        expect(registered?.body, `${r.id} validates a body the document does not show`).toBeUndefined();
        continue;
      }
      expect(registered?.body === (contract.envelope ?? contract.schema), r.id).toBe(true);
    }
  });

  it('refuses any field on the writes whose path says everything, and documents the body as optional', () => {
    expect(NoBody.safeParse(undefined).success).toBe(true);
    expect(NoBody.safeParse({}).success).toBe(true);
    expect(NoBody.safeParse({ status: 'PAID' }).success).toBe(false);
    for (const r of writes.filter(
      (w) => REQUEST_BODIES[w.id as keyof typeof REQUEST_BODIES].schema === NoBody,
    )) {
      expect(op(r).requestBody.required, r.id).toBe(false);
      expect(op(r).requestBody.content['application/json'].schema.additionalProperties, r.id).toBe(false);
    }
  });

  it('asks for an Idempotency-Key wherever the handler needs one', () => {
    for (const r of ROUTES) {
      const documented = (op(r).parameters ?? []).some(
        (p: Json) =>
          p.in === 'header' && p.name === 'Idempotency-Key' && p.required && p.schema.maxLength === 128,
      );
      if (HANDLER_CONTRACTS.get(r.id)?.idempotent) expect(documented, r.id).toBe(true);
      expect(documented, r.id).toBe(IDEMPOTENCY_KEY_ROUTES.includes(r.id));
    }
  });
});

describe('bounds on path and query values', () => {
  it('bounds every path parameter as the request parsing does', () => {
    let seen = 0;
    for (const r of ROUTES) {
      for (const name of [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
        const p = (op(r).parameters as Json[]).find((x) => x.in === 'path' && x.name === name);
        expect(p?.schema, `${r.id} ${name}`).toEqual({
          type: 'string',
          minLength: 1,
          maxLength: MAX_PATH_PARAM,
          pattern: PATH_PARAM.source,
        });
        seen += 1;
      }
    }
    expect(seen).toBeGreaterThan(30);
    expect(PATH_PARAM.test('a'.repeat(MAX_PATH_PARAM))).toBe(true);
    expect(PATH_PARAM.test('a'.repeat(MAX_PATH_PARAM + 1))).toBe(false);
  });

  it('documents every query value a handler reads, each bounded', () => {
    const readers = ROUTES.filter((r) =>
      /\bquery\b/.test(readFileSync(join(HANDLERS_DIR, r.entry.split('/').at(-1) ?? ''), 'utf8')),
    );
    for (const r of readers) expect(REQUEST_QUERIES[r.id], r.id).toBeDefined();
    for (const r of ROUTES) {
      for (const p of (op(r).parameters ?? []).filter((x: Json) => x.in === 'query')) {
        const s = p.schema as Json;
        if (s.type === 'string' && !s.enum) {
          expect(s.maxLength, `${r.id} ${p.name}`).toBeLessThanOrEqual(
            p.name === 'cursor' ? MAX_CURSOR_VALUE : MAX_QUERY_VALUE,
          );
        }
        if (s.type === 'integer' || s.type === 'number') {
          expect([typeof s.minimum, typeof s.maximum], `${r.id} ${p.name}`).toEqual(['number', 'number']);
        }
      }
    }
  });
});

describe('who may call, and how refusals look', () => {
  it('states the roles in each description as well as in x-roles', () => {
    for (const r of ROUTES) {
      const o = op(r);
      if (r.auth === 'public') {
        expect(o.description).toContain('Public');
        continue;
      }
      expect(o['x-roles']).toEqual(r.roles);
      const line = (o.description as string).split('\n').find((l) => l.startsWith('Roles: '));
      for (const role of r.roles) expect(line, `${r.id} ${role}`).toMatch(new RegExp(`\\b${role}\\b`));
    }
  });

  it('documents 401 with the API Gateway body on every signed-in operation', () => {
    expect(doc.components.responses.Unauthorized.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/GatewayMessage',
    });
    for (const r of ROUTES.filter((x) => x.auth === 'jwt'))
      expect(op(r).responses['401'], r.id).toEqual({ $ref: '#/components/responses/Unauthorized' });
  });

  it('documents 429 with Retry-After on the writes that have quotas, with the default in words', () => {
    const quotaResponse = doc.components.responses.QuotaExceeded;
    expect(quotaResponse.headers['Retry-After'].schema).toMatchObject({ type: 'integer', minimum: 1 });
    for (const r of ROUTES.filter((x) => QUOTA_ROUTES[x.id])) {
      expect(op(r).responses['429'], r.id).toEqual({ $ref: '#/components/responses/QuotaExceeded' });
      const n =
        QUOTA_ROUTES[r.id] === 'claims'
          ? DEFAULT_QUOTAS.claimsPerCustomerPerDay
          : QUOTA_ROUTES[r.id] === 'messages'
            ? DEFAULT_QUOTAS.messagesPerClaimPerDay
            : DEFAULT_QUOTAS.uploadsPerClaimPerDay;
      expect(op(r).description, r.id).toContain(`at most ${n}`);
    }
    expect(Object.keys(QUOTA_ROUTES).sort()).toEqual([
      'FileClaimForCustomer',
      'PostClaimMessage',
      'RequestUpload',
      'SubmitClaim',
    ]);
  });
});
