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

/**
 * Supervisors' and admins' alert: claims whose workflow is not where the claim says it is (a start
 * or resume saved with the claim but not delivered in time). After the cause is fixed, one click
 * hands the claim's signals back to the deliverer.
 */
export function WorkflowAlertsBanner() {
  const { api } = useConsole();
  const { locale, c } = useText();
  const alerts = useLoad(() => api.get<{ alerts: WorkflowAlert[] }>('/workflow/alerts'), [api]);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const list = alerts.data?.alerts ?? [];
  if (list.length === 0 && !error) return null;

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

  return (
    <section class="banner banner-error workflow-alerts" role="alert" data-testid="workflow-alerts">
      <p>
        <strong>{c('workflowAlertsTitle', { count: list.length })}</strong> {c('workflowAlertsHelp')}
      </p>
      <ErrorBanner error={error} />
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
