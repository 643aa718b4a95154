import { useState } from 'preact/hooks';
import { EVENT_TEXT, t } from '../../../../../lambdas/core/messages.ts';
import { ErrorBanner, PageHeading, Spinner } from '../../../../shared/components.tsx';
import { formatDateTime } from '../../../../shared/format.ts';
import { lookup } from '../../../../shared/i18n.ts';
import { useConsole, useLoad } from '../../context.ts';
import { ROLE_TEXT, useText } from '../../i18n.ts';
import type { AdminAudit } from '../../types.ts';

/** Configuration and staff changes, newest first, with the hash chain's verdict. */
export function AdminAuditPage() {
  const { api } = useConsole();
  const { locale, tr, c } = useText();
  const log = useLoad(() => api.get<AdminAudit>('/admin/audit'), [api]);
  const [open, setOpen] = useState<number | null>(null);
  const verdict = log.data?.verdict;

  return (
    <section class="admin-page">
      <div class="page-head">
        <PageHeading>{c('adminAuditTitle')}</PageHeading>
        <button
          type="button"
          class="btn btn-secondary btn-small"
          onClick={() => void log.reload()}
          disabled={log.loading}
        >
          ↻ {c('refresh')}
        </button>
      </div>
      {verdict ? (
        <p
          class={`badge ${verdict.ok ? 'badge-success' : 'badge-danger'} audit-badge`}
          data-audit={verdict.ok ? 'verified' : 'broken'}
        >
          {verdict.ok
            ? `✓ ${c('auditVerified', { length: verdict.length })}`
            : `✗ ${c('auditBroken', { at: verdict.brokenAt, reason: verdict.reason })}`}
        </p>
      ) : null}
      <ErrorBanner error={log.error} onRetry={() => void log.reload()} />
      {!log.data ? (
        log.loading ? (
          <Spinner label={tr('loading')} />
        ) : null
      ) : log.data.items.length === 0 ? (
        <p class="card empty">{c('noAuditEvents')}</p>
      ) : (
        <div class="table-wrap card">
          <table class="data-table audit-table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{c('colTime')}</th>
                <th scope="col">{c('colEvent')}</th>
                <th scope="col">{c('colActor')}</th>
                <th scope="col">{c('colDetail')}</th>
              </tr>
            </thead>
            <tbody>
              {log.data.items.map((e) => (
                <tr key={e.seq} data-event={e.type}>
                  <td>{e.seq}</td>
                  <td>{formatDateTime(e.at, locale)}</td>
                  <td>{t(EVENT_TEXT, e.type, locale)}</td>
                  <td>
                    {lookup(ROLE_TEXT, e.actor.role ?? e.actor.kind, locale)}
                    {e.actor.id ? <span class="cell-sub">{e.actor.id}</span> : null}
                  </td>
                  <td>
                    <code class="inline-json">{JSON.stringify(e.data ?? {})}</code>
                    {e.before || e.after ? (
                      <>
                        <button
                          type="button"
                          class="btn btn-ghost btn-small"
                          aria-expanded={open === e.seq}
                          onClick={() => setOpen(open === e.seq ? null : e.seq)}
                        >
                          {c('showChange')}
                        </button>
                        {open === e.seq ? (
                          <div class="diff">
                            <div>
                              <p class="field-label">{c('before')}</p>
                              <pre>{JSON.stringify(e.before ?? null, null, 2)}</pre>
                            </div>
                            <div>
                              <p class="field-label">{c('after')}</p>
                              <pre>{JSON.stringify(e.after ?? null, null, 2)}</pre>
                            </div>
                          </div>
                        ) : null}
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
