import type { Role } from '../shared/roles.ts';

/**
 * Who asks a use case to act: the person's id, roles and, for a customer, their customer id. The
 * HTTP layer builds it from the verified JWT (lambdas/http/principal.ts), other entry points from
 * their own source; use cases (lambdas/app) take this type and know no transport.
 */
export interface Caller {
  userId: string;
  username: string;
  roles: Role[];
  customerId?: string;
  email?: string;
  locale: 'vi' | 'en';
  /** When the caller's token was issued (epoch seconds, its `iat`): sessions older than a cut-off end. */
  issuedAt?: number;
}
