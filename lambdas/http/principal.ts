import { DomainError, ForbiddenError } from '../core/errors.ts';
import { ROLES, type Role } from '../shared/roles.ts';
import type { Caller } from '../core/caller.ts';

/** Who is calling, as the JWT authorizer (API Gateway on AWS, the local gateway locally) saw them. */
export type Principal = Caller;

/**
 * API Gateway's HTTP API JWT authorizer passes array claims as a string such as
 * `[adjuster supervisor]`; the local gateway passes real arrays. Accept both.
 */
function parseGroups(raw: unknown): Role[] {
  let list: string[] = [];
  if (Array.isArray(raw)) list = raw.map(String);
  else if (typeof raw === 'string')
    list = raw
      .replace(/^\[|\]$/g, '')
      .split(/[\s,]+/)
      .filter(Boolean);
  return list.filter((g): g is Role => (ROLES as readonly string[]).includes(g));
}

export function principalFromClaims(claims: Record<string, unknown> | undefined): Principal {
  if (!claims || typeof claims.sub !== 'string')
    throw new DomainError('UNAUTHENTICATED', 'No verified identity');
  const locale = claims['custom:locale'] ?? claims.locale;
  return {
    userId: claims.sub,
    username: String(claims['cognito:username'] ?? claims.username ?? claims.sub),
    roles: parseGroups(claims['cognito:groups']),
    customerId: typeof claims['custom:customerId'] === 'string' ? claims['custom:customerId'] : undefined,
    email: typeof claims.email === 'string' ? claims.email : undefined,
    locale: locale === 'en' ? 'en' : 'vi',
    // API Gateway passes numeric claims as strings.
    issuedAt:
      Number.isFinite(Number(claims.iat)) && claims.iat !== undefined ? Number(claims.iat) : undefined,
  };
}

export const hasAnyRole = (p: Principal, roles: readonly Role[]): boolean =>
  roles.some((r) => p.roles.includes(r));

export function requireAnyRole(p: Principal, roles: readonly Role[]): void {
  if (roles.length > 0 && !hasAnyRole(p, roles)) throw new ForbiddenError();
}

export const isCustomerOnly = (p: Principal): boolean => p.roles.length === 1 && p.roles[0] === 'customer';
