import type { PayoutStep } from '../../lambdas/core/payout.ts';
import { money } from './format.ts';
import { useLocale } from './locale.tsx';
import type { Jsonified } from './types.ts';

/**
 * The payout engine's steps (lambdas/core/payout.ts) as a table: each step's label, the running
 * amount with what the step took off or added, and the engine's own explanation — in the reader's
 * language. The console shows it live while assessing; the customer sees it once decided.
 */
export function PayoutSteps({
  steps,
  caption,
  compact = false,
  onlyApplied = false,
}: {
  steps: readonly Jsonified<PayoutStep>[];
  caption?: string;
  /** Two columns, the explanation under the step's name: for narrow places (a phone, a side panel). */
  compact?: boolean;
  /** Only the steps that changed or decided something (the customer's view: no "did not apply" rows). */
  onlyApplied?: boolean;
}) {
  const { locale, tr } = useLocale();
  const shown = onlyApplied ? steps.filter((s) => s.applied || s.code === 'payable') : steps;
  return (
    <div class="table-wrap">
      <table class={`steps-table${compact ? ' is-compact' : ''}`}>
        {caption ? <caption class="visually-hidden">{caption}</caption> : null}
        <thead>
          <tr>
            <th scope="col">{tr('payoutStep')}</th>
            <th scope="col" class="num">
              {tr('payoutAmount')}
            </th>
            {compact ? null : <th scope="col">{tr('payoutDetail')}</th>}
          </tr>
        </thead>
        <tbody>
          {shown.map((s, i) => (
            <tr
              key={`${s.code}-${s.coverCode ?? ''}-${i}`}
              class={`step${s.applied ? '' : ' not-applied'}${s.code === 'payable' ? ' step-total' : ''}`}
              data-step={s.code}
            >
              <th scope="row">
                {s.label[locale]}
                {s.coverCode ? <span class="step-cover">{s.coverName?.[locale] ?? s.coverCode}</span> : null}
                {compact ? (
                  <span class="step-detail">
                    {s.detail[locale]}
                    {!s.applied ? ` ${tr('payoutNotApplied')}` : ''}
                  </span>
                ) : null}
              </th>
              <td class="num">
                {money(s.amount, locale)}
                {s.delta !== 0 && s.code !== 'payable' ? (
                  <span class={`delta ${s.delta < 0 ? 'minus' : 'plus'}`}>
                    {s.delta > 0 ? '+' : '−'}
                    {money({ amount: Math.abs(s.delta), currency: 'VND' }, locale)}
                  </span>
                ) : null}
              </td>
              {compact ? null : (
                <td>
                  {s.detail[locale]}
                  {!s.applied ? <span class="hint"> {tr('payoutNotApplied')}</span> : null}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
