import { useState } from 'preact/hooks';
import type { FieldIssue } from '../../../../lambdas/core/errors.ts';
import { AppealBody, APPEAL_REASON_MAX } from '../../../../lambdas/core/requests.ts';
import type { ApiClient } from '../../../shared/api.ts';
import { ErrorBanner, TextAreaField } from '../../../shared/components.tsx';
import { fieldIssuesFromZod } from '../../../shared/errors.ts';
import { formatDateTime } from '../../../shared/format.ts';
import { useLocale } from '../../../shared/locale.tsx';
import type { ClaimView } from '../../../shared/types.ts';

/**
 * The customer's appeal (issue 10): on a rejected claim, until the window closes, a reason and
 * then new evidence (the reopened claim takes uploads again); once filed, where it stands.
 */
export function AppealCard(props: { api: ApiClient; claim: ClaimView; reload: () => Promise<unknown> }) {
  const { api, claim, reload } = props;
  const { locale, tr } = useLocale();
  const [reason, setReason] = useState('');
  const [fieldError, setFieldError] = useState<FieldIssue | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const appeal = claim.appeal;
  if (!appeal && !claim.appealableUntil) return null;

  async function onSubmit(e: Event) {
    e.preventDefault();
    const parsed = AppealBody.safeParse({ reason });
    if (!parsed.success) {
      setFieldError(fieldIssuesFromZod(parsed.error)[0]);
      document.getElementById('f-appeal-reason')?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.post(`/claims/${encodeURIComponent(claim.claimId)}/appeal`, parsed.data);
      await reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (appeal) {
    return (
      <section class="card appeal-card" aria-labelledby="appeal-title" data-appeal-status={appeal.status}>
        <h2 id="appeal-title" class="section-title">
          {tr('appealTitle')}
        </h2>
        <p>
          <strong>{tr(`appealStatus_${appeal.status}`)}</strong>
        </p>
        {appeal.status === 'open' ? (
          <p>{tr('appealOpenText', { date: formatDateTime(appeal.decideBy, locale) })}</p>
        ) : null}
        <blockquote class="info-answer">{appeal.reason}</blockquote>
        <p class="hint">{tr('appealFiledOn', { date: formatDateTime(appeal.filedAt, locale) })}</p>
      </section>
    );
  }
  return (
    <section class="card appeal-card" aria-labelledby="appeal-title">
      <h2 id="appeal-title" class="section-title">
        {tr('appealTitle')}
      </h2>
      <p>{tr('appealIntro', { date: formatDateTime(claim.appealableUntil ?? '', locale) })}</p>
      <form noValidate onSubmit={onSubmit}>
        <TextAreaField
          path="appeal-reason"
          label={tr('appealReason')}
          hint={tr('appealReasonHint')}
          required
          rows={5}
          maxLength={APPEAL_REASON_MAX}
          value={reason}
          error={fieldError}
          onValue={(v) => {
            setReason(v);
            setFieldError(undefined);
          }}
        />
        <ErrorBanner error={error} />
        <button type="submit" class="btn btn-primary btn-block" disabled={busy} aria-busy={busy}>
          {busy ? tr('submitting') : tr('appealSend')}
        </button>
      </form>
    </section>
  );
}
