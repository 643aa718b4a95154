import { useMemo } from 'preact/hooks';
import { hasMessage } from '../../../../../lambdas/core/i18n.ts';
import { EVENT_TEXT, t, TEMPLATE_TEXT } from '../../../../../lambdas/core/messages.ts';
import { PageHeading } from '../../../../shared/components.tsx';
import { formatDateTime, money } from '../../../../shared/format.ts';
import { lookup } from '../../../../shared/i18n.ts';
import { auditVerdictText } from '../../audit-verdict.ts';
import { productOf, useConsole, useLoad } from '../../context.ts';
import { type ConsoleKey, ROLE_TEXT, useText } from '../../i18n.ts';
import { ListTable, loadedList } from '../../list-page.tsx';
import type { AdminAudit, StaffMember } from '../../types.ts';

type Entry = AdminAudit['items'][number];

/** Configuration and staff changes, newest first, with the hash chain's verdict. */
export function AdminAuditPage() {
  const { api, me } = useConsole();
  const { locale, c } = useText();
  const log = useLoad(() => api.get<AdminAudit>('/admin/audit'), [api]);
  const staff = useLoad(() => api.get<{ items: StaffMember[] }>('/staff').then((r) => r.items), [api]);
  const verdict = log.data?.verdict;
  const { products } = useConsole();
  const names = useMemo(
    () =>
      new Map([
        [me.userId, me.displayName],
        ...(staff.data ?? []).map((s) => [s.userId, s.displayName] as const),
      ]),
    [me, staff.data],
  );

  /** What the event did, in words: which product, template or account, and its new version. */
  const summary = (e: Entry): string => {
    const d = (e.data ?? {}) as Record<string, unknown>;
    const version = typeof d.version === 'number' ? d.version : 0;
    switch (e.type) {
      case 'ProductConfigChanged':
        return c('auditProductChanged', {
          product: productOf(products, String(d.code))?.name[locale] ?? String(d.code),
          version,
        });
      case 'TemplateChanged':
        return c('auditTemplateChanged', {
          template: lookup(TEMPLATE_TEXT, String(d.name), locale),
          version,
        });
      case 'AdminChangeProposed':
      case 'AdminChangeDecided': {
        // What a change awaiting a second administrator is about, by its name.
        const target = String(d.target ?? '');
        const staffAfter = ((e.after ?? {}) as { staff?: { displayName?: string } }).staff;
        const what =
          d.kind === 'product'
            ? (productOf(products, target)?.name[locale] ?? target)
            : d.kind === 'calendar'
              ? c('changeCalendar')
              : (names.get(target) ?? staffAfter?.displayName ?? c('changeKind_staff'));
        return e.type === 'AdminChangeProposed'
          ? c('auditChangeProposed', { what })
          : c(`auditChangeDecided_${String(d.decision)}` as ConsoleKey, { what });
      }
      case 'StaffChanged': {
        const after = (e.after ?? {}) as { displayName?: string };
        const name = after.displayName ?? String(d.username);
        return c(d.created ? 'auditStaffCreated' : 'auditStaffChanged', { name });
      }
      case 'PaymentBatchPrepared':
      case 'PaymentBatchReleased':
      case 'PaymentBatchVoided':
      case 'PaymentBatchDownloaded': {
        const total = d.total as { amount: number; currency: 'VND' } | undefined;
        const line = c('auditBatch', {
          batchId: String(d.batchId),
          count: Number(d.count ?? 0),
          total: money(total, locale),
        });
        return typeof d.format === 'string' ? `${line} · ${d.format.toUpperCase()}` : line;
      }
      case 'SiuLabelsExported':
        // The SIU's training file: how many labelled claims, and the start of its SHA-256.
        return c('auditSiuExport', { rows: Number(d.rows ?? 0), sha: String(d.sha256 ?? '').slice(0, 12) });
      case 'BankConfirmationImported':
      case 'BankReturnsConfirmed':
        // The file by its reconciliation id and name; the event's data keeps its full SHA-256.
        return c('auditReconciliation', {
          reconId: String(d.reconId),
          fileName: String(d.fileName ?? ''),
          count: Number(d.lines ?? d.count ?? 0),
        });
      default:
        return c('auditVersion', { version });
    }
  };
  /** The parts that changed, by their names (never the raw before/after documents). */
  const changed = (e: Entry): string[] => {
    const inner = (v: unknown): Record<string, unknown> => {
      const o = (v ?? {}) as Record<string, unknown>;
      const keys = Object.keys(o).filter((k) => k !== 'version');
      // A configuration's snapshot is `{ version, <field>: {...} }`: compare inside the field.
      const only = keys.length === 1 ? o[keys[0] ?? ''] : undefined;
      return only && typeof only === 'object' && !Array.isArray(only) ? (only as Record<string, unknown>) : o;
    };
    const before = inner(e.before);
    const after = inner(e.after);
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
      (k) => k !== 'version' && JSON.stringify(before[k]) !== JSON.stringify(after[k]),
    );
    if (!e.before) return [];
    return [
      ...new Set(
        keys.map((k) =>
          hasMessage(`console.auditField_${k}`, locale) ? c(`auditField_${k}` as ConsoleKey) : k,
        ),
      ),
    ];
  };

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
          {auditVerdictText(c, verdict, log.data?.anchoredSeq)}
        </p>
      ) : null}
      <ListTable
        {...loadedList(log)}
        empty={c('noAuditEvents')}
        class="audit-table"
        columns={['#', c('colTime'), c('colEvent'), c('colActor'), c('colDetail')]}
        row={(e) => (
          <tr key={e.seq} data-event={e.type}>
            <td>{e.seq}</td>
            <td>{formatDateTime(e.at, locale)}</td>
            <td>{t(EVENT_TEXT, e.type, locale)}</td>
            <td>
              {(e.actor.id && names.get(e.actor.id)) ??
                lookup(ROLE_TEXT, e.actor.role ?? e.actor.kind, locale)}
              {e.actor.id && names.get(e.actor.id) ? (
                <span class="cell-sub">{lookup(ROLE_TEXT, e.actor.role ?? e.actor.kind, locale)}</span>
              ) : null}
            </td>
            <td>
              <p>{summary(e)}</p>
              {changed(e).length > 0 ? (
                <p class="cell-sub">{c('auditChangedFields', { fields: changed(e).join(', ') })}</p>
              ) : null}
            </td>
          </tr>
        )}
      />
    </section>
  );
}
