import { formatDate, money } from '../../../../shared/format.ts';
import { useLocale } from '../../../../shared/locale.tsx';
import { stpText } from '../../post-audit-text.ts';
import type { StaffClaim } from '../../types.ts';

const vnd = (amount: number) => ({ amount, currency: 'VND' as const });

/**
 * What straight-through processing would pay on (or paid on): the evidenced amount and its basis,
 * each e-invoice read from XML (seller, template/series/number, date, lines, total), amounts the
 * customer declared with invoices, invoices also filed on another claim, and the post-audit state.
 */
export function EvidencePanel({ claim }: { claim: StaffClaim }) {
  const { locale } = useLocale();
  const s = stpText(locale);
  const evidence = claim.straightThrough?.evidence;
  const invoices = claim.documents.filter((d) => d.einvoice);
  const declared = claim.documents.filter((d) => d.declaredAmount !== undefined && d.status === 'VERIFIED');
  const flags = claim.invoiceFlags ?? [];
  const audit = claim.postAudit;
  if (!evidence && invoices.length === 0 && declared.length === 0 && flags.length === 0 && !audit)
    return null;
  return (
    <section class="card evidence-panel" aria-labelledby="evidence-title">
      <h2 id="evidence-title" class="section-title">
        {s('evidenceTitle')}
      </h2>
      <dl class="facts">
        <div>
          <dt>{s('evidenceAmount')}</dt>
          <dd class="evidence-amount" data-basis={evidence?.basis ?? 'none'}>
            {evidence?.amount !== undefined
              ? `${money(vnd(evidence.amount), locale)} · ${s(evidence.basis === 'einvoice' ? 'basis_einvoice' : 'basis_declared')}`
              : s('evidenceNone')}
          </dd>
        </div>
        {audit ? (
          <div>
            <dt>{s('postAuditStatus')}</dt>
            <dd class="post-audit-status" data-status={audit.status}>
              {s(audit.status === 'pending' ? 'pending' : 'reviewed')}
              {audit.outcome
                ? ` · ${s(audit.outcome === 'confirmed' ? 'outcome_confirmed' : 'outcome_irregular')}`
                : ''}
              {audit.note ? <p class="hint">{audit.note}</p> : null}
            </dd>
          </div>
        ) : null}
      </dl>
      {flags.length > 0 ? (
        <ul class="check-list">
          {flags.map((f) => (
            <li key={`${f.otherClaimId}-${f.number}`} class="check check-block" data-flag={f.code}>
              <a href={`#/claims/${f.otherClaimId}`}>
                {s('flagDuplicate', { series: f.series, number: f.number, mst: f.sellerTaxCode })}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      {invoices.map((d) => {
        const inv = d.einvoice!;
        return (
          <div key={d.documentId} class="einvoice" data-document={d.documentId}>
            <h3 class="subsection-title">{s('invoice', { series: inv.series, number: inv.number })}</h3>
            <p class="hint">
              {s('seller')}: {inv.seller.name} ({inv.seller.taxCode}) · {s('issuedOn')}:{' '}
              {formatDate(inv.issuedOn, locale)}
            </p>
            <ul class="einvoice-lines">
              {inv.lines.map((l, i) => (
                <li key={`${d.documentId}-${i}`}>
                  {l.name}: {money(vnd(l.amount), locale)}
                </li>
              ))}
            </ul>
            <p class="einvoice-total">
              {s('total')}: <strong>{money(vnd(inv.totals.total), locale)}</strong>
            </p>
          </div>
        );
      })}
      {declared.map((d) => (
        <p key={d.documentId} class="hint declared-amount">
          {d.fileName}: {s('declared', { amount: money(vnd(d.declaredAmount!), locale) })}
        </p>
      ))}
    </section>
  );
}
