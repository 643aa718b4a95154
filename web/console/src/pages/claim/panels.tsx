import { siuText } from '../../siu-text.ts';
import { useState } from 'preact/hooks';
import type { Locale } from '../../../../../lambdas/core/messages.ts';
import {
  CAUSE_TEXT,
  ADD_ON_TEXT,
  CHECK_SHORT_TEXT,
  CHECK_TEXT,
  FRAUD_FEATURE_TEXT,
  INDICATOR_TEXT,
  DOCUMENT_TEXT,
  SIU_REASON_TEXT,
  EVENT_TEXT,
  eventTitle,
  STATUS_TEXT,
  t,
} from '../../../../../lambdas/core/messages.ts';
import { controlReferrals, fraudStanding, scoreFactors } from '../../../../../lambdas/core/fraud/explain.ts';
import type { DocumentType } from '../../../../../lambdas/core/products.ts';
import { DocumentLines, rejectionText, ReportList, StatusBadge } from '../../../../shared/claim-ui.tsx';
import { ErrorBanner } from '../../../../shared/components.tsx';
import { PayoutSteps } from '../../../../shared/payout-steps.tsx';
import { formatDate, formatDateTime, formatParams, money } from '../../../../shared/format.ts';
import { formatLegalReference, LINE_TEXT, lookup, SEVERITY_BAND_TEXT } from '../../../../shared/i18n.ts';
import { productOf, useConsole } from '../../context.ts';
import {
  type ConsoleKey,
  cui,
  DEADLINE_KIND_TEXT,
  DEPARTMENT_TEXT,
  ROLE_TEXT,
  STP_REASON_TEXT,
  useText,
} from '../../i18n.ts';
import { countdown } from '../../time.ts';
import type { PolicyHistoryPage, StaffClaim, StepView } from '../../types.ts';

/** Read-only panels of the claim page. Each takes the claim as the API returned it. */

type Names = Record<string, string>;
type TimelineEntry = StaffClaim['timeline'][number];

const vndOf = (v: unknown): number | undefined => {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && typeof (v as { amount?: unknown }).amount === 'number')
    return (v as { amount: number }).amount;
  return undefined;
};
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const vnd = (v: unknown, locale: Locale) => {
  const n = vndOf(v);
  return n === undefined ? undefined : money({ amount: n, currency: 'VND' }, locale);
};

export function who(by: string, actorId: string | undefined, names: Names, locale: Locale): string {
  const role = lookup(ROLE_TEXT, by, locale);
  const name = actorId ? names[actorId] : undefined;
  return name ? `${name} (${role})` : role;
}

