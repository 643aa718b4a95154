import type { claimSummary, claimView } from '../../lambdas/app/claim-view.ts';
import type { Claim } from '../../lambdas/core/claim.ts';
import type { PolicySummary } from '../../lambdas/core/policy.ts';
import type { ProductConfig } from '../../lambdas/core/products.ts';
import type { Role } from '../../lambdas/shared/roles.ts';

/**
 * Response shapes, derived from the functions that build them on the server (HOUSE_STYLE §13) so a
 * change there fails `tsc` here instead of failing in a customer's browser. Type-only imports:
 * nothing from the server ends up in the bundle.
 */

/** JSON drops `undefined` members and turns them optional. */
export type Jsonified<T> = T extends (infer U)[]
  ? Jsonified<U>[]
  : T extends object
    ? { [K in keyof T as undefined extends T[K] ? never : K]: Jsonified<T[K]> } & {
        [K in keyof T as undefined extends T[K] ? K : never]?: Jsonified<Exclude<T[K], undefined>>;
      }
    : T;

export interface Me {
  userId: string;
  username: string;
  roles: Role[];
  customerId?: string;
  displayName: string;
  email?: string;
  phone?: string;
  locale: 'vi' | 'en';
  /** Staff only: their own limits and department (GET /me). */
  staff?: { authorityLimit: number; active: boolean; department?: string };
}

export type ProductItem = Pick<
  ProductConfig,
  'code' | 'line' | 'name' | 'compulsory' | 'coveredCauses' | 'noticeDays' | 'documentChecklist'
>;

export type PolicyItem = PolicySummary & { covers?: unknown[] };

export type ClaimSummary = Jsonified<ReturnType<typeof claimSummary>>;
/**
 * `claimView` spreads the stored claim as a `Partial<Claim>` (it filters fields by audience), so the
 * fields a customer's view always carries are pinned here.
 */
type CustomerClaimFields =
  | 'claimId'
  | 'claimNumber'
  | 'policyNumber'
  | 'productCode'
  | 'status'
  | 'checks'
  | 'requiredDocuments'
  | 'receivedDocuments'
  | 'submittedAt';
export type ClaimView = Jsonified<ReturnType<typeof claimView>> & Jsonified<Pick<Claim, CustomerClaimFields>>;
export type ClaimDocumentView = ClaimView['documents'][number];
export type TimelineItem = ClaimView['timeline'][number];

export interface UploadTicket {
  documentId: string;
  upload: { url: string; fields: Record<string, string>; expiresAt: string };
  maxBytes: number;
}

export interface Page<T> {
  items: T[];
  cursor?: string;
}
