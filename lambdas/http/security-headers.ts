/**
 * The security headers every API response carries: the handlers' middy stack sets them on what the
 * functions answer, and the local gateway on what it answers itself (401, 404, 413, …), so no
 * response of either runtime goes out without them.
 */
export const SECURITY_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
} as const;