/** The part of an event worth reading in the timeline, in the reader's language. */
export function eventDetail(e: TimelineEntry, names: Names, locale: Locale): string | undefined {
  const d = e.data as Record<string, unknown>;
  const join = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(' · ') || undefined;
  const reasons = (v: unknown) =>
    Array.isArray(v)
      ? v
          .map((r) =>
            r && typeof r === 'object'
              ? `${str((r as { clause?: unknown }).clause) ?? ''}: ${str((r as { text?: unknown }).text) ?? ''}`
              : String(r),
          )
          .join('; ')
      : undefined;
  /** A code from the event data in words, e.g. `channel_phone` → "Điện thoại". */
  const coded = (prefix: string, v: unknown) =>
    str(v) ? cui(`${prefix}${str(v)}` as ConsoleKey, locale) : undefined;
  switch (e.type) {
    case 'ClaimSubmitted':
      return coded('channel_', d.channel);
    case 'ClaimChecked':
      return Array.isArray(d.checks)
        ? d.checks
            .map((c) => lookup(CHECK_SHORT_TEXT, (c as { code?: string }).code ?? '', locale))
            .join(', ') || undefined
        : undefined;
    case 'ClaimReferred':
      return Array.isArray(d.reasons)
        ? d.reasons.map((r) => lookup(CHECK_SHORT_TEXT, String(r), locale)).join(', ')
        : undefined;
    case 'ClaimClassified':
      return join(
        str(d.line) ? lookup(LINE_TEXT, str(d.line) ?? '', locale) : undefined,
        str(d.severityBand) ? lookup(SEVERITY_BAND_TEXT, str(d.severityBand) ?? '', locale) : undefined,
        vnd(d.reserve, locale),
      );
    case 'ClaimAssigned': {
      const text = d.reasonText as { vi?: string; en?: string } | undefined;
      const to = d.to as { staffId?: string; queue?: string } | undefined;
      return join(to?.staffId ? names[to.staffId] : to?.queue, text?.[locale]);
    }
    case 'ClaimReassigned': {
      const to = d.to as { staffId?: string } | undefined;
      return join(to?.staffId ? (names[to.staffId] ?? to.staffId) : undefined, str(d.reason));
    }
    case 'DocumentVerified':
    case 'DocumentQuarantined': {
      const reason = str(d.reason);
      return join(
        str(d.docType) ? t(DOCUMENT_TEXT, d.docType as DocumentType, locale) : undefined,
        str(d.fileName),
        reason ? rejectionText(reason, locale) : undefined,
      );
    }
    case 'InfoRequested':
    case 'InfoProvided':
      return str(d.message);
    case 'InspectionScheduled':
      return join(str(d.at) ? formatDateTime(str(d.at) ?? '', locale) : undefined, str(d.place), str(d.note));
    case 'InspectionConfirmed':
      return str(d.at) ? formatDateTime(str(d.at) ?? '', locale) : undefined;
    case 'InspectionRescheduleRequested':
      return join(
        str(d.proposedAt) ? formatDateTime(str(d.proposedAt) ?? '', locale) : undefined,
        str(d.comment),
      );
    case 'AssessmentRecorded':
      return join(coded('method_', d.method), str(d.note));
    case 'PayoutCalculated':
      return vnd(d.payable, locale);
    case 'ApprovalRequested':
      return join(
        coded('route_', d.route),
        vnd(d.amount, locale),
        Array.isArray(d.departments) && d.departments.length > 0
          ? d.departments.map((x) => lookup(DEPARTMENT_TEXT, String(x), locale)).join(', ')
          : undefined,
      );
    case 'DepartmentVoted':
      return join(
        lookup(DEPARTMENT_TEXT, str(d.department) ?? '', locale),
        coded('vote_', d.vote),
        str(d.comment),
      );
    case 'ClaimApproved':
    case 'ClaimPartiallyApproved':
      return join(vnd(d.amount, locale), str(d.comment), reasons(d.reasons) || undefined);
    case 'ClaimRejected':
      return join(reasons(d.reasons), str(d.note));
    case 'ApprovalSentBack':
      return str(d.comment);
    case 'ClaimSentBack':
      return join(lookup(DEPARTMENT_TEXT, str(d.department) ?? '', locale), str(d.comment));
    case 'PaymentQueued':
      return vnd(d.amount, locale);
    case 'PayoutAccountRevealed':
      return join(str(d.bankName), str(d.accountMask));
    case 'PayoutAccountConfirmed':
      return join(str(d.bankName), str(d.accountMask), str(d.note));
    case 'DocumentOpened':
      return str(d.docType) ? t(DOCUMENT_TEXT, d.docType as DocumentType, locale) : undefined;
    case 'DeadlineScheduled':
    case 'DeadlineAtRisk':
    case 'DeadlineBreached':
    case 'DeadlineMet':
    case 'DeadlineCancelled':
      return join(
        str(d.kind) ? lookup(DEADLINE_KIND_TEXT, str(d.kind) ?? '', locale) : undefined,
        str(d.dueAt) ? formatDateTime(str(d.dueAt) ?? '', locale) : undefined,
        // Say it when a deadline was met late, or ran out with the claim closed for it.
        e.type === 'DeadlineMet' && d.late === true ? cui('deadlineMetLate', locale) : undefined,
        e.type === 'DeadlineCancelled' && d.reason === 'closed_no_response'
          ? cui('deadlineStatus_closed', locale)
          : undefined,
      );
    case 'ReminderSent':
      return str(d.kind) ? lookup(DEADLINE_KIND_TEXT, str(d.kind) ?? '', locale) : undefined;
    case 'NoteAdded':
      return str(d.text);
    case 'ClaimClosed':
      return str(d.reason);
    default:
      return undefined;
  }
}

