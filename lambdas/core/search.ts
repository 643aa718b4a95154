import * as z from 'zod/mini';
import { defineSchema } from './define-schema.ts';
import type { Claim } from './claim.ts';
import { formatClaimNumber } from './claim-number.ts';
import { normaliseKey, normalisePhone } from './names.ts';

export { normaliseKey, normalisePhone };

/**
 * Finding a claim by what a caller or a colleague quotes: its number, the policy number, the
 * customer id, the contact phone or the vehicle plate, in any status. Values are compared in a
 * normalised form (upper case, without spaces, dots or dashes; phones in national form), so
 * `30a-123.45`, `30A12345` and `30A 123 45` find the same claim.
 */
export const SEARCH_KINDS = ['number', 'policy', 'customer', 'phone', 'plate'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** Page sizes: the queue and search show up to 100 rows a page, 25 by default. */
export const PAGE_LIMIT = { default: 25, max: 100 } as const;
/** The staff claim view ships this many other claims on the policy; the rest are paged. */
export const POLICY_HISTORY_FIRST_PAGE = 10;

export const PageLimit = /* @__PURE__ */ defineSchema(() =>
  z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(PAGE_LIMIT.max)), PAGE_LIMIT.default),
);
/** Loose outer bound; the cursor's own bound (MAX_CURSOR_CHARS) answers INVALID_CURSOR. */
export const CursorParam = /* @__PURE__ */ defineSchema(() =>
  z.optional(z.string().check(z.maxLength(8192))),
);

export const SearchQuery = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    q: z.string().check(z.trim(), z.minLength(2), z.maxLength(40)),
    by: z.optional(z.enum(SEARCH_KINDS)),
    limit: PageLimit,
    cursor: CursorParam,
  }),
);
export type SearchQuery = z.infer<typeof SearchQuery>;

/** The query of `GET /customers` (phone intake): one free-text term, what the caller said. */
export const CustomerLookupQuery = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    q: z.string().check(z.trim(), z.minLength(3), z.maxLength(80)),
  }),
);

export const PagedQuery = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({ limit: PageLimit, cursor: CursorParam }),
);

/** The claim number in its stored form (`bt2026000017` → `BT-2026-000017`), if it is one. */
export function normaliseClaimNumber(v: string): string | undefined {
  const m = /^BT(\d{4})(\d{6,9})$/.exec(normaliseKey(v));
  return m ? formatClaimNumber(Number(m[1]), Number(m[2])) : undefined;
}

/** The normalised value a search compares on, per kind. */
export function normaliseSearchValue(kind: SearchKind, q: string): string {
  if (kind === 'phone') return normalisePhone(q);
  if (kind === 'number') return normaliseClaimNumber(q) ?? normaliseKey(q);
  return normaliseKey(q);
}

/** Guesses what a bare search term is when the console does not say. */
export function detectSearchKind(q: string): SearchKind {
  const k = normaliseKey(q);
  if (/^BT\d{4}\d{6,}$/.test(k)) return 'number';
  if (/^CUS\d+$/.test(k)) return 'customer';
  if (/^\+?(84|0)\d{8,10}$/.test(q.replace(/[\s.\-()]/g, ''))) return 'phone';
  if (/^\d{2}[A-Z]{1,2}\d{4,6}$/.test(k)) return 'plate';
  return 'policy';
}

/** The values a claim can be found by through lookup items (the number has its own pointer). */
export function searchableValues(c: Claim): { kind: Exclude<SearchKind, 'number'>; value: string }[] {
  const out: { kind: Exclude<SearchKind, 'number'>; value: string }[] = [
    { kind: 'policy', value: normaliseKey(c.policyNumber) },
    { kind: 'customer', value: normaliseKey(c.customerId) },
    { kind: 'phone', value: normalisePhone(c.report.contact.phone) },
  ];
  if (c.report.facts.kind === 'motor')
    out.push({ kind: 'plate', value: normaliseKey(c.report.facts.vehiclePlate) });
  return out.filter((v) => v.value.length > 0);
}

/** Claim ids in paths: what the system generates (26 hex characters), with room to spare. */
export const ClaimIdParam = /* @__PURE__ */ defineSchema(() =>
  z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/)),
);
