import * as z from 'zod/mini';
import { defineSchema } from './define-schema.ts';
import { PRODUCT_LINES, type ProductLine } from './products.ts';

/**
 * Automatic assignment of a new claim to an adjuster. Deterministic: the same team and claim always
 * give the same answer, and the reason says why in words a supervisor can check.
 *
 * Rules, in order:
 * 1. Qualified = active, skilled in the claim's product line and not the person who filed it.
 * 2. Prefer those covering the claim's province; if none do, fall back to every qualified adjuster
 *    in any region and record that (`regionFallback`).
 * 3. Keep those whose authority limit covers the reserve. If none — or nobody is qualified at all —
 *    the claim goes to the supervisors' queue instead.
 * 4. Lowest open workload wins; ties go to the smallest `staffId` (plain code-unit order).
 */

export const Adjuster = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    staffId: z.string().check(z.minLength(1)),
    name: z.string().check(z.minLength(1)),
    skills: z.array(z.enum(PRODUCT_LINES)),
    /** Province names as people write them; matching ignores case, accents and "Tỉnh"/"Thành phố". */
    regions: z.array(z.string().check(z.minLength(1))),
    openClaims: z.int().check(z.gte(0)),
    /** Largest reserve (VND) this adjuster may handle. */
    authorityLimit: z.int().check(z.gte(0)),
    active: z.boolean(),
  }),
);
export type Adjuster = z.infer<typeof Adjuster>;

export const ClaimToAssign = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    line: z.enum(PRODUCT_LINES),
    province: z.string().check(z.minLength(1)),
    reserveAmount: z.int().check(z.gte(0)),
    /** Never assigned to these people: whoever filed the claim (segregation of duties). */
    excludeStaffIds: z.optional(z.array(z.string())),
  }),
);
export type ClaimToAssign = z.infer<typeof ClaimToAssign>;

export type AssignmentReasonCode =
  | 'LOWEST_LOAD'
  | 'LOWEST_LOAD_ANY_REGION'
  | 'NO_QUALIFIED_ADJUSTER'
  | 'RESERVE_ABOVE_AUTHORITY';

export interface AssignmentReason {
  code: AssignmentReasonCode;
  params: Record<string, string | number | boolean>;
}

type Text = { vi: string; en: string };

export type Assignment =
  | { kind: 'adjuster'; staffId: string; reason: AssignmentReason; reasonText: Text }
  | { kind: 'queue'; queue: 'supervisors'; reason: AssignmentReason; reasonText: Text };

const LINE_TEXT: Record<ProductLine, Text> = {
  motor: { vi: 'xe cơ giới', en: 'motor' },
  property: { vi: 'tài sản', en: 'property' },
  health: { vi: 'sức khỏe', en: 'health' },
  travel: { vi: 'du lịch', en: 'travel' },
};

/**
 * A province name reduced for comparison: Unicode NFD with combining marks removed, đ/Đ → d,
 * lower case, "tỉnh" / "thành phố" / "tp." prefixes dropped, whitespace collapsed.
 * `'TP. Hồ Chí Minh'`, `'ho chi minh'` and `'Thành phố Hồ Chí Minh'` all give `'ho chi minh'`.
 */
export function normalizeProvince(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, ' ')
    .trim()
    .replace(/^(tinh\s+|thanh pho\s+|tp\.\s*|tp\s+)/, '')
    .trim();
}

const vndText = (n: number, locale: 'vi' | 'en'): string =>
  new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-US').format(n);

/**
 * Whether an adjuster can take the claim at all (active, skilled in its line, not its filer). Only
 * these adjusters' workloads are compared, so the caller need count open claims for these only.
 */
export function qualifiesFor(
  a: Pick<Adjuster, 'active' | 'skills' | 'staffId'>,
  claim: ClaimToAssign,
): boolean {
  return a.active && a.skills.includes(claim.line) && !(claim.excludeStaffIds ?? []).includes(a.staffId);
}

/**
 * Picks the adjuster (or queue) for a claim. Pure: the caller loads the team and the claim, and
 * records the returned reason with the `ClaimAssigned` event.
 */
export function assignClaim(adjusters: readonly Adjuster[], claim: ClaimToAssign): Assignment {
  const line = LINE_TEXT[claim.line];
  const province = claim.province.trim();
  const where = normalizeProvince(province);
  const qualified = adjusters.filter((a) => qualifiesFor(a, claim));
  if (qualified.length === 0) {
    return {
      kind: 'queue',
      queue: 'supervisors',
      reason: { code: 'NO_QUALIFIED_ADJUSTER', params: { line: claim.line, province } },
      reasonText: {
        vi: `${line.vi}, ${province}: không có giám định viên đang hoạt động cho nghiệp vụ này`,
        en: `${line.en}, ${province}: no active adjuster for this line`,
      },
    };
  }

  const local = qualified.filter((a) => a.regions.some((r) => normalizeProvince(r) === where));
  const regionFallback = local.length === 0;
  const pool = regionFallback ? qualified : local;
  const whereText: Text = regionFallback
    ? {
        vi: `${province} (không có giám định viên tại địa phương; chọn mọi khu vực)`,
        en: `${province} (no local adjuster; any region)`,
      }
    : { vi: province, en: province };

  const withAuthority = pool.filter((a) => a.authorityLimit >= claim.reserveAmount);
  if (withAuthority.length === 0) {
    const maxAuthority = Math.max(...pool.map((a) => a.authorityLimit));
    return {
      kind: 'queue',
      queue: 'supervisors',
      reason: {
        code: 'RESERVE_ABOVE_AUTHORITY',
        params: { line: claim.line, province, reserve: claim.reserveAmount, maxAuthority, regionFallback },
      },
      reasonText: {
        vi: `${line.vi}, ${whereText.vi}: dự phòng ${vndText(claim.reserveAmount, 'vi')} ₫ vượt hạn mức của ${pool.length} giám định viên đủ điều kiện (cao nhất ${vndText(maxAuthority, 'vi')} ₫)`,
        en: `${line.en}, ${whereText.en}: reserve VND ${vndText(claim.reserveAmount, 'en')} exceeds the authority of all ${pool.length} qualified adjusters (highest VND ${vndText(maxAuthority, 'en')})`,
      },
    };
  }

  const [chosen] = [...withAuthority].sort(
    (a, b) => a.openClaims - b.openClaims || (a.staffId < b.staffId ? -1 : a.staffId > b.staffId ? 1 : 0),
  );
  // withAuthority is non-empty, so chosen exists.
  const pick = chosen!;
  const n = withAuthority.length;
  return {
    kind: 'adjuster',
    staffId: pick.staffId,
    reason: {
      code: regionFallback ? 'LOWEST_LOAD_ANY_REGION' : 'LOWEST_LOAD',
      params: { line: claim.line, province, candidates: n, openClaims: pick.openClaims, regionFallback },
    },
    reasonText: {
      vi: `${line.vi}, ${whereText.vi}, ít hồ sơ đang xử lý nhất trong ${n} giám định viên đủ điều kiện`,
      en: `${line.en}, ${whereText.en}, lowest load among ${n} qualified adjuster${n === 1 ? '' : 's'}`,
    },
  };
}
