import { useState } from 'preact/hooks';
import type { ImportCounts, ImportRowError } from '../../../../../lambdas/core/policy-import.ts';
import { ErrorBanner, PageHeading, Spinner } from '../../../../shared/components.tsx';
import { formatDateTime } from '../../../../shared/format.ts';
import { useLocale } from '../../../../shared/locale.tsx';
import { useConsole, useLoad } from '../../context.ts';

/** Strings of the policy-import page (kept beside it, as the finance page does). */
const TEXT = {
  nav: { vi: 'Nhập hợp đồng', en: 'Policy imports' },
  title: {
    vi: 'Nhập hợp đồng từ hệ thống quản lý hợp đồng',
    en: 'Policies from the policy administration system',
  },
  none: { vi: 'Chưa có lần nhập nào.', en: 'No imports yet.' },
  refresh: { vi: 'Làm mới', en: 'Refresh' },
  file: { vi: 'Tệp', en: 'File' },
  started: { vi: 'Bắt đầu', en: 'Started' },
  status: { vi: 'Trạng thái', en: 'Status' },
  rows: { vi: 'Dòng', en: 'Rows' },
  created: { vi: 'Mới', en: 'New' },
  replaced: { vi: 'Phiên bản mới', en: 'Newer version' },
  unchanged: { vi: 'Không đổi', en: 'Unchanged' },
  rejected: { vi: 'Lỗi', en: 'Rejected' },
  report: { vi: 'Báo cáo lỗi', en: 'Error report' },
  line: { vi: 'Dòng', en: 'Line' },
  code: { vi: 'Mã lỗi', en: 'Code' },
  field: { vi: 'Trường', en: 'Field' },
  policy: { vi: 'Hợp đồng', en: 'Policy' },
  message: { vi: 'Chi tiết', en: 'Detail' },
  noErrors: { vi: 'Không có dòng lỗi.', en: 'No bad rows.' },
  more: { vi: 'Xem thêm', en: 'More' },
  running: { vi: 'Đang nhập', en: 'Running' },
  completed: { vi: 'Hoàn tất', en: 'Completed' },
  failed: { vi: 'Thất bại', en: 'Failed' },
} as const;
export const policyImportsNavLabel = (locale: 'vi' | 'en') => TEXT.nav[locale];

interface ImportView {
  importId: string;
  key: string;
  status: 'running' | 'completed' | 'failed';
  counts: ImportCounts;
  checkpointLine: number;
  startedAt: string;
  finishedAt?: string;
  failure?: ImportRowError;
}
interface ReportPage {
  import: ImportView;
  errors: ImportRowError[];
  nextCursor: string | null;
}

/** Each import with its counts; one opened with its error report (line, coded reason), page by page. */
export function PolicyImportsPage() {
  const { api } = useConsole();
  const { locale } = useLocale();
  const x = (k: keyof typeof TEXT) => TEXT[k][locale === 'en' ? 'en' : 'vi'];
  const list = useLoad(() => api.get<{ items: ImportView[] }>('/admin/policy-imports?limit=50'), [api]);
  const [open, setOpen] = useState<string | null>(null);
  const [report, setReport] = useState<{ errors: ImportRowError[]; next: string | null } | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = async (importId: string, cursor?: string) => {
    setError(null);
    try {
      const q = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await api.get<ReportPage>(`/admin/policy-imports/${importId}?limit=100${q}`);
      setReport((prev) => ({
        errors: cursor && prev ? [...prev.errors, ...page.errors] : page.errors,
        next: page.nextCursor,
      }));
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section class="admin-page" data-page="policy-imports">
      <div class="page-head">
        <PageHeading>{x('title')}</PageHeading>
        <button type="button" class="btn btn-secondary btn-small" onClick={() => void list.reload()}>
          ↻ {x('refresh')}
        </button>
      </div>
      <ErrorBanner error={list.error ?? error} onRetry={() => void list.reload()} />
      {!list.data ? (
        list.loading ? (
          <Spinner label="…" />
        ) : null
      ) : list.data.items.length === 0 ? (
        <p class="card empty">{x('none')}</p>
      ) : (
        <div class="table-wrap card">
          <table class="data-table">
            <thead>
              <tr>
                <th scope="col">{x('file')}</th>
                <th scope="col">{x('started')}</th>
                <th scope="col">{x('status')}</th>
                <th scope="col">{x('rows')}</th>
                <th scope="col">{x('created')}</th>
                <th scope="col">{x('replaced')}</th>
                <th scope="col">{x('unchanged')}</th>
                <th scope="col">{x('rejected')}</th>
                <th scope="col">{x('report')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((i) => (
                <tr key={i.importId} data-import={i.importId} data-status={i.status}>
                  <td>
                    <code>{i.key}</code>
                    {i.failure ? (
                      <span class="cell-sub">{`${i.failure.code}: ${i.failure.message}`}</span>
                    ) : null}
                  </td>
                  <td>{formatDateTime(i.startedAt, locale)}</td>
                  <td>{x(i.status)}</td>
                  <td>{i.counts.rows}</td>
                  <td>{i.counts.created}</td>
                  <td>{i.counts.replaced + i.counts.historyOnly}</td>
                  <td>{i.counts.unchanged}</td>
                  <td>{i.counts.rejected}</td>
                  <td>
                    <button
                      type="button"
                      class="btn btn-ghost btn-small"
                      aria-expanded={open === i.importId}
                      onClick={() => {
                        const next = open === i.importId ? null : i.importId;
                        setOpen(next);
                        setReport(null);
                        if (next) void load(next);
                      }}
                    >
                      {x('report')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open && report ? (
        <div class="card" data-report={open}>
          <h2>{x('report')}</h2>
          {report.errors.length === 0 ? (
            <p class="empty">{x('noErrors')}</p>
          ) : (
            <table class="data-table">
              <thead>
                <tr>
                  <th scope="col">{x('line')}</th>
                  <th scope="col">{x('code')}</th>
                  <th scope="col">{x('field')}</th>
                  <th scope="col">{x('policy')}</th>
                  <th scope="col">{x('message')}</th>
                </tr>
              </thead>
              <tbody>
                {report.errors.map((e) => (
                  <tr key={`${e.line}-${e.code}-${e.field ?? ''}`} data-line={e.line} data-code={e.code}>
                    <td>{e.line}</td>
                    <td>
                      <code>{e.code}</code>
                    </td>
                    <td>{e.field ?? ''}</td>
                    <td>{e.policyNumber ?? ''}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {report.next ? (
            <button
              type="button"
              class="btn btn-secondary btn-small"
              onClick={() => void load(open, report.next ?? undefined)}
            >
              {x('more')}
            </button>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
