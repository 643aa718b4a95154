import type { PayoutStep } from '../../../../lambdas/core/payout.ts';
import { formatDateTime, money } from '../../../shared/format.ts';
import { useLocale } from '../../../shared/locale.tsx';
import { PayoutSteps } from '../../../shared/payout-steps.tsx';
import type { ClaimView, Jsonified } from '../../../shared/types.ts';

/**
 * The decision once there is one: outcome, amount, the reasons with the policy clause each rests on
 * (Law 08/2022 Art. 20(2)(e)), and how the amount was worked out, step by step.
 */
export function DecisionCard({ claim }: { claim: ClaimView }) {
  const { locale, tr } = useLocale();
  const d = claim.decision;
  // A decision waiting for an approver is not a decision yet.
  if (!d || claim.status === 'PENDING_APPROVAL' || claim.status === 'JOINT_REVIEW') return null;
  const steps = (claim.assessment?.steps ?? []) as Jsonified<PayoutStep>[];
  return (
    <section
      class={`card decision-card decision-${d.outcome}`}
      aria-labelledby="decision-title"
      data-outcome={d.outcome}
    >
      <h2 id="decision-title" class="section-title">
        {tr('decisionTitle')}: {tr(`decision_${d.outcome}`)}
      </h2>
      {d.outcome !== 'reject' ? (
        <p class="decision-amount">
          <strong>{tr('decisionAmount', { amount: money(d.amount, locale) })}</strong>
        </p>
      ) : null}
      <p class="hint">{tr('decidedOn', { date: formatDateTime(d.decidedAt, locale) })}</p>
      {d.reasons.length > 0 ? (
        <>
          <h3 class="subsection-title">{tr('decisionReasons')}</h3>
          <ul class="decision-reasons">
            {d.reasons.map((r) => (
              <li key={`${r.clause}-${r.text}`}>
                <strong>{r.clause}</strong>: {r.text}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {d.outcome !== 'reject' && steps.length > 0 ? (
        <details class="payout-how">
          <summary class="payout-how-summary">{tr('payoutHowTitle')}</summary>
          <PayoutSteps steps={steps} caption={tr('payoutHowTitle')} compact onlyApplied />
        </details>
      ) : null}
    </section>
  );
}
