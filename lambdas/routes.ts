import type { RouteDef } from './shared/functions.ts';
import { CLAIM_READERS } from './shared/roles.ts';

/**
 * The HTTP API, defined once: CDK creates one route + Lambda per entry with the JWT authorizer,
 * the local gateway routes to the same modules, and the OpenAPI document is generated from it.
 */
export const ROUTES = [
  {
    id: 'Health',
    method: 'GET',
    path: '/health',
    entry: 'lambdas/handlers/http/health.ts',
    auth: 'public',
    roles: [],
    access: {},
    summary: 'Liveness check',
    tag: 'system',
  },
  {
    id: 'OpenApi',
    method: 'GET',
    path: '/openapi.json',
    entry: 'lambdas/handlers/http/openapi.ts',
    auth: 'public',
    roles: [],
    access: {},
    summary: 'This API as an OpenAPI 3.1 document',
    tag: 'system',
  },
  {
    id: 'GetMe',
    method: 'GET',
    path: '/me',
    entry: 'lambdas/handlers/http/get-me.ts',
    auth: 'jwt',
    roles: ['customer', ...CLAIM_READERS],
    access: { table: 'read' },
    summary: 'The signed-in user and their roles',
    tag: 'identity',
  },
  {
    id: 'ListProducts',
    method: 'GET',
    path: '/products',
    entry: 'lambdas/handlers/http/list-products.ts',
    auth: 'jwt',
    roles: ['customer', ...CLAIM_READERS],
    access: { table: 'read' },
    summary: 'Products with covered causes and document checklists',
    tag: 'policies',
  },
  {
    id: 'ListMyPolicies',
    method: 'GET',
    path: '/policies',
    entry: 'lambdas/handlers/http/list-my-policies.ts',
    auth: 'jwt',
    roles: ['customer'],
    access: { table: 'read' },
    summary: "The signed-in customer's policies",
    tag: 'policies',
  },
  {
    id: 'SubmitClaim',
    method: 'POST',
    path: '/claims',
    entry: 'lambdas/handlers/http/submit-claim.ts',
    auth: 'jwt',
    roles: ['customer'],
    access: { table: 'readwrite', workflow: 'start' },
    summary: 'First notice of loss (idempotent by Idempotency-Key)',
    tag: 'claims',
  },
  {
    id: 'ListMyClaims',
    method: 'GET',
    path: '/claims',
    entry: 'lambdas/handlers/http/list-my-claims.ts',
    auth: 'jwt',
    roles: ['customer'],
    access: { table: 'read' },
    summary: "The signed-in customer's claims, newest first",
    tag: 'claims',
  },
  {
    id: 'GetClaim',
    method: 'GET',
    path: '/claims/{claimId}',
    entry: 'lambdas/handlers/http/get-claim.ts',
    auth: 'jwt',
    roles: ['customer', ...CLAIM_READERS],
    access: { table: 'read' },
    summary: 'A claim with its timeline, missing documents and next step',
    tag: 'claims',
  },
  {
    id: 'RequestUpload',
    method: 'POST',
    path: '/claims/{claimId}/documents',
    entry: 'lambdas/handlers/http/request-upload.ts',
    auth: 'jwt',
    roles: ['customer', 'adjuster', 'supervisor'],
    access: { table: 'readwrite', documents: 'readwrite' },
    summary: 'A presigned POST for uploading one document to the claim',
    tag: 'documents',
  },
  {
    id: 'GetDocument',
    method: 'GET',
    path: '/claims/{claimId}/documents/{documentId}',
    entry: 'lambdas/handlers/http/get-document.ts',
    auth: 'jwt',
    roles: ['customer', ...CLAIM_READERS],
    access: { table: 'read', documents: 'read' },
    summary: 'Document metadata and a short-lived download URL',
    tag: 'documents',
  },
] as const satisfies readonly RouteDef[];

export type RouteId = (typeof ROUTES)[number]['id'];

export function routeById(id: RouteId): RouteDef {
  const r = ROUTES.find((x) => x.id === id);
  if (!r) throw new Error(`unknown route ${id}`);
  return r;
}

/** CORS as the HTTP API applies it (CDK corsPreflight) and as the local gateway mimics it. */
export const CORS = {
  allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match', 'x-correlation-id'],
  allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  exposeHeaders: ['x-correlation-id', 'etag'],
  maxAgeSeconds: 600,
} as const;
