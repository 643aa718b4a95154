import { useEffect, useRef, useState } from 'preact/hooks';
import type { Locale } from '../../../../lambdas/core/messages.ts';
import { CHECK_TEXT, DOCUMENT_TEXT, eventTitle, t } from '../../../../lambdas/core/messages.ts';
import type { DocumentType } from '../../../../lambdas/core/products.ts';
import { rejectionText, ReportList, StatusBadge } from '../../../shared/claim-ui.tsx';
import { ErrorBanner, PageHeading, Spinner } from '../../../shared/components.tsx';
import { formatDateTime, formatParams, formatTime, money } from '../../../shared/format.ts';
import { ACTOR_TEXT, formatLegalReference, LINE_TEXT, lookup, NEXT_STEP_TEXT } from '../../../shared/i18n.ts';
import { useLocale } from '../../../shared/locale.tsx';
import { MessageThread } from '../../../shared/message-thread.tsx';
import { PaymentsCard } from '../../../shared/payments-card.tsx';
import { useLoad } from '../../../shared/use-load.ts';
import type { ClaimView, TimelineItem } from '../../../shared/types.ts';
import { productOf, useApp } from '../context.ts';
import { AppealCard } from './appeal-card.tsx';
import { ClaimStepper } from './claim-stepper.tsx';
import { ContactConfirmCard } from './contact-confirm.tsx';
import { PayoutAccountCard } from './payout-account-card.tsx';
import { DecisionCard } from './decision-card.tsx';
import { DocumentsList } from './documents-list.tsx';
import { RequestsPanel } from './requests-panel.tsx';
import { UploadPanel } from './upload-panel.tsx';

/** While the workflow is still working on a fresh claim, look again this often, this many times. */
const POLL_MS = 1000;
const MAX_AUTO_POLLS = 20;

