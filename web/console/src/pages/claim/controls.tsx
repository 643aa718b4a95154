import type { ComponentChildren } from 'preact';
import { DOCUMENT_TEXT, t } from '../../../../../lambdas/core/messages.ts';
import type { DocumentType } from '../../../../../lambdas/core/products.ts';
import { formatDateTime, money } from '../../../../shared/format.ts';
import { useText } from '../../i18n.ts';
import type { StaffClaim } from '../../types.ts';

/**
 * What an approver must see before money moves (issue 7): required documents neither received nor
 * waived, every waiver with its reason and who gave it, and the segregation-of-duties facts.
 */
export function ControlsSummary({ claim, names }: { claim: StaffClaim; names: Record<string, string> }) {
  const { locale, c } = useText();
  const k = claim.controls;
  if (!k) return null;
  const doc = (d: string) => t(DOCUMENT_TEXT, d as DocumentType, locale);
  const who = (id: string | undefined) => (id ? (k.names[id] ?? names[id] ?? id) : '');
  const { sod } = k;
  return (
    <section
      class="controls-summary"
      aria-label={c('controlsTitle')}
      data-outstanding={k.outstandingDocuments.length}
    >
      <h3 class="subsection-title">{c('controlsTitle')}</h3>
      {k.outstandingDocuments.length > 0 ? (
        <p class="banner banner-warning controls-missing">
          {c('outstandingDocs', { docs: k.outstandingDocuments.map(doc).join(', ') })}
        </p>
      ) : (
        <p class="hint controls-complete">{c('noOutstandingDocs')}</p>
      )}
      {k.waivers.length > 0 ? (
        <div class="controls-waivers">
          <p class="field-label">{c('waiversTitle')}</p>
          <ul>
            {k.waivers.map((w) => (
              <li key={w.docType} class="waiver" data-doc-type={w.docType}>
                {c('waiverLine', {
                  doc: doc(w.docType),
                  by: who(w.waivedBy.id),
                  at: formatDateTime(w.waivedAt, locale),
                  reason: w.reason,
                })}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {sod.filedBy ? <p class="hint sod-filed-by">{c('sodFiledBy', { name: who(sod.filedBy) })}</p> : null}
      {sod.assessedBy ? (
        <p class="hint sod-assessed-by">
          {c('sodAssessedBy', {
            name: who(sod.assessedBy),
            limit: money({ amount: sod.singleAssessorMax, currency: 'VND' }, locale),
          })}
        </p>
      ) : null}
      {sod.payoutAccountOfStaff.length > 0 ? (
        <p class="banner banner-error sod-account">
          {c('sodPayoutAccount', { names: sod.payoutAccountOfStaff.map(who).join(', ') })}
        </p>
      ) : null}
      {sod.siuReviewers.length > 0 ? (
        <p class="hint sod-siu-reviewers">
          {c('sodSiuReviewers', { names: sod.siuReviewers.map(who).join(', ') })}
        </p>
      ) : null}
      {sod.contactOfStaff.length > 0 ? (
        <p class="banner banner-error sod-contact">
          {c('sodContact', { names: sod.contactOfStaff.map(who).join(', ') })}
        </p>
      ) : null}
      {k.contactCheck?.status === 'unconfirmed' ? (
        <p class="hint contact-unconfirmed">
          {c('contactUnconfirmed', { email: k.contactCheck.registered.email })}
        </p>
      ) : null}
    </section>
  );
}

/** The last step before a decision takes effect: what happens and how much, said in words. */
export function ConfirmBox(props: {
  text: ComponentChildren;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { c } = useText();
  return (
    <div
      class="confirm-box"
      role="alertdialog"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-text"
    >
      <p id="confirm-title" class="field-label">
        {c('confirmTitle')}
      </p>
      <p id="confirm-text" class="confirm-text">
        {props.text}
      </p>
      <div class="form-actions">
        <button type="button" class="btn btn-primary" disabled={props.busy} onClick={props.onConfirm}>
          {c('confirmYes')}
        </button>
        <button type="button" class="btn btn-secondary" disabled={props.busy} onClick={props.onCancel}>
          {c('confirmNo')}
        </button>
      </div>
    </div>
  );
}
