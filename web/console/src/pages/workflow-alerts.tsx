import { useState } from 'preact/hooks';
import type { ClaimStatus } from '../../../../lambdas/core/claim.ts';
import { STATUS_TEXT, t } from '../../../../lambdas/core/messages.ts';
import { ErrorBanner } from '../../../shared/components.tsx';
import { formatDateTime } from '../../../shared/format.ts';
import { useConsole, useLoad } from '../context.ts';
import { useText } from '../i18n.ts';

interface WorkflowAlert {
  claimId: string;
  claimNumber?: string;
  status?: ClaimStatus;
  signal: 'start' | 'resume' | 'fail';
  pendingSince: string;
  attempts: number;
  lastError?: string;
}

/** A workflow step that failed for good (the compensating state recorded it). */
interface WorkflowFailureAlert {
  claimId: string;
  claimNumber?: string;
  status?: ClaimStatus;
  state: string;
  error: string;
  cause: string;
  failedAt: string;
  paymentHeld: boolean;
  /** The workflow went on without the step (the acknowledgement could not be sent). */
  continued?: boolean;
}

/**
 * Supervisors' and admins' alert: claims whose workflow is not where the claim says it is (a start
 * or resume saved with the claim but not delivered in time), and claims whose workflow stopped on a
 * step that failed for good (or went on without one whose failure must not stop it). After the
 * cause is fixed, one click hands the claim's signals back to the deliverer; a failure is
 * acknowledged with a note of what was done.
 */
export function WorkflowAlertsBanner() {
  const { api } = useConsole();
  const { locale, c } = useText();
  const alerts = useLoad(
    () => api.get<{ alerts: WorkflowAlert[]; failures?: WorkflowFailureAlert[] }>('/workflow/alerts'),
    [api],
  );
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const list = alerts.data?.alerts ?? [];
  const failures = alerts.data?.failures ?? [];
  if (list.length === 0 && failures.length === 0 && !error) return null;

  const redeliver = async (claimId: string) => {
    setBusy(claimId);
    setError(null);
    try {
      await api.post(`/claims/${claimId}/workflow/redeliver`, {});
      await alerts.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const acknowledge = async (claimId: string) => {
    setBusy(claimId);
    setError(null);
    try {
      await api.post(`/claims/${claimId}/workflow/acknowledge`, { note: notes[claimId] ?? '' });
      await alerts.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section class="banner banner-error workflow-alerts" role="alert" data-testid="workflow-alerts">
      <ErrorBanner error={error} />
      {failures.length > 0 ? (
        <div data-testid="workflow-failures">
          <p>
            <strong>{c('workflowFailuresTitle', { count: failures.length })}</strong>{' '}
            {c('workflowFailuresHelp')}
          </p>
          <ul>
            {failures.map((f) => (
              <li key={`${f.claimId}-${f.failedAt}`} data-claim={f.claimId}>
                <a href={`#/claims/${f.claimId}`}>{f.claimNumber ?? f.claimId}</a>{' '}
                {f.status ? `(${t(STATUS_TEXT, f.status, locale)})` : null} —{' '}
                {c('workflowFailedStep', { state: f.state, error: f.error })} ·{' '}
                {c('workflowFailedAt', { at: formatDateTime(f.failedAt, locale) })}
                {f.paymentHeld ? ` · ${c('workflowPaymentHeld')}` : null}
                {f.continued ? ` · ${c('workflowStepContinued')}` : null}
                {f.cause ? <div class="muted">{f.cause}</div> : null}
                <form
                  class="inline-form"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void acknowledge(f.claimId);
                  }}
                >
                  <label>
                    {c('workflowAckNote')}{' '}
                    <input
                      required
                      minLength={3}
                      maxLength={1000}
                      value={notes[f.claimId] ?? ''}
                      onInput={(e) =>
                        setNotes({ ...notes, [f.claimId]: (e.target as HTMLInputElement).value })
                      }
                    />
                  </label>{' '}
                  <button type="submit" class="btn btn-secondary btn-small" disabled={busy === f.claimId}>
                    {c('workflowAcknowledge')}
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {list.length > 0 ? (
        <p>
          <strong>{c('workflowAlertsTitle', { count: list.length })}</strong> {c('workflowAlertsHelp')}
        </p>
      ) : null}
      <ul>
        {list.map((a) => (
          <li key={`${a.claimId}-${a.pendingSince}`} data-claim={a.claimId}>
            <a href={`#/claims/${a.claimId}`}>{a.claimNumber ?? a.claimId}</a>{' '}
            {a.status ? `(${t(STATUS_TEXT, a.status, locale)})` : null} — {c(`workflowSignal_${a.signal}`)} ·{' '}
            {c('workflowPendingSince', { at: formatDateTime(a.pendingSince, locale) })}
            {a.attempts > 0 ? ` · ${c('workflowAttempts', { count: a.attempts })}` : null}{' '}
            <button
              type="button"
              class="btn btn-secondary btn-small"
              disabled={busy === a.claimId}
              onClick={() => void redeliver(a.claimId)}
            >
              {c('workflowRedeliver')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