export function ClaimPage({ claimId }: { claimId: string }) {
  const { api, products, submittedClaim, setSubmittedClaim } = useApp();
  const { locale, tr } = useLocale();
  const {
    data: claim,
    error,
    loading: refreshing,
    reload: load,
  } = useLoad(() => api.get<ClaimView>(`/claims/${encodeURIComponent(claimId)}`), [api, claimId]);
  const [loadedAt, setLoadedAt] = useState<Date | null>(null);
  const [uploadRequest, setUploadRequest] = useState<{ docType: DocumentType; n: number } | null>(null);
  const polls = useRef(0);
  useEffect(() => {
    if (claim) setLoadedAt(new Date());
  }, [claim]);

  // The lifecycle workflow checks, classifies and acknowledges a new claim within moments: keep
  // looking until it has, so the person sees the outcome without pressing refresh.
  useEffect(() => {
    if (!claim) return;
    const settled =
      claim.status !== 'SUBMITTED' && claim.timeline.some((e) => e.type === 'AcknowledgementSent');
    if (settled || polls.current >= MAX_AUTO_POLLS) return;
    const timer = setTimeout(() => {
      polls.current++;
      void load();
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [claim, load]);

  // The "we received it" notice belongs to this visit only.
  useEffect(() => () => setSubmittedClaim(null), [setSubmittedClaim]);

  if (!claim) {
    return error ? (
      <ErrorBanner error={error} onRetry={() => void load()} />
    ) : (
      <Spinner label={tr('loading')} />
    );
  }

  const product = productOf(products, claim.productCode);
  const { nextStep } = claim;
  const checked = claim.timeline.some((e) => e.type === 'ClaimChecked');

  return (
    <section class="claim-page">
      <p class="crumb">
        <a href="#/claims">← {tr('backToClaims')}</a>
      </p>
      <div class="claim-head">
        <div>
          <PageHeading focusKey={claim.claimId}>
            {tr('claimTitle', { number: claim.claimNumber })}
          </PageHeading>
          <p class="claim-sub">
            {product ? product.name[locale] : claim.productCode} · {tr('policy')}{' '}
            <span class="nowrap">{claim.policyNumber}</span>
          </p>
        </div>
        <StatusBadge status={claim.status} />
      </div>
      <ClaimStepper claim={claim} />

      {submittedClaim === claim.claimNumber ? (
        <div class="banner banner-success" role="status">
          <p>{tr('submittedNotice', { number: claim.claimNumber })}</p>
        </div>
      ) : null}

      <div class="refresh-row">
        <button
          type="button"
          class="btn btn-secondary btn-small"
          onClick={() => void load()}
          disabled={refreshing}
        >
          <span aria-hidden="true">↻ </span>
          {refreshing ? tr('refreshing') : tr('refresh')}
        </button>
        <span class="hint" aria-live="polite">
          {loadedAt ? tr('updatedAt', { time: formatTime(loadedAt, locale) }) : ''}
        </span>
      </div>
      <ErrorBanner error={error} />

      <div class="claim-grid">
        <div class="claim-col">
          <section class="card next-step" aria-labelledby="next-step-title">
            <h2 id="next-step-title" class="section-title">
              {tr('nextStepTitle')}
            </h2>
            <p class="next-step-text">{lookup(NEXT_STEP_TEXT, nextStep.code, locale)}</p>
            {nextStep.dueAt ? (
              <p class="next-step-due">
                <strong>{tr('dueBy', { date: formatDateTime(nextStep.dueAt, locale) })}</strong>
              </p>
            ) : null}
            {nextStep.basis ? (
              <p class="hint">{tr('basis', { basis: formatLegalReference(nextStep.basis, locale) })}</p>
            ) : null}
          </section>

          <DecisionCard claim={claim} />
          <PaymentsCard claim={claim} />
          <AppealCard api={api} claim={claim} reload={load} />
          <ContactConfirmCard api={api} claim={claim} reload={load} />
          <RequestsPanel api={api} claim={claim} reload={load} />
          <MessageThread api={api} claimId={claim.claimId} canPost audience="customer" />

          <section class="card" aria-labelledby="missing-title">
            <h2 id="missing-title" class="section-title">
              {claim.missingDocuments.length > 0 ? tr('missingTitle') : tr('uploadTitle')}
            </h2>
            {claim.missingDocuments.length > 0 ? (
              <ul class="missing-list">
                {claim.missingDocuments.map((d) => (
                  <li key={d}>
                    <span>{t(DOCUMENT_TEXT, d, locale)}</span>
                    <button
                      type="button"
                      class="btn btn-ghost btn-small"
                      onClick={() => setUploadRequest((r) => ({ docType: d, n: (r?.n ?? 0) + 1 }))}
                    >
                      {tr('uploadThis')}
                      <span class="visually-hidden">: {t(DOCUMENT_TEXT, d, locale)}</span>
                    </button>
                  </li>
                ))}
              </ul>
            ) : (
              <p class="ok-line">{tr('nothingMissing')}</p>
            )}
            <UploadPanel api={api} claim={claim} product={product} reload={load} request={uploadRequest} />
          </section>

          <DocumentsList api={api} claim={claim} reload={load} />
        </div>

        <div class="claim-col">
          <section class="card" aria-labelledby="checks-title">
            <h2 id="checks-title" class="section-title">
              {tr('checksTitle')}
            </h2>
            {claim.checks.length === 0 ? (
              <p class={checked ? 'ok-line' : 'hint'}>{checked ? tr('checksPassed') : tr('checksPending')}</p>
            ) : (
              <ul class="check-list">
                {claim.checks.map((c) => (
                  <li key={c.code} class={`check check-${c.severity}`} data-check={c.code}>
                    <span class="check-severity">{tr(`severity_${c.severity}`)}</span>
                    <span>{t(CHECK_TEXT, c.code, locale, formatParams(c.params, locale))}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section class="card" aria-labelledby="timeline-title">
            <h2 id="timeline-title" class="section-title">
              {tr('timelineTitle')}
            </h2>
            <ol class="timeline">
              {[...claim.timeline].reverse().map((e) => (
                <li key={e.seq} class="timeline-item" data-event={e.type}>
                  <p class="timeline-title">{eventTitle(e, locale)}</p>
                  <TimelineDetail entry={e} locale={locale} />
                  <p class="timeline-meta">
                    <time dateTime={e.at}>{formatDateTime(e.at, locale)}</time> ·{' '}
                    {tr('by', { who: lookup(ACTOR_TEXT, e.by, locale) })}
                  </p>
                </li>
              ))}
            </ol>
          </section>

          <PayoutAccountCard api={api} claim={claim} reload={load} />
          <ReportSummary claim={claim} />
        </div>
      </div>
    </section>
  );
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function TimelineDetail({ entry, locale }: { entry: TimelineItem; locale: Locale }) {
  const { tr } = useLocale();
  const d = entry.data as Record<string, unknown>;
  let text: string | undefined;
  switch (entry.type) {
    case 'DocumentVerified':
    case 'DocumentQuarantined':
    case 'DocumentWithdrawn': {
      const type = str(d.docType);
      const reason = str(d.reason);
      text = [type ? t(DOCUMENT_TEXT, type as DocumentType, locale) : undefined, str(d.fileName)]
        .filter(Boolean)
        .join(' — ');
      if (reason) text += ` (${rejectionText(reason, locale)})`;
      break;
    }
    case 'ClaimChecked': {
      const checks = Array.isArray(d.checks) ? d.checks : [];
      text =
        checks.length === 0 ? tr('checksSummaryNone') : tr('checksSummarySome', { count: checks.length });
      break;
    }
    case 'ClaimClassified':
      text = str(d.line) ? lookup(LINE_TEXT, str(d.line) ?? '', locale) : undefined;
      break;
    case 'ClaimApproved':
    case 'ClaimPartiallyApproved':
    case 'PaymentQueued':
    case 'AdvancePaymentApproved':
    case 'ClaimPaid': {
      const a = d.amount;
      if (typeof a === 'number') text = money({ amount: a, currency: 'VND' }, locale);
      else if (a && typeof a === 'object' && typeof (a as { amount?: unknown }).amount === 'number')
        text = money({ amount: (a as { amount: number }).amount, currency: 'VND' }, locale);
      break;
    }
    case 'InfoRequested':
      text = str(d.message);
      break;
    case 'InspectionScheduled':
      text = [str(d.at) ? formatDateTime(str(d.at) ?? '', locale) : undefined, str(d.place)]
        .filter(Boolean)
        .join(' — ');
      break;
    case 'ClaimClosed':
      text = str(d.reason);
      break;
    default:
      text = undefined;
  }
  return text ? <p class="timeline-detail">{text}</p> : null;
}

function ReportSummary({ claim }: { claim: ClaimView }) {
  const { tr } = useLocale();
  return (
    <section class="card">
      <details class="report">
        <summary class="section-title">{tr('reportTitle')}</summary>
        <ReportList claim={claim} class="report-list" />
      </details>
    </section>
  );
}
