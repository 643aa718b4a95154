import { useState } from 'preact/hooks';
import { DOCUMENT_TEXT, t } from '../../../../lambdas/core/messages.ts';
import { InfoResponseBody, InspectionReplyBody } from '../../../../lambdas/core/requests.ts';
import type { ApiClient } from '../../../shared/api.ts';
import { ErrorBanner, FieldFrame, TextAreaField, TextField } from '../../../shared/components.tsx';
import { formatDateTime, todayInVietnam, vietnamInstant } from '../../../shared/format.ts';
import { useLocale } from '../../../shared/locale.tsx';
import type { ClaimView } from '../../../shared/types.ts';

type Reload = () => Promise<ClaimView | null>;
const claimPath = (claim: ClaimView, rest: string) => `/claims/${encodeURIComponent(claim.claimId)}${rest}`;

/** What the claims handler asked of the customer: open information requests and inspection proposals. */
export function RequestsPanel({ api, claim, reload }: { api: ApiClient; claim: ClaimView; reload: Reload }) {
  const requests = [...(claim.infoRequests ?? [])].reverse();
  const inspections = [...(claim.inspections ?? [])].filter((i) => i.status !== 'cancelled').reverse();
  if (requests.length === 0 && inspections.length === 0) return null;
  return (
    <>
      {requests.map((r) => (
        <InfoRequestCard key={r.requestId} api={api} claim={claim} request={r} reload={reload} />
      ))}
      {inspections.map((i) => (
        <InspectionCard key={i.inspectionId} api={api} claim={claim} inspection={i} reload={reload} />
      ))}
    </>
  );
}

type InfoRequest = NonNullable<ClaimView['infoRequests']>[number];
type Inspection = NonNullable<ClaimView['inspections']>[number];

