import { useMemo, useState } from 'preact/hooks';
import { hasMessage } from '../../../../../lambdas/core/i18n.ts';
import { ErrorBanner, PageHeading } from '../../../../shared/components.tsx';
import { formatDateTime } from '../../../../shared/format.ts';
import { productOf, useConsole, useLoad } from '../../context.ts';
import { type ConsoleKey, useText } from '../../i18n.ts';
import { ListTable, loadedList } from '../../list-page.tsx';
import type { AdminChange, StaffMember } from '../../types.ts';

/** One changed part of a pending change, as JSON the administrator can compare. */
interface ChangedPart {
  field: string;
  before: string;
  after: string;
}

/** A value as the administrator reads it: a number (an amount, a day count) grouped the locale's way. */
const shown = (v: unknown, locale: 'vi' | 'en') => {
  if (v === undefined) return '—';
  if (typeof v === 'number') return v.toLocaleString(locale === 'vi' ? 'vi-VN' : 'en-GB');
  return JSON.stringify(v, null, 1);
};

/** The top-level parts that differ between what is in force and what is proposed. */
export function changedParts(before: unknown, after: unknown, locale: 'vi' | 'en'): ChangedPart[] {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  return [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .filter((k) => k !== 'version' && JSON.stringify(b[k]) !== JSON.stringify(a[k]))
    .map((field) => ({
      field,
      before: before === undefined ? '—' : shown(b[field], locale),
      after: shown(a[field], locale),
    }));
}

/**
 * Changes to money controls and staff authority awaiting a second administrator (four eyes,
 * core/admin-changes.ts): what is in force and what is proposed, side by side. Another
 * administrator approves or rejects; the proposer may withdraw.
 */
export function AdminChangesPage() {
  const { api, me, products } = useConsole();
  const { locale, c } = useText();
  const list = useLoad(() => api.get<{ items: AdminChange[] }>('/admin/changes'), [api]);
  const staff = useLoad(() => api.get<{ items: StaffMember[] }>('/staff').then((r) => r.items), [api]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');
  const names = useMemo(
    () =>
      new Map([
        [me.userId, me.displayName],
        ...(staff.data ?? []).map((s) => [s.userId, s.displayName] as const),
      ]),
    [me, staff.data],
  );
  const fieldName = (k: string) =>
    hasMessage(`console.auditField_${k}`, locale) ? c(`auditField_${k}` as ConsoleKey) : k;

  const what = (ch: AdminChange): string => {
    if (ch.kind === 'product') return productOf(products, ch.target)?.name[locale] ?? ch.target;
    if (ch.kind === 'calendar') return c('changeCalendar');
    const after = (ch.after ?? {}) as { displayName?: string; username?: string };
    return names.get(ch.target) ?? after.displayName ?? ch.target;
  };

  async function decide(ch: AdminChange, action: 'approve' | 'reject' | 'withdraw') {
    setBusy(true);
    setError(undefined);
    setNotice('');
    try {
      await api.post(`/admin/changes/${encodeURIComponent(ch.changeId)}`, { action });
      setNotice(
        c(
          action === 'approve'
            ? 'changeApproved'
            : action === 'reject'
              ? 'changeRejected'
              : 'changeWithdrawn',
        ),
      );
      await list.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="admin-page">
      <div class="page-head">
        <PageHeading>{c('changesTitle')}</PageHeading>
        <button
          type="button"
          class="btn btn-secondary btn-small"
          onClick={() => void list.reload()}
          disabled={list.loading}
        >
          ↻ {c('refresh')}
        </button>
      </div>
      <p class="hint">{c('changesHint')}</p>
      {notice ? (
        <div class="banner banner-success" role="status">
          <p>{notice}</p>
        </div>
      ) : null}
      <ErrorBanner error={error} />
      <ListTable
        {...loadedList(list)}
        empty={c('noPendingChanges')}
        class="changes-table"
        columns={[c('colTime'), c('changeWhat'), c('colActor'), c('colDetail'), '']}
        row={(ch) => {
          const own = ch.proposedBy === me.userId;
          return (
            <tr key={ch.changeId} data-change={ch.changeId}>
              <td>{formatDateTime(ch.proposedAt, locale)}</td>
              <td>
                {what(ch)}
                <span class="cell-sub">{c(`changeKind_${ch.kind}` as ConsoleKey)}</span>
              </td>
              <td>{names.get(ch.proposedBy) ?? ch.proposedBy}</td>
              <td>
                <p>{c('changeLoosens', { fields: ch.loosens.map(fieldName).join(', ') })}</p>
                <table class="change-diff">
                  <thead>
                    <tr>
                      <th scope="col">{c('changeField')}</th>
                      <th scope="col">{c('changeBefore')}</th>
                      <th scope="col">{c('changeAfter')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {changedParts(ch.before, ch.after, locale).map((p) => (
                      <tr key={p.field}>
                        <th scope="row">{fieldName(p.field)}</th>
                        <td>
                          <pre>{p.before}</pre>
                        </td>
                        <td>
                          <pre>{p.after}</pre>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </td>
              <td class="actions">
                {own ? (
                  <>
                    <p class="cell-sub">{c('changeOwn')}</p>
                    <button
                      type="button"
                      class="btn btn-secondary btn-small"
                      disabled={busy}
                      onClick={() => void decide(ch, 'withdraw')}
                    >
                      {c('changeWithdraw')}
                    </button>
                  </>
                ) : (
                  <>
                    <button
                      type="button"
                      class="btn btn-primary btn-small"
                      disabled={busy}
                      onClick={() => void decide(ch, 'approve')}
                    >
                      {c('changeApprove')}
                    </button>
                    <button
                      type="button"
                      class="btn btn-secondary btn-small"
                      disabled={busy}
                      onClick={() => void decide(ch, 'reject')}
                    >
                      {c('changeReject')}
                    </button>
                  </>
                )}
              </td>
            </tr>
          );
        }}
      />
    </section>
  );
}
