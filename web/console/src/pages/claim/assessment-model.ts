import type { FieldIssue } from '../../../../../lambdas/core/errors.ts';
import { isDomainError } from '../../../../../lambdas/core/errors.ts';
import {
  calculatePayout,
  LOSS_ITEM_KINDS,
  type LossItemKind,
  type PayoutInputIn,
  type PayoutResult,
  REDUCTION_CODES,
  type ReductionCode,
} from '../../../../../lambdas/core/payout.ts';
import { RecordAssessmentBody } from '../../../../../lambdas/core/staff-schemas.ts';
import { fieldIssuesFromZod } from '../../../../shared/errors.ts';
import { parseAmount } from '../../../../shared/format.ts';
import type { StaffClaim } from '../../types.ts';

/**
 * The assessment form as typed (strings), its request body (validated with the API's own
 * `RecordAssessmentBody`) and the live preview (the API's own pure `calculatePayout`, fed exactly
 * what lambdas/app/assessment.ts feeds it: the policy's covers, insured value and add-ons).
 */
export interface ItemState {
  key: number;
  description: string;
  coverCode: string;
  kind: LossItemKind;
  amount: string;
  age: string;
}

export interface ReductionState {
  key: number;
  code: ReductionCode;
  bps: string;
}

export interface AssessmentState {
  items: ItemState[];
  marketValue: string;
  salvage: string;
  mitigation: string;
  bpsPerYear: string;
  maxBps: string;
  reductions: ReductionState[];
  note: string;
}

const intOrUndefined = (text: string): number | undefined => {
  const t = text.trim();
  if (t === '') return undefined;
  return /^\d+$/.test(t) ? Number(t) : Number.NaN;
};
const amountText = (n: number | undefined) => (n === undefined ? '' : String(n));
const isKind = (v: unknown): v is LossItemKind => (LOSS_ITEM_KINDS as readonly unknown[]).includes(v);
const isReduction = (v: unknown): v is ReductionCode => (REDUCTION_CODES as readonly unknown[]).includes(v);

/** Starts from the assessment on file (re-assessing), else from what the customer reported. */
export function initialAssessment(
  claim: StaffClaim,
  formatAmount: (text: string) => string,
): AssessmentState {
  const covers = claim.policy?.covers ?? [];
  const prior = claim.assessment?.input as Partial<PayoutInputIn> | undefined;
  if (prior?.items && prior.items.length > 0) {
    return {
      items: prior.items.map((i, n) => ({
        key: n + 1,
        description: i.description,
        coverCode: i.coverCode,
        kind: isKind(i.kind) ? i.kind : 'repair',
        amount: formatAmount(amountText(i.assessedAmount)),
        age: i.partAgeYears === undefined ? '' : String(i.partAgeYears),
      })),
      marketValue: formatAmount(amountText(prior.marketValue)),
      salvage: formatAmount(amountText(prior.salvage || undefined)),
      mitigation: formatAmount(amountText(prior.mitigationCosts || undefined)),
      bpsPerYear: String(prior.depreciation?.bpsPerYear ?? 0),
      maxBps: String(prior.depreciation?.maxBps ?? 0),
      reductions: (prior.reductions ?? []).map((r, n) => ({
        key: n + 1,
        code: isReduction(r.code) ? r.code : 'other',
        bps: String(r.bps),
      })),
      note: '',
    };
  }
  const cause = claim.report.cause;
  const cover = covers.find((c) => (c.causes as readonly string[]).includes(cause)) ?? covers[0];
  const line = claim.classification?.line;
  const kind: LossItemKind = line === 'health' ? 'medical' : line === 'travel' ? 'other' : 'repair';
  const items: ItemState[] =
    claim.report.facts.kind === 'property'
      ? claim.report.facts.items.map((i, n) => ({
          key: n + 1,
          description: i.description,
          coverCode: cover?.code ?? '',
          kind,
          amount: '',
          age: '',
        }))
      : [
          {
            key: 1,
            description: (claim.report.description ?? '').slice(0, 300),
            coverCode: cover?.code ?? '',
            kind,
            amount: '',
            age: '',
          },
        ];
  return {
    items,
    marketValue: '',
    salvage: '',
    mitigation: '',
    bpsPerYear: '0',
    maxBps: '0',
    reductions: [],
    note: '',
  };
}

/** The request body as the form stands (not yet validated). */
export function buildBody(s: AssessmentState, expectedVersion: number): Record<string, unknown> {
  const note = s.note.trim();
  return {
    expectedVersion,
    items: s.items.map((i) => ({
      description: i.description.trim(),
      coverCode: i.coverCode,
      assessedAmount: parseAmount(i.amount),
      kind: i.kind,
      ...(i.kind === 'replacement' && i.age.trim() !== '' ? { partAgeYears: intOrUndefined(i.age) } : {}),
    })),
    ...(parseAmount(s.marketValue) !== undefined ? { marketValue: parseAmount(s.marketValue) } : {}),
    salvage: parseAmount(s.salvage) ?? 0,
    mitigationCosts: parseAmount(s.mitigation) ?? 0,
    reductions: s.reductions.map((r) => ({ code: r.code, bps: intOrUndefined(r.bps) })),
    depreciation: { bpsPerYear: intOrUndefined(s.bpsPerYear) ?? 0, maxBps: intOrUndefined(s.maxBps) ?? 0 },
    ...(note ? { note } : {}),
  };
}

/** The payout engine rejects with field issues tagged in `message` (code `custom`): use the tag. */
export const normaliseIssue = (i: FieldIssue): FieldIssue =>
  i.code === 'custom' ? { ...i, code: i.message } : i;

export type Preview = { ok: true; result: PayoutResult } | { ok: false; issues: FieldIssue[] };

/** What the server will compute, computed here with the same engine and the same policy inputs. */
export function previewPayout(body: Record<string, unknown>, policy: StaffClaim['policy']): Preview {
  const parsed = RecordAssessmentBody.safeParse(body, { reportInput: true });
  if (!parsed.success) return { ok: false, issues: fieldIssuesFromZod(parsed.error) };
  if (!policy)
    return { ok: false, issues: [{ path: 'policy', code: 'required', message: 'policy missing' }] };
  const b = parsed.data;
  try {
    const result = calculatePayout({
      items: b.items,
      covers: policy.covers,
      marketValue: b.marketValue,
      insuredValue: policy.insuredValue,
      depreciation: { ...b.depreciation, waived: policy.addOns.includes('new_for_old') },
      salvage: b.salvage,
      mitigationCosts: b.mitigationCosts,
      reductions: b.reductions,
    });
    return { ok: true, result };
  } catch (err) {
    if (isDomainError(err) && Array.isArray(err.details.fields)) {
      return { ok: false, issues: (err.details.fields as FieldIssue[]).map(normaliseIssue) };
    }
    throw err;
  }
}
