import { formatDate, money } from './format.ts';
import { useLocale } from './locale.tsx';
import type { ClaimView } from './types.ts';

const vnd = (amount: number) => ({ amount, currency: 'VND' as const });

/**
 * What the claim pays and where each transfer stands: every advance (approved, then confirmed by the
 * bank), and the final transfer with how it is made up — the decision, less the advances, plus the
 * late-payment interest when it was queued after its deadline (`finalTransfer` in core/finance.ts,
 * the sum the payout line and the bank file carry). The customer app and the console show the same.
 */
export function PaymentsCard({ claim }: { claim: Pick<ClaimView, 'advances' | 'payment'> }) {
  const { locale, tr } = useLocale();
  const advances = claim.advances ?? [];
  const parts = claim.payment?.parts;
  if (advances.length === 0 && !claim.payment) return null;
  const when = (paidAt: string | undefined) =>
    paidAt ? tr('paymentsPaidOn', { date: formatDate(paidAt, locale) }) : tr('paymentsAwaiting');
  return (
    <section class="card payments-card" aria-labelledby="payments-title">
      <h2 id="payments-title" class="section-title">
        {tr('paymentsTitle')}
      </h2>
      <div class="table-wrap">
        <table class="steps-table is-compact">
          <caption class="visually-hidden">{tr('paymentsTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{tr('paymentsItem')}</th>
              <th scope="col" class="num">
                {tr('payoutAmount')}
              </th>
            </tr>
          </thead>
          <tbody>
            {advances.map((a) => (
              <tr key={`advance-${a.n}`} class="step" data-advance={a.n} data-paid={a.paidAt ? 'yes' : 'no'}>
                <th scope="row">
                  {tr('paymentsAdvance', { n: a.n })}
                  <span class="step-detail">
                    {tr('paymentsApprovedOn', { date: formatDate(a.approvedAt, locale) })} · {when(a.paidAt)}
                  </span>
                </th>
                <td class="num">{money(a.amount, locale)}</td>
              </tr>
            ))}
            {parts ? (
              <>
                <tr class="step" data-part="decided">
                  <th scope="row">{tr('paymentsDecided')}</th>
                  <td class="num">{money(vnd(parts.decided), locale)}</td>
                </tr>
                {parts.advanced > 0 ? (
                  <tr class="step" data-part="advanced">
                    <th scope="row">{tr('paymentsLessAdvances')}</th>
                    <td class="num">−{money(vnd(parts.advanced), locale)}</td>
                  </tr>
                ) : null}
                {parts.lateInterest > 0 ? (
                  <tr class="step" data-part="late-interest">
                    <th scope="row">
                      {tr('paymentsLateInterest')}
                      <span class="step-detail">
                        {claim.payment?.dueAt
                          ? tr('paymentsLateHint', { date: formatDate(claim.payment.dueAt, locale) })
                          : null}
                      </span>
                    </th>
                    <td class="num">+{money(vnd(parts.lateInterest), locale)}</td>
                  </tr>
                ) : null}
                <tr
                  class="step step-total"
                  data-part="transfer"
                  data-paid={claim.payment?.paidAt ? 'yes' : 'no'}
                >
                  <th scope="row">
                    {tr('paymentsTransfer')}
                    <span class="step-detail">{when(claim.payment?.paidAt)}</span>
                  </th>
                  <td class="num">{money(vnd(parts.amount), locale)}</td>
                </tr>
              </>
            ) : null}
          </tbody>
        </table>
      </div>
    </section>
  );
}
