import type { ClaimStatus } from '../../lambdas/core/claim.ts';
import type { Locale } from '../../lambdas/core/messages.ts';
import { CAUSE_TEXT, DOCUMENT_TEXT, STATUS_TEXT, t } from '../../lambdas/core/messages.ts';
import { errorCodeText } from './errors.ts';
import { formatBytes, formatDate, formatDateTime, money } from './format.ts';
import { lookup, REJECTION_TEXT, type UiKey } from './i18n.ts';
import { useLocale } from './locale.tsx';
import type { ClaimDocumentView, ClaimView } from './types.ts';

/** Colour family of a status: in progress, waiting on the customer, good news, bad news, finished. */
const TONE: Record<ClaimStatus, 'info' | 'action' | 'success' | 'danger' | 'neutral'> = {
  SUBMITTED: 'info',
  REFERRED: 'info',
  AWAITING_DOCUMENTS: 'action',
  UNDER_ASSESSMENT: 'info',
  INFO_REQUESTED: 'action',
  ASSESSED: 'info',
  PENDING_APPROVAL: 'info',
  JOINT_REVIEW: 'info',
  APPROVED: 'success',
  PARTIALLY_APPROVED: 'success',
  REJECTED: 'danger',
  PAYMENT_QUEUED: 'success',
  PAID: 'success',
  CLOSED: 'neutral',
  CLOSED_NO_RESPONSE: 'neutral',
};

export function StatusBadge({ status }: { status: ClaimStatus }) {
  const { locale } = useLocale();
  return (
    <span class={`badge badge-${TONE[status] ?? 'neutral'}`} data-status={status}>
      {t(STATUS_TEXT, status, locale)}
    </span>
  );
}

/** A document-rejection reason in words: the upload checks' own, else an API error code. */
export const rejectionText = (reason: string, locale: Locale): string =>
  reason in REJECTION_TEXT ? lookup(REJECTION_TEXT, reason, locale) : errorCodeText(reason, locale);

/** What a document is, its file, and why it was refused (if it was). */
/** `fileName` is absent where the caller's role does not open the document (a medical record: app/claim-view.ts forRoles). */
export function DocumentLines({ doc }: { doc: Omit<ClaimDocumentView, 'fileName'> & { fileName?: string } }) {
  const { locale } = useLocale();
  return (
    <>
      <p class="doc-type">{t(DOCUMENT_TEXT, doc.docType, locale)}</p>
      <p class="doc-meta">
        {doc.fileName ? `${doc.fileName} · ` : ''}
        {formatBytes(doc.size, locale)}
        {doc.verifiedAt ? ` · ${formatDateTime(doc.verifiedAt, locale)}` : ''}
      </p>
      {doc.rejectionReason ? <p class="doc-reason">{rejectionText(doc.rejectionReason, locale)}</p> : null}
    </>
  );
}

/** A claim's report as `reportRows` reads it: staff views may lack the description (app/claim-view.ts forRoles). */
type ReportClaim = Pick<ClaimView, 'submittedAt'> & {
  report: Omit<ClaimView['report'], 'description'> & { description?: string };
  withheld?: readonly string[];
};

/**
 * The loss report as a definition list, in the reader's language. The API sends the payout account
 * masked (last four digits) to everyone; finance reveals the full number through an audited route
 * (`revealedAccount` shows it in place).
 */
export function ReportList(props: { claim: ReportClaim; revealedAccount?: string; class: string }) {
  const { locale, tr } = useLocale();
  return (
    <dl class={props.class}>
      {reportRows(props.claim, locale, tr, props.revealedAccount).map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function reportRows(
  /** `withheld`: what the API left out for the caller's role (staff views, app/claim-view.ts). */
  claim: ReportClaim,
  locale: Locale,
  tr: (key: UiKey, params?: Record<string, unknown>) => string,
  revealedAccount: string | undefined,
): [string, string][] {
  const r = claim.report;
  const f = r.facts;
  const rows: [string, string][] = [
    [tr('lossOn'), formatDateTime(r.lossAt, locale)],
    [tr('address'), `${r.lossPlace.address}, ${r.lossPlace.province}`],
    [tr('cause'), t(CAUSE_TEXT, r.cause, locale)],
    [tr('description'), r.description ?? tr('withheldForRole')],
  ];
  if (f.kind === 'motor') {
    rows.push([tr('vehiclePlate'), f.vehiclePlate]);
    if (f.driverName) rows.push([tr('driverName'), f.driverName]);
    rows.push([tr('policeAttended'), f.policeAttended ? tr('yes') : tr('no')]);
    if (f.otherParty) {
      const o = f.otherParty;
      const contact = claim.withheld?.includes('other_party_contact') ? [tr('withheldForRole')] : [];
      rows.push([
        tr('otherPartyTitle'),
        [o.name, o.vehiclePlate, o.phone, o.insurer, ...contact].filter(Boolean).join(' · ') || '—',
      ]);
    }
  } else if (f.kind === 'property') {
    rows.push([tr('policeAttended'), f.policeAttended ? tr('yes') : tr('no')]);
    f.items.forEach((i, n) => {
      rows.push([
        tr('itemN', { n: n + 1 }),
        `${i.description} — ${money({ amount: i.estimatedAmount, currency: 'VND' }, locale)}`,
      ]);
    });
  } else if (f.kind === 'health' && claim.withheld?.includes('health_details')) {
    rows.push([tr('withheldHealth'), tr('withheldForRole')]);
  } else if (f.kind === 'health') {
    rows.push(
      [tr('patientName'), f.patientName],
      [tr('hospital'), f.hospital],
      [tr('diagnosis'), f.diagnosis],
    );
    if (f.admittedOn) rows.push([tr('admittedOn'), formatDate(f.admittedOn, locale)]);
    if (f.dischargedOn) rows.push([tr('dischargedOn'), formatDate(f.dischargedOn, locale)]);
  } else {
    rows.push(
      [tr('country'), f.country],
      [tr('tripStart'), formatDate(f.tripStart, locale)],
      [tr('tripEnd'), formatDate(f.tripEnd, locale)],
    );
    if (f.carrier) rows.push([tr('carrier'), f.carrier]);
  }
  const account = revealedAccount ?? r.payoutAccount.accountMask;
  rows.push(
    [tr('estimatedAmount'), money(r.estimatedAmount, locale)],
    [tr('phone'), r.contact.phone],
    [tr('email'), r.contact.email],
    [tr('stepPayout'), `${r.payoutAccount.bankName} · ${account} · ${r.payoutAccount.accountHolder}`],
    [tr('submittedOn'), formatDateTime(claim.submittedAt, locale)],
  );
  return rows;
}
