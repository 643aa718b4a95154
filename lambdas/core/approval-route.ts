import type { CheckCode, CheckResult } from './claim.ts';
import type { ProductConfig } from './products.ts';

export type ApprovalRoute = 'none' | 'supervisor' | 'joint';

/**
 * The intake checks that referred the claim to a person (`block`: the policy not found or not
 * the customer's, not in force at the loss, changed after it, the legal window expired, a loss in
 * the future…). Nothing records them as resolved before a decision: paying such a claim overrides
 * them, which is a supervisor's call with a reason (see {@link approvalRoute}).
 */
export const blockingChecks = (checks: readonly CheckResult[]): CheckCode[] =>
  checks.filter((c) => c.severity === 'block').map((c) => c.code);

/** Who decides, as far as the route depends on it. */
export interface Decider {
  /** Their authority limit (integer VND). */
  authorityLimit: number;
  /** A supervisor's own decision is a supervisor's approval. */
  supervisor: boolean;
}

/**
 * Who must agree to a payout: above the product's large-loss threshold the configured departments
 * decide jointly; above the decider's own authority limit a supervisor approves; a claim the intake
 * checks referred (`blocking` not empty) is paid only on at least a supervisor's word — an adjuster's
 * decision goes to a supervisor, whose comment is the reason the checks are overridden. Otherwise the
 * decider's word is final.
 */
export function approvalRoute(
  amount: number,
  product: Pick<ProductConfig, 'jointDecision'>,
  decider: Decider,
  blocking: readonly CheckCode[] = [],
): ApprovalRoute {
  if (amount > product.jointDecision.threshold) return 'joint';
  if (amount > decider.authorityLimit) return 'supervisor';
  if (blocking.length > 0 && !decider.supervisor) return 'supervisor';
  return 'none';
}
