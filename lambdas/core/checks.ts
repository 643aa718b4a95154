import type { CheckResult, SubmitClaimRequest } from './claim.ts';
import type { Policy } from './policy.ts';
import { changesAfterLoss, type RecordedVersion } from './policy-at-loss.ts';
import type { ProductConfig } from './products.ts';
import { addMonths, businessDate, daysBetween } from './time.ts';

/** A previous claim on the same policy, as far as duplicate detection needs it. */
export interface PriorClaim {
  claimId: string;
  claimNumber: string;
  lossAt: string;
  cause: string;
}

export interface CheckContext {
  report: Pick<SubmitClaimRequest, 'lossAt' | 'cause' | 'policyNumber'>;
  /** The customer the claim is filed for. */
  customerId: string;
  /** The version the claim is judged on: the one in force at the loss (core/policy-at-loss.ts). */
  policy: Policy | undefined;
  /**
   * Every stored version of the policy with when it was recorded: a version recorded after the
   * loss that widens cover (or the policy first recorded after it) sends the claim to a person.
   */
  policyVersions?: readonly RecordedVersion[];
  product: ProductConfig | undefined;
  /**
   * Other claims already filed on the same policy (this one excluded): the same loss day and cause
   * (read strongly consistent), and the policy's other claims as far as they are known.
   */
  priorClaims: readonly PriorClaim[];
  /** When the insurer received the notice. */
  receivedAt: Date;
}

/**
 * Law on Insurance Business 08/2022/QH15 Art. 30: the limitation period for claiming is one year
 * from the date of the insured event.
 */
export const LEGAL_CLAIM_WINDOW_MONTHS = 12;

/**
 * Another claim on the policy whose loss is this close in time, whatever its cause, may be the same
 * loss filed again: 23:50 on one day and 00:10 the next, or a collision filed again as vandalism.
 */
export const NEAR_DUPLICATE_HOURS = 72;

/**
 * The automatic checks run on receipt. Each failed check is a coded reason a person can read; a
 * claim that fails any of them is still stored, and `block` results refer it to a person.
 */
export function runIntakeChecks(ctx: CheckContext): CheckResult[] {
  const results: CheckResult[] = [];
  const { report, policy, product, receivedAt } = ctx;
  const lossAt = new Date(report.lossAt);
  const lossDate = businessDate(lossAt);
  const receivedDate = businessDate(receivedAt);

  if (lossAt.getTime() > receivedAt.getTime() + 5 * 60_000) {
    results.push({ code: 'LOSS_IN_FUTURE', severity: 'block', params: { lossAt: report.lossAt } });
  }

  if (!policy) {
    results.push({
      code: 'POLICY_NOT_FOUND',
      severity: 'block',
      params: { policyNumber: report.policyNumber },
    });
    return results;
  }
  if (policy.customerId !== ctx.customerId) {
    results.push({
      code: 'POLICY_NOT_OWNED',
      severity: 'block',
      params: { policyNumber: policy.policyNumber },
    });
    return results;
  }
  const from = Date.parse(policy.effectiveFrom);
  const to = Date.parse(policy.effectiveTo);
  if (policy.status !== 'in_force' || lossAt.getTime() < from || lossAt.getTime() > to) {
    results.push({
      code: 'POLICY_NOT_IN_FORCE',
      severity: 'block',
      params: {
        status: policy.status,
        effectiveFrom: businessDate(new Date(from)),
        effectiveTo: businessDate(new Date(to)),
        lossDate,
      },
    });
  }

  // Cover that grew after the loss (or a policy first recorded after it) is what a poisoned feed or
  // a customer insuring a loss that already happened looks like: a person looks before anything is
  // paid, and the claim is judged on the version in force at the loss meanwhile.
  const after = changesAfterLoss(ctx.policyVersions ?? [], report.lossAt);
  const latest = after.at(-1);
  if (latest) {
    results.push({
      code: 'POLICY_CHANGED_AFTER_LOSS',
      severity: 'block',
      params: {
        version: latest.version,
        recordedDate: businessDate(new Date(latest.recordedAt)),
        lossDate,
        changes: after
          .flatMap((a) => a.changes.map((c) => `v${a.version} ${c}`))
          .join(', ')
          .slice(0, 300),
      },
    });
  }

  const coveredByPolicy = policy.covers.some((c) => c.causes.includes(report.cause));
  const coveredByProduct = product?.coveredCauses.includes(report.cause) ?? false;
  if (!coveredByProduct || !coveredByPolicy) {
    results.push({ code: 'PERIL_NOT_COVERED', severity: 'block', params: { cause: report.cause } });
  }

  const legalDeadline = addMonths(lossDate, LEGAL_CLAIM_WINDOW_MONTHS);
  if (receivedDate > legalDeadline) {
    results.push({
      code: 'LEGAL_WINDOW_EXPIRED',
      severity: 'block',
      params: { lossDate, deadline: legalDeadline, basis: 'Law 08/2022/QH15 Art. 30' },
    });
  } else if (product) {
    const daysLate = daysBetween(lossDate, receivedDate) - product.noticeDays;
    if (daysLate > 0) {
      results.push({
        code: 'LATE_NOTICE',
        severity: 'warn',
        params: { noticeDays: product.noticeDays, daysLate, lossDate },
      });
    }
  }

  const hoursApart = (c: PriorClaim) => Math.abs(new Date(c.lossAt).getTime() - lossAt.getTime()) / 3_600_000;
  const dup =
    ctx.priorClaims.find((c) => c.cause === report.cause && businessDate(new Date(c.lossAt)) === lossDate) ??
    ctx.priorClaims
      .filter((c) => hoursApart(c) <= NEAR_DUPLICATE_HOURS)
      .sort((a, b) => hoursApart(a) - hoursApart(b))[0];
  if (dup) {
    results.push({
      code: 'POSSIBLE_DUPLICATE',
      severity: 'warn',
      params: {
        otherClaimNumber: dup.claimNumber,
        otherClaimId: dup.claimId,
        ...(dup.cause !== report.cause || businessDate(new Date(dup.lossAt)) !== lossDate
          ? { hoursApart: Math.round(hoursApart(dup)), otherCause: dup.cause }
          : {}),
      },
    });
  }
  return results;
}

export const hasBlockingCheck = (checks: readonly CheckResult[]): boolean =>
  checks.some((c) => c.severity === 'block');
