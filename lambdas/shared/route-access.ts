import { ROUTES } from '../routes.ts';
import type { Role } from './roles.ts';

/** Who may call a route: what the HTTP wrapper (lambdas/http/api-handler.ts) checks on each request. */
export interface RouteAccess {
  auth: 'public' | 'jwt';
  roles: readonly Role[];
}

/** Every route's access, by route id, taken from the one route table (lambdas/routes.ts). */
export const routeAccessTable = (): Record<string, RouteAccess> =>
  Object.fromEntries(ROUTES.map((r) => [r.id, { auth: r.auth, roles: r.roles }]));

/**
 * Imported as `#route-access` (package.json "imports"): this module under tsx and vitest; in a
 * Lambda bundle the same table written as JSON by lib/lambda-inputs.ts, so an API function carries
 * the ids and roles (~3 KB) and not the whole route table with paths, entries and summaries (~19 KB).
 */
export default routeAccessTable();
