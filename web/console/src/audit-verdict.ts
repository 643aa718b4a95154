import type { ChainVerdict } from '../../../lambdas/core/events.ts';
import type { ConsoleKey } from './i18n.ts';

/**
 * Reasons the KMS anchor adds to a chain's verdict (lambdas/core/audit-anchor.ts `judgeAnchor`),
 * which the console words; the hash chain's own reasons are shown as their codes, as before.
 */
const ANCHOR_REASONS = ['ANCHOR_INVALID', 'ANCHOR_MISMATCH', 'UNANCHORED'] as const;
type AnchorReason = (typeof ANCHOR_REASONS)[number];
const isAnchorReason = (r: string): r is AnchorReason => (ANCHOR_REASONS as readonly string[]).includes(r);

/** The audit badge's text: verified (and sealed up to which event), or where and why it broke. */
export function auditVerdictText(
  c: (key: ConsoleKey, params?: Record<string, unknown>) => string,
  verdict: ChainVerdict,
  anchoredSeq = 0,
): string {
  if (verdict.ok) {
    const verified = c('auditVerified', { length: verdict.length });
    return `✓ ${anchoredSeq > 0 ? `${verified} · ${c('auditAnchoredUpTo', { seq: anchoredSeq })}` : verified}`;
  }
  const reason = isAnchorReason(verdict.reason) ? c(`auditReason_${verdict.reason}`) : verdict.reason;
  return `✗ ${c('auditBroken', { at: verdict.brokenAt, reason })}`;
}