function InfoRequestCard(props: { api: ApiClient; claim: ClaimView; request: InfoRequest; reload: Reload }) {
  const { api, claim, request: r, reload } = props;
  const { locale, tr } = useLocale();
  const [answer, setAnswer] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const path = `answer-${r.requestId}`;

  async function onSubmit(e: Event) {
    e.preventDefault();
    const parsed = InfoResponseBody.safeParse({ message: answer.trim() });
    if (!parsed.success) {
      setFieldError('required');
      document.getElementById(`f-${path}`)?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.post(
        claimPath(claim, `/info-requests/${encodeURIComponent(r.requestId)}/response`),
        parsed.data,
      );
      setSent(true);
      await reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section
      class={`card info-request-card is-${r.status}`}
      data-request-status={r.status}
      aria-labelledby={`ir-${r.requestId}`}
    >
      <h2 id={`ir-${r.requestId}`} class="section-title">
        {tr('infoRequestTitle')}
      </h2>
      <p class="info-request-message">{r.message}</p>
      {r.documents.length > 0 ? (
        <p class="hint">
          {tr('infoRequestDocs', { docs: r.documents.map((d) => t(DOCUMENT_TEXT, d, locale)).join(', ') })}
        </p>
      ) : null}
      {r.status === 'open' ? (
        <form noValidate onSubmit={onSubmit}>
          <p class="hint">{tr('infoRequestDue', { date: formatDateTime(r.dueAt, locale) })}</p>
          <TextAreaField
            path={path}
            label={tr('yourAnswer')}
            required
            rows={4}
            maxLength={4000}
            value={answer}
            error={fieldError}
            onValue={(v) => {
              setAnswer(v);
              setFieldError(undefined);
            }}
          />
          <ErrorBanner error={error} />
          <button type="submit" class="btn btn-primary btn-block" disabled={busy} aria-busy={busy}>
            {busy ? tr('submitting') : tr('sendAnswer')}
          </button>
        </form>
      ) : null}
      {sent ? (
        <p class="ok-line" role="status">
          {tr('answerSent')}
        </p>
      ) : null}
      {r.response ? (
        <blockquote class="info-answer">
          <p class="hint">
            {tr('answeredOn', { date: r.respondedAt ? formatDateTime(r.respondedAt, locale) : '' })}
          </p>
          <p>{r.response}</p>
        </blockquote>
      ) : null}
    </section>
  );
}

function InspectionCard(props: { api: ApiClient; claim: ClaimView; inspection: Inspection; reload: Reload }) {
  const { api, claim, inspection: i, reload } = props;
  const { locale, tr } = useLocale();
  const [asking, setAsking] = useState(false);
  const [date, setDate] = useState('');
  const [time, setTime] = useState('09:00');
  const [comment, setComment] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function reply(body: unknown) {
    setBusy(true);
    setError(null);
    try {
      await api.post(claimPath(claim, `/inspections/${encodeURIComponent(i.inspectionId)}/reply`), body);
      setAsking(false);
      await reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  function onReschedule(e: Event) {
    e.preventDefault();
    const proposedAt = vietnamInstant(date, time);
    const parsed = InspectionReplyBody.safeParse({
      reply: 'reschedule',
      proposedAt,
      ...(comment.trim() ? { comment: comment.trim() } : {}),
    });
    if (!parsed.success || !proposedAt) {
      setFieldError('required');
      return;
    }
    if (Date.parse(proposedAt) <= Date.now()) {
      setFieldError('in_past');
      return;
    }
    void reply(parsed.data);
  }

  return (
    <section
      class={`card inspection-card is-${i.status}`}
      data-inspection-status={i.status}
      aria-labelledby={`in-${i.inspectionId}`}
    >
      <h2 id={`in-${i.inspectionId}`} class="section-title">
        {tr('inspectionTitle')}
      </h2>
      <p>
        <strong>{tr('inspectionWhen', { date: formatDateTime(i.at, locale) })}</strong>
      </p>
      <p>{tr('inspectionWhere', { place: i.place })}</p>
      {i.note ? <p class="hint">{i.note}</p> : null}
      {i.status === 'confirmed' ? <p class="ok-line">{tr('inspectionConfirmed')}</p> : null}
      {i.status === 'reschedule_requested' && i.customerProposal ? (
        <p class="hint">
          {tr('inspectionRescheduleAsked', { date: formatDateTime(i.customerProposal.at, locale) })}
        </p>
      ) : null}
      <ErrorBanner error={error} />
      {i.status === 'proposed' && !asking ? (
        <div class="button-row">
          <button
            type="button"
            class="btn btn-primary"
            disabled={busy}
            onClick={() => void reply({ reply: 'confirm' })}
          >
            {tr('confirmInspection')}
          </button>
          <button type="button" class="btn btn-secondary" disabled={busy} onClick={() => setAsking(true)}>
            {tr('askOtherTime')}
          </button>
        </div>
      ) : null}
      {asking ? (
        <form noValidate onSubmit={onReschedule}>
          <div class="row-2">
            <FieldFrame
              path={`proposed-${i.inspectionId}`}
              label={tr('proposedDate')}
              required
              error={fieldError}
            >
              {(aria) => (
                <input
                  {...aria}
                  type="date"
                  min={todayInVietnam()}
                  value={date}
                  onInput={(e) => {
                    setDate(e.currentTarget.value);
                    setFieldError(undefined);
                  }}
                />
              )}
            </FieldFrame>
            <TextField
              path={`proposed-time-${i.inspectionId}`}
              type="time"
              label={tr('proposedTime')}
              required
              value={time}
              onValue={setTime}
            />
          </div>
          <TextAreaField
            path={`comment-${i.inspectionId}`}
            label={tr('rescheduleComment')}
            rows={2}
            maxLength={1000}
            value={comment}
            onValue={setComment}
          />
          <div class="button-row">
            <button type="submit" class="btn btn-primary" disabled={busy}>
              {tr('sendProposal')}
            </button>
            <button type="button" class="btn btn-ghost" onClick={() => setAsking(false)}>
              {tr('back')}
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