export function TimelinePanel({ claim, names }: { claim: StaffClaim; names: Names }) {
  const { locale, c } = useText();
  return (
    <section class="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title" class="section-title">
        {c('timelineTitle')}
      </h2>
      <ol class="timeline">
        {[...claim.timeline].reverse().map((e) => {
          const detail = eventDetail(e, names, locale);
          return (
            <li key={e.seq} class={`timeline-item by-${e.by}`} data-event={e.type} data-by={e.by}>
              <p class="timeline-title">
                <span class="timeline-seq">#{e.seq}</span> {eventTitle(e, locale)}
              </p>
              {detail ? <p class="timeline-detail">{detail}</p> : null}
              <p class="timeline-meta">
                <time dateTime={e.at}>{formatDateTime(e.at, locale)}</time> ·{' '}
                {who(e.by, e.actorId, names, locale)}
              </p>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

export function DeadlinesPanel({ claim, now }: { claim: StaffClaim; now: number }) {
  const { locale, c } = useText();
  const deadlines = [...(claim.deadlines ?? [])].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return (
    <section class="card" aria-labelledby="deadlines-title">
      <h2 id="deadlines-title" class="section-title">
        {c('deadlinesTitle')}
      </h2>
      {deadlines.length === 0 ? <p class="hint">{c('noDeadlines')}</p> : null}
      <ul class="deadline-list">
        {deadlines.map((d) => {
          const running = d.status === 'open' || d.status === 'at_risk';
          const late = d.status === 'breached' || (running && Date.parse(d.dueAt) < now);
          const cd = countdown(d.dueAt, now);
          return (
            <li
              key={d.id ?? `${d.kind}-${d.dueAt}`}
              class={`deadline deadline-${late ? 'breached' : d.status}`}
              data-kind={d.kind}
              data-status={d.status}
            >
              <div class="deadline-head">
                <span class="deadline-name">{lookup(DEADLINE_KIND_TEXT, d.kind, locale)}</span>
                <span
                  class={`badge ${late ? 'badge-danger' : d.status === 'at_risk' ? 'badge-action' : d.status === 'met' ? 'badge-success' : 'badge-neutral'}`}
                >
                  {c(`deadlineStatus_${d.status}`)}
                </span>
              </div>
              <p class="deadline-due">
                {c('dueAt', { date: formatDateTime(d.dueAt, locale) })}
                {running ? (
                  <>
                    {' · '}
                    <time
                      class={`countdown${cd.key.startsWith('over') ? ' is-over' : ''}`}
                      dateTime={d.dueAt}
                    >
                      {c(cd.key, cd.params)}
                    </time>
                  </>
                ) : null}
              </p>
              <p class="hint">{formatLegalReference(d.basis, locale)}</p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function FraudPanel({ claim }: { claim: StaffClaim }) {
  const { c, locale } = useText();
  const indicators = claim.fraudIndicators ?? [];
  if (indicators.length === 0 && !claim.fraud) return null;
  const s = siuText(locale);
  const standing = fraudStanding(claim);
  const factors = claim.fraud ? scoreFactors(claim.fraud) : [];
  const controls = controlReferrals(claim.siu?.reasons);
  return (
    <section
      class={`card fraud-panel fraud-${standing}`}
      data-standing={standing}
      aria-labelledby="fraud-title"
    >
      <h2 id="fraud-title" class="section-title">
        {standing === 'clear' ? c('fraudClearTitle') : `⚠ ${c('fraudTitle')}`}
      </h2>
      {standing === 'clear' ? <p class="ok-line">{c('fraudClearLine')}</p> : null}
      {indicators.length > 0 || controls.length > 0 ? (
        <ul>
          {controls.map((r) => (
            <li key={r} data-control={r}>
              <strong>{lookup(SIU_REASON_TEXT, r, locale)}</strong>
            </li>
          ))}
          {indicators.map((f) => (
            <li key={f.code}>
              <strong>{lookup(INDICATOR_TEXT, f.code, locale)}</strong> ·{' '}
              {c('fraudWeight', { weight: f.weight })}
              {f.detail ? (
                <p class="hint">{typeof f.detail === 'string' ? f.detail : f.detail[locale]}</p>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {claim.fraud ? (
        <p class="hint">
          {s('scoreLine', {
            score: claim.fraud.score.toFixed(3),
            threshold: claim.fraud.threshold.toFixed(3),
          })}
          {claim.siu ? ` · SIU: ${s(claim.siu.status)}` : ''}
        </p>
      ) : null}
      {factors.length > 0 ? (
        <details class="fraud-factors" open={standing !== 'clear'}>
          <summary>{c('fraudWhy')}</summary>
          <p class="hint">{c('fraudWhyHint')}</p>
          <ol>
            {factors.map((f) => (
              <li key={f.feature} data-feature={f.feature} data-direction={f.direction}>
                <span class="fraud-factor-name">
                  <FeatureName feature={f.feature} />
                  {': '}
                  <FeatureValue feature={f.feature} value={f.value} />
                  {f.declared !== undefined ? (
                    <span class="hint" data-declared>
                      {' · '}
                      {c('fraudSelfDeclared')} <FeatureValue feature={f.feature} value={f.declared} />
                    </span>
                  ) : null}
                </span>
                <span class={`fraud-factor-pull pull-${f.direction}`}>
                  {f.direction === 'raises' ? '▲ ' : '▼ '}
                  {c(f.direction === 'raises' ? 'fraudRaises' : 'fraudLowers')} ·{' '}
                  {c('fraudShare', { share: f.share })}
                </span>
                <span class="fraud-factor-bar" aria-hidden="true">
                  <span style={{ width: `${Math.max(2, Math.round(f.share * 100))}%` }} />
                </span>
              </li>
            ))}
          </ol>
        </details>
      ) : null}
      {claim.fraud && claim.fraud.links.length > 0 ? (
        <div class="fraud-network">
          <h3>{s('networkTitle')}</h3>
          <ul>
            {claim.fraud.links.map((l) => (
              <li key={l.kind} data-link={l.kind}>
                <strong>{claim.claimNumber}</strong> ↔ <span class="badge">{s(l.kind)}</span> ↔{' '}
                {l.claims.map((o) => (
                  <a key={o.claimId} href={`#/claims/${o.claimId}`}>
                    {o.claimNumber}{' '}
                  </a>
                ))}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

/** A model column in words; a column the catalogue does not know (an insurer's own) shows as its name. */
function FeatureName({ feature }: { feature: string }) {
  const { locale } = useText();
  const label = lookup(FRAUD_FEATURE_TEXT, feature, locale);
  return label === feature ? <code>{feature}</code> : label;
}

/** Words for the categorical values the live feature row holds (core/fraud/features.ts). */
const VALUE_KEYS: Readonly<Record<string, ConsoleKey>> = {
  Yes: 'fraudYes',
  No: 'fraudNo',
  Customer: 'fraudAgentCustomer',
  Internal: 'fraudAgentStaff',
  'Policy Holder': 'fraudFaultHolder',
  'Third Party': 'fraudFaultThirdParty',
};

/** The claim's value of a factor in words; a missing value is "not known". */
function FeatureValue({ feature, value }: { feature: string; value: string | number | null }) {
  const { c, locale } = useText();
  const { products } = useConsole();
  if (value === null) return <em>{c('fraudUnknown')}</em>;
  if (typeof value === 'number') {
    if (feature === 'ClaimAmount') return <>{money({ amount: value, currency: 'VND' }, locale)}</>;
    const digits = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 4 });
    return <>{digits.format(value)}</>;
  }
  const key = VALUE_KEYS[value];
  if (key) return <>{c(key)}</>;
  if (feature === 'Cause') return <>{t(CAUSE_TEXT, value, locale)}</>;
  if (feature === 'Channel' && (value === 'web' || value === 'phone' || value === 'email'))
    return <>{c(`channel_${value}`)}</>;
  if (feature === 'ProductCode') return <>{productOf(products, value)?.name[locale] ?? value}</>;
  // Text the policy system or the training file gave: a vehicle make, a band such as "more than 30".
  return <bdi>{value}</bdi>;
}

export function ChecksPanel({ claim }: { claim: StaffClaim }) {
  const { locale, tr, c } = useText();
  const stp = claim.straightThrough;
  const cl = claim.classification;
  return (
    <section class="card" aria-labelledby="checks-title">
      <h2 id="checks-title" class="section-title">
        {c('checksTitle')}
      </h2>
      {claim.checks.length === 0 ? (
        <p class="ok-line">{c('checksNone')}</p>
      ) : (
        <ul class="check-list">
          {claim.checks.map((ch) => (
            <li key={ch.code} class={`check check-${ch.severity}`} data-check={ch.code}>
              <span class="check-severity">{tr(`severity_${ch.severity}`)}</span>
              <span>{t(CHECK_TEXT, ch.code, locale, formatParams(ch.params, locale))}</span>
            </li>
          ))}
        </ul>
      )}
      <dl class="facts">
        {cl ? (
          <>
            <div>
              <dt>{c('classificationTitle')}</dt>
              <dd>
                {lookup(LINE_TEXT, cl.line, locale)} · {t(CAUSE_TEXT, cl.cause, locale)}
              </dd>
            </div>
            <div>
              <dt>{c('severity')}</dt>
              <dd>{lookup(SEVERITY_BAND_TEXT, cl.severityBand, locale)}</dd>
            </div>
            <div>
              <dt>{c('reserve')}</dt>
              <dd>{money(cl.reserve, locale)}</dd>
            </div>
          </>
        ) : null}
        {stp ? (
          <div>
            <dt>{c('straightThrough')}</dt>
            <dd>
              {stp.eligible
                ? c('stpEligible')
                : c('stpNotEligible', {
                    reasons: stp.reasons
                      .map((r) =>
                        r.startsWith('CHECK_')
                          ? lookup(CHECK_SHORT_TEXT, r.slice(6), locale)
                          : lookup(STP_REASON_TEXT, r, locale),
                      )
                      .join(', '),
                  })}
            </dd>
          </div>
        ) : null}
      </dl>
    </section>
  );
}

/**
 * A payout account staff typed in (core/payout-account-check.ts): while unconfirmed its payment is
 * held, and the line says who typed it and how it may be confirmed; once confirmed, how and by whom.
 */
function PayoutAccountCheckLine({ claim, names }: { claim: StaffClaim; names: Names }) {
  const { locale, c } = useText();
  const k = claim.payoutAccountCheck;
  if (!k) return null;
  const name = (id?: string) => (id ? (claim.controls?.names[id] ?? names[id] ?? id) : '');
  if (k.status === 'unconfirmed')
    return (
      <p class="banner banner-warning payout-check" data-payout-check="unconfirmed">
        {c('payoutCheckUnconfirmed', { name: name(k.enteredBy.id), phone: k.registered?.phone ?? '—' })}
      </p>
    );
  return (
    <p class="hint payout-check" data-payout-check={k.confirmedBy}>
      {c(`payoutCheck_${k.confirmedBy ?? 'customer'}` as const, {
        at: k.confirmedAt ? formatDateTime(k.confirmedAt, locale) : '',
        name: name(k.verifiedBy?.id),
        note: k.note ?? '',
      })}
    </p>
  );
}

/**
 * The report as the customer gave it, the payout account masked. Finance (who pays it) may reveal
 * the full number; the API records every reveal on the claim's audit trail.
 */
export function ReportPanel({ claim, names }: { claim: StaffClaim; names: Names }) {
  const { c } = useText();
  const { api, me } = useConsole();
  const [revealed, setRevealed] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const reveal = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<{ accountNumber: string }>(
        `/claims/${encodeURIComponent(claim.claimId)}/payout-account/reveal`,
        {},
      );
      setRevealed(r.accountNumber);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="report-title">
      <h2 id="report-title" class="section-title">
        {c('reportTitle')}
      </h2>
      <ReportList claim={claim} revealedAccount={revealed} class="facts" />
      <PayoutAccountCheckLine claim={claim} names={names} />
      {me.roles.includes('finance') && !revealed ? (
        <p class="hint">
          <button
            type="button"
            class="btn btn-secondary"
            data-testid="reveal-account"
            disabled={busy}
            onClick={reveal}
          >
            {c('revealAccount')}
          </button>{' '}
          {c('revealAccountHint')}
        </p>
      ) : null}
      {error ? <ErrorBanner error={error} /> : null}
    </section>
  );
}

export function PolicyPanel({ claim }: { claim: StaffClaim }) {
  const { locale, c, tr } = useText();
  const p = claim.policy;
  if (!p) return null;
  const io = p.insuredObject ?? {};
  const object = [
    io.vehiclePlate,
    io.vehicleMakeModel,
    io.address,
    io.destination,
    io.insuredPersons?.join(', '),
  ]
    .filter(Boolean)
    .join(' · ');
  const pct = (bps: number) =>
    `${new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 2 }).format(bps / 100)}%`;
  return (
    <section class="card" aria-labelledby="policy-title">
      <h2 id="policy-title" class="section-title">
        {c('policyTitle')} {p.policyNumber}
      </h2>
      <dl class="facts">
        <div>
          <dt>{c('holder')}</dt>
          <dd>{p.holderName}</dd>
        </div>
        <div>
          <dt>{c('period')}</dt>
          <dd>
            {formatDate(p.effectiveFrom, locale)} – {formatDate(p.effectiveTo, locale)} (
            {tr(`policyStatus_${p.status}`)})
          </dd>
        </div>
        {object ? (
          <div>
            <dt>{c('insuredObject')}</dt>
            <dd>{object}</dd>
          </div>
        ) : null}
        {p.insuredValue !== undefined ? (
          <div>
            <dt>{c('insuredValue')}</dt>
            <dd>{money({ amount: p.insuredValue, currency: 'VND' }, locale)}</dd>
          </div>
        ) : null}
        {p.addOns.length > 0 ? (
          <div>
            <dt>{c('addOns')}</dt>
            <dd>{p.addOns.map((a) => lookup(ADD_ON_TEXT, a, locale)).join(', ')}</dd>
          </div>
        ) : null}
      </dl>
      <h3 class="subsection-title">{c('coversTitle')}</h3>
      <ul class="cover-list">
        {p.covers.map((cv) => {
          const d = cv.deductible;
          const parts = d
            ? [
                d.fixed !== undefined
                  ? c('deductibleFixed', { amount: money({ amount: d.fixed, currency: 'VND' }, locale) })
                  : '',
                d.percentBps !== undefined ? c('deductiblePercent', { pct: pct(d.percentBps) }) : '',
                d.minimum !== undefined
                  ? c('deductibleMinimum', { amount: money({ amount: d.minimum, currency: 'VND' }, locale) })
                  : '',
                d.waivedOnTotalLoss ? c('deductibleWaived') : '',
              ].filter(Boolean)
            : [];
          return (
            <li key={cv.code} class="cover" data-cover={cv.code}>
              <p class="cover-name">
                <strong>{cv.name[locale]}</strong>
              </p>
              <p class="hint">{cv.causes.map((x) => t(CAUSE_TEXT, x, locale)).join(', ')}</p>
              <dl class="facts compact">
                <div>
                  <dt>{c('sumInsured')}</dt>
                  <dd>{money({ amount: cv.sumInsured, currency: 'VND' }, locale)}</dd>
                </div>
                {cv.subLimit !== undefined ? (
                  <div>
                    <dt>{c('subLimit')}</dt>
                    <dd>{money({ amount: cv.subLimit, currency: 'VND' }, locale)}</dd>
                  </div>
                ) : null}
                <div>
                  <dt>{c('deductible')}</dt>
                  <dd>{parts.length > 0 ? parts.join('; ') : c('noDeductible')}</dd>
                </div>
              </dl>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function DocumentsPanel({ claim }: { claim: StaffClaim }) {
  const { api } = useConsole();
  const { locale, tr, c } = useText();
  const [preview, setPreview] = useState<{ name: string; url: string; contentType: string } | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function open(documentId: string, name: string) {
    setError(null);
    try {
      const doc = await api.get<{ url: string; contentType: string }>(
        `/claims/${encodeURIComponent(claim.claimId)}/documents/${encodeURIComponent(documentId)}`,
      );
      setPreview({ name, url: doc.url, contentType: doc.contentType });
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section class="card" aria-labelledby="docs-title">
      <h2 id="docs-title" class="section-title">
        {c('documentsTitle')}
      </h2>
      {claim.missingDocuments.length > 0 ? (
        <p class="missing-line">
          <strong>{c('missingTitle')}:</strong>{' '}
          {claim.missingDocuments.map((d) => t(DOCUMENT_TEXT, d, locale)).join(', ')}
        </p>
      ) : null}
      {claim.documents.length === 0 ? <p class="hint">{c('noDocuments')}</p> : null}
      <ErrorBanner error={error} />
      <ul class="doc-list">
        {claim.documents.map((d) => (
          <li key={d.documentId} class="doc-item" data-doc-status={d.status} data-doc-type={d.docType}>
            <div class="doc-item-body">
              <DocumentLines doc={d} />
            </div>
            {d.withheld ? (
              <span class="badge badge-neutral">{tr('withheldForRole')}</span>
            ) : d.status === 'VERIFIED' ? (
              <button
                type="button"
                class="btn btn-ghost btn-small"
                onClick={() => void open(d.documentId, d.fileName ?? d.documentId)}
              >
                {c('preview')}
                <span class="visually-hidden"> {d.fileName}</span>
              </button>
            ) : (
              <span class={`badge ${d.status === 'QUARANTINED' ? 'badge-danger' : 'badge-info'}`}>
                {tr(`docStatus_${d.status}`)}
              </span>
            )}
          </li>
        ))}
      </ul>
      {preview ? <DocumentPreview {...preview} onClose={() => setPreview(null)} /> : null}
    </section>
  );
}

function DocumentPreview(props: { name: string; url: string; contentType: string; onClose: () => void }) {
  const { c } = useText();
  const isImage =
    props.contentType.startsWith('image/') &&
    props.contentType !== 'image/heic' &&
    props.contentType !== 'image/heif';
  const isPdf = props.contentType === 'application/pdf';
  return (
    <div
      class="overlay"
      role="dialog"
      aria-modal="true"
      aria-label={c('previewTitle', { name: props.name })}
      onKeyDown={(e) => {
        if (e.key === 'Escape') props.onClose();
      }}
    >
      <div class="overlay-box">
        <div class="overlay-head">
          <h2 class="section-title">{c('previewTitle', { name: props.name })}</h2>
          <div class="overlay-actions">
            <a class="btn btn-ghost btn-small" href={props.url} target="_blank" rel="noopener noreferrer">
              {c('openInTab')}
            </a>
            <button
              type="button"
              class="btn btn-secondary btn-small"
              onClick={props.onClose}
              ref={(el) => el?.focus()}
            >
              {c('closePreview')}
            </button>
          </div>
        </div>
        <div class="overlay-body">
          {isImage ? <img class="doc-preview-image" src={props.url} alt={props.name} /> : null}
          {isPdf ? (
            // A frame, not an <object>: the console's CSP refuses plugin content (object-src 'none')
            // and allows frames from the documents bucket only.
            <iframe class="doc-preview-pdf" src={props.url} title={props.name} />
          ) : null}
          {!isImage && !isPdf ? <p>{c('noInlinePreview')}</p> : null}
        </div>
      </div>
    </div>
  );
}

export function AssessmentPanel({ claim, names }: { claim: StaffClaim; names: Names }) {
  const { locale, c } = useText();
  const a = claim.assessment;
  const d = claim.decision;
  if (!a && !d) return null;
  return (
    <section class="card" aria-labelledby="assessment-title">
      {a ? (
        <>
          <h2 id="assessment-title" class="section-title">
            {c('assessmentTitle')}: <span class="payable-amount">{money(a.payable, locale)}</span>
            {a.totalLoss ? <span class="badge badge-action"> {c('totalLossYes')}</span> : null}
          </h2>
          <p class="hint">
            {c('assessedBy', {
              date: formatDateTime(a.recordedAt, locale),
              method: `${c(`method_${a.method}`)}${a.recordedBy.id !== 'system' ? ` · ${who(a.recordedBy.role, a.recordedBy.id, names, locale)}` : ''}`,
            })}
          </p>
          <PayoutSteps steps={a.steps as StepView[]} />
        </>
      ) : null}
      {d ? (
        <div class="decision-box" data-outcome={d.outcome}>
          <h3 class="subsection-title">
            {c('decisionTitle')}: {c(`outcome_${d.outcome}`)} · {money(d.amount, locale)}
          </h3>
          <p class="hint">
            {c('decidedBy', {
              date: formatDateTime(d.decidedAt, locale),
              who: who(d.decidedBy.role, d.decidedBy.id, names, locale),
            })}
          </p>
          {d.reasons.length > 0 ? (
            <ul class="reason-list">
              {d.reasons.map((r) => (
                <li key={r.clause + r.text}>
                  <strong>{r.clause}</strong>: {r.text}
                </li>
              ))}
            </ul>
          ) : null}
          {d.note ? <p class="note-text">{d.note}</p> : null}
        </div>
      ) : null}
    </section>
  );
}

export function ApprovalsPanel({ claim, names }: { claim: StaffClaim; names: Names }) {
  const { locale, c } = useText();
  const rounds = claim.approvals ?? [];
  if (rounds.length === 0) return null;
  const commentOf = (round: number, types: string[]) =>
    claim.timeline
      .filter((e) => types.includes(e.type) && (e.data as { round?: unknown }).round === round)
      .map((e) => ({
        text: str((e.data as { comment?: unknown }).comment),
        by: who(e.by, e.actorId, names, locale),
        at: e.at,
      }))
      .filter((x) => x.text);
  return (
    <section class="card" aria-labelledby="approvals-title">
      <h2 id="approvals-title" class="section-title">
        {c('approvalsTitle')}
      </h2>
      <ol class="rounds">
        {[...rounds].reverse().map((r) => (
          <li
            key={r.round}
            class={`round round-${r.status}`}
            data-round={r.round}
            data-route={r.route}
            data-status={r.status}
          >
            <div class="round-head">
              <strong>
                {c('roundTitle', {
                  round: r.round,
                  route: c(`route_${r.route}`),
                  amount: money(r.amount, locale),
                })}
              </strong>
              <span
                class={`badge ${r.status === 'approved' ? 'badge-success' : r.status === 'sent_back' ? 'badge-danger' : 'badge-info'}`}
              >
                {c(`roundStatus_${r.status}`)}
              </span>
            </div>
            <p class="hint">
              {c('requestedBy', {
                who: who(r.requestedBy.role, r.requestedBy.id, names, locale),
                date: formatDateTime(r.requestedAt, locale),
              })}
            </p>
            {r.route === 'joint' ? (
              <>
                <p class="hint">
                  {c('quorumLine', {
                    quorum: r.quorum,
                    departments: r.departments.map((d) => lookup(DEPARTMENT_TEXT, d, locale)).join(', '),
                  })}
                </p>
                {r.votes.length === 0 ? <p class="hint">{c('noVotesYet')}</p> : null}
                <ul class="votes">
                  {r.votes.map((v) => (
                    <li
                      key={v.department}
                      class={`vote vote-${v.vote}`}
                      data-department={v.department}
                      data-vote={v.vote}
                    >
                      <span class="vote-head">
                        <strong>{lookup(DEPARTMENT_TEXT, v.department, locale)}</strong> ·{' '}
                        <span class={`badge ${v.vote === 'approve' ? 'badge-success' : 'badge-danger'}`}>
                          {c(`vote_${v.vote}`)}
                        </span>{' '}
                        <span class="hint">
                          {who(v.role, v.userId, names, locale)} · {formatDateTime(v.at, locale)}
                        </span>
                      </span>
                      <p class="vote-comment">{v.comment}</p>
                    </li>
                  ))}
                </ul>
              </>
            ) : (
              <ul class="votes">
                {commentOf(r.round, ['ApprovalSentBack', 'ClaimApproved', 'ClaimPartiallyApproved']).map(
                  (x) => (
                    <li key={x.at} class="vote">
                      <span class="hint">
                        {x.by} · {formatDateTime(x.at, locale)}
                      </span>
                      <p class="vote-comment">{x.text}</p>
                    </li>
                  ),
                )}
              </ul>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

export function InfoRequestsPanel({ claim }: { claim: StaffClaim }) {
  const { locale, tr, c } = useText();
  const requests = claim.infoRequests ?? [];
  if (requests.length === 0) return null;
  return (
    <section class="card" aria-labelledby="info-title">
      <h2 id="info-title" class="section-title">
        {c('infoRequestsTitle')}
      </h2>
      <ul class="info-requests">
        {[...requests].reverse().map((r) => (
          <li key={r.requestId} class={`info-request info-${r.status}`} data-status={r.status}>
            <div class="round-head">
              <span class="hint">{formatDateTime(r.requestedAt, locale)}</span>
              <span
                class={`badge ${r.status === 'answered' ? 'badge-success' : r.status === 'open' ? 'badge-action' : 'badge-neutral'}`}
              >
                {c(`infoStatus_${r.status}`)}
              </span>
            </div>
            <p>{r.message ?? tr('withheldForRole')}</p>
            {r.documents.length > 0 ? (
              <p class="hint">{r.documents.map((d) => t(DOCUMENT_TEXT, d, locale)).join(', ')}</p>
            ) : null}
            <p class="hint">{c('dueAt', { date: formatDateTime(r.dueAt, locale) })}</p>
            {r.response ? (
              <blockquote class="customer-answer">
                <p class="hint">
                  {c('customerAnswer', { date: r.respondedAt ? formatDateTime(r.respondedAt, locale) : '' })}
                </p>
                <p>{r.response}</p>
              </blockquote>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The customer's appeal against a rejection (issue 10): reason, the evidence sent since, the deadline. */
export function AppealPanel({ claim }: { claim: StaffClaim }) {
  const { locale, c } = useText();
  const a = claim.appeal;
  if (!a) return null;
  const evidence = claim.documents.filter((d) => Date.parse(d.requestedAt) >= Date.parse(a.filedAt));
  return (
    <section class="card appeal-panel" aria-labelledby="appeal-title" data-appeal-status={a.status}>
      <div class="round-head">
        <h2 id="appeal-title" class="section-title">
          {c('appealTitle')}
        </h2>
        <span class={`badge ${a.status === 'open' ? 'badge-action' : 'badge-neutral'}`}>
          {c(`appealStatus_${a.status}`)}
        </span>
      </div>
      <p class="hint">{c('appealFiled', { date: formatDateTime(a.filedAt, locale) })}</p>
      <blockquote class="customer-answer">
        <p>{a.reason}</p>
      </blockquote>
      {a.status === 'open' ? (
        <p>{c('appealDecideBy', { date: formatDateTime(a.decideBy, locale) })}</p>
      ) : null}
      <p class="hint">{c('appealAgainst', { date: formatDateTime(a.rejection.decidedAt, locale) })}</p>
      <ul>
        {a.rejection.reasons.map((r) => (
          <li key={`${r.clause}-${r.text}`}>
            <strong>{r.clause}</strong>: {r.text}
          </li>
        ))}
      </ul>
      <h3 class="subsection-title">{c('appealEvidence')}</h3>
      {evidence.length === 0 ? <p class="hint">{c('appealNoEvidence')}</p> : null}
      <ul class="doc-list">
        {evidence.map((d) => (
          <li key={d.documentId} data-doc-status={d.status}>
            <DocumentLines doc={d} />
          </li>
        ))}
      </ul>
    </section>
  );
}

export function InspectionsPanel({ claim }: { claim: StaffClaim }) {
  const { locale, c } = useText();
  const list = claim.inspections ?? [];
  if (list.length === 0) return null;
  return (
    <section class="card" aria-labelledby="inspections-title">
      <h2 id="inspections-title" class="section-title">
        {c('inspectionsTitle')}
      </h2>
      <ul class="info-requests">
        {[...list].reverse().map((i) => (
          <li key={i.inspectionId} class="info-request" data-status={i.status}>
            <div class="round-head">
              <strong>{formatDateTime(i.at, locale)}</strong>
              <span
                class={`badge ${i.status === 'confirmed' ? 'badge-success' : i.status === 'cancelled' ? 'badge-neutral' : 'badge-action'}`}
              >
                {c(`inspStatus_${i.status}`)}
              </span>
            </div>
            <p>{i.place}</p>
            {i.note ? <p class="hint">{i.note}</p> : null}
            {i.customerProposal ? (
              <p>
                {c('customerProposal', { date: formatDateTime(i.customerProposal.at, locale) })}
                {i.customerProposal.comment ? ` — ${i.customerProposal.comment}` : ''}
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** "Sent back" note at the top of a claim whose last approval round was returned, with the comment. */
export function SentBackBanner({ claim, names }: { claim: StaffClaim; names: Names }) {
  const { locale } = useText();
  const round = claim.approvals?.at(-1);
  if (round?.status !== 'sent_back' || claim.status !== 'UNDER_ASSESSMENT') return null;
  const e = [...claim.timeline]
    .reverse()
    .find((x) => x.type === 'ClaimSentBack' || x.type === 'ApprovalSentBack');
  if (!e) return null;
  const data = e.data as { department?: string; comment?: string };
  return (
    <div class="banner banner-warning" role="status" data-sent-back={round.round}>
      <p>
        <strong>
          {t(EVENT_TEXT, e.type, locale)}
          {data.department ? ` (${lookup(DEPARTMENT_TEXT, data.department, locale)})` : ''}
        </strong>{' '}
        · {who(e.by, e.actorId, names, locale)} · {formatDateTime(e.at, locale)}
      </p>
      {data.comment ? <p class="sent-back-comment">“{data.comment}”</p> : null}
      <p class="hint">{t(STATUS_TEXT, claim.status, locale)}</p>
    </div>
  );
}

/**
 * The policy's other claims, latest loss first: the claim view carries the first page, "Show more"
 * pages through GET /claims/{id}/policy-history with the cursor the server signed.
 */
export function PolicyHistoryPanel({ claim }: { claim: StaffClaim }) {
  const { api } = useConsole();
  const { locale, tr, c } = useText();
  const first = claim.policyClaims;
  const [more, setMore] = useState<{ items: PolicyHistoryPage['items']; cursor: string | null }>({
    items: [],
    cursor: first?.nextCursor ?? null,
  });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!first) return null;
  const items = [...first.items, ...more.items];
  const loadMore = async () => {
    if (!more.cursor) return;
    setLoading(true);
    try {
      const page = await api.get<PolicyHistoryPage>(
        `/claims/${encodeURIComponent(claim.claimId)}/policy-history?cursor=${encodeURIComponent(more.cursor)}`,
      );
      setMore((m) => ({ items: [...m.items, ...page.items], cursor: page.nextCursor }));
      setError(null);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  };
  return (
    <section class="card policy-history" aria-labelledby="policy-history-title">
      <h2 id="policy-history-title" class="section-title">
        {c('policyHistoryTitle')}
      </h2>
      {items.length === 0 ? (
        <p class="hint">{c('policyHistoryEmpty')}</p>
      ) : (
        <ul class="history-list">
          {items.map((h) => (
            <li key={h.claimId} class="history-item" data-claim-number={h.claimNumber}>
              <a href={`#/claims/${encodeURIComponent(h.claimId)}`}>{h.claimNumber}</a>{' '}
              <StatusBadge status={h.status} />
              <span class="cell-sub">
                {formatDate(h.lossAt, locale)} · {t(CAUSE_TEXT, h.cause, locale)} ·{' '}
                {money(h.estimatedAmount, locale)}
              </span>
            </li>
          ))}
        </ul>
      )}
      <ErrorBanner error={error} onRetry={() => void loadMore()} />
      {more.cursor ? (
        <button
          type="button"
          class="btn btn-secondary btn-small"
          data-action="policy-history-more"
          onClick={() => void loadMore()}
          disabled={loading}
        >
          {loading ? tr('loading') : tr('loadMore')}
        </button>
      ) : null}
    </section>
  );
}
