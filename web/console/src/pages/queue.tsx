import { useEffect, useState } from 'preact/hooks';
import { CLAIM_STATUSES } from '../../../../lambdas/core/claim.ts';
import { CAUSE_TEXT, STATUS_TEXT, t } from '../../../../lambdas/core/messages.ts';
import { PRODUCT_LINES } from '../../../../lambdas/core/products.ts';
import { SEARCH_KINDS, type SearchKind } from '../../../../lambdas/core/search.ts';
import { StatusBadge } from '../../../shared/claim-ui.tsx';
import { ErrorBanner, PageHeading, Spinner } from '../../../shared/components.tsx';
import { formatDate, formatDateTime, formatTime, money } from '../../../shared/format.ts';
import { LINE_TEXT, lookup } from '../../../shared/i18n.ts';
import { navigate } from '../../../shared/router.ts';
import { useConsole, useLoad } from '../context.ts';
import { DEADLINE_KIND_TEXT, useText } from '../i18n.ts';
import { queueViews } from '../permissions.ts';
import { countdown, useNow } from '../time.ts';
import type { QueueItem, QueueView } from '../types.ts';

/** Filters live in the hash (`#/queue?view=team&status=…`, `#/queue?q=…&by=plate`) so they can be shared. */
function parseQuery(route: string) {
  const p = new URLSearchParams(route.split('?')[1] ?? '');
  return {
    view: p.get('view') ?? undefined,
    status: p.get('status') ?? '',
    line: p.get('line') ?? '',
    q: p.get('q') ?? '',
    by: p.get('by') ?? '',
  };
}
type QueryPatch = Partial<{ view: string; status: string; line: string; q: string; by: string }>;

const REFRESH_MS = 30_000;
const PAGE_SIZE = 25;

/** A page of the queue or of search results. */
interface ListPage {
  items: QueueItem[];
  nextCursor: string | null;
  total?: number;
  by?: SearchKind;
}

export function QueuePage({ route }: { route: string }) {
  const { api, me } = useConsole();
  const { locale, tr, c } = useText();
  const views = queueViews(me);
  const query = parseQuery(route);
  const view: QueueView = views.includes(query.view as QueueView)
    ? (query.view as QueueView)
    : (views[0] ?? 'all');
  const [search, setSearch] = useState(query.q);
  const [searchBy, setSearchBy] = useState(query.by);
  const now = useNow(1000);
  const searching = query.q.trim().length > 0;

  const go = (patch: QueryPatch) => {
    const next = { ...query, view, ...patch };
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(next)) if (v) p.set(k, v);
    navigate(`/queue?${p.toString()}`, { replace: true });
  };

  // Searching looks in every status (GET /claims/search); otherwise the queue view and its filters.
  const qs = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (searching) {
    qs.set('q', query.q.trim());
    if ((SEARCH_KINDS as readonly string[]).includes(query.by)) qs.set('by', query.by);
  } else {
    qs.set('view', view);
    if (query.status) qs.set('status', query.status);
    if (query.line) qs.set('line', query.line);
  }
  const url = `${searching ? '/claims/search' : '/queue'}?${qs.toString()}`;
  // `route` too: choosing the view already shown (or following a link to it) loads it afresh.
  const { data, error, loading, reload } = useLoad(() => api.get<ListPage>(url), [api, url, route]);
  const [loadedAt, setLoadedAt] = useState<Date | null>(null);
  /** Pages after the first, fetched with "Show more"; a reload starts again from the first page. */
  const [more, setMore] = useState<{ items: QueueItem[]; cursor: string | null }>({
    items: [],
    cursor: null,
  });
  const [moreLoading, setMoreLoading] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  useEffect(() => {
    if (!data) return;
    setLoadedAt(new Date());
    setMore({ items: [], cursor: data.nextCursor });
    setMoreError(null);
  }, [data]);
  const paged = more.items.length > 0;
  useEffect(() => {
    // Refreshing would drop the pages the user has opened: only the first page refreshes itself.
    if (paged) return;
    const timer = setInterval(() => void reload(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload, paged]);

  const loadMore = async () => {
    if (!more.cursor) return;
    setMoreLoading(true);
    try {
      const page = await api.get<ListPage>(`${url}&cursor=${encodeURIComponent(more.cursor)}`);
      setMore((m) => ({ items: [...m.items, ...page.items], cursor: page.nextCursor }));
      setMoreError(null);
    } catch (err) {
      setMoreError(err);
    } finally {
      setMoreLoading(false);
    }
  };

  const items = data ? [...data.items, ...more.items] : [];
  const total = data?.total;
  const countLine =
    total !== undefined
      ? items.length < total
        ? c('queueShownOf', { count: items.length, total })
        : c('queueCount', { count: total })
      : more.cursor
        ? c('queueShown', { count: items.length })
        : c('queueCount', { count: items.length });
  return (
    <section class="queue-page">
      <div class="page-head">
        <PageHeading>{c('queueTitle')}</PageHeading>
        <div class="refresh-row">
          <button
            type="button"
            class="btn btn-secondary btn-small"
            onClick={() => void reload()}
            disabled={loading}
          >
            <span aria-hidden="true">↻ </span>
            {loading ? tr('refreshing') : tr('refresh')}
          </button>
          <span class="hint" aria-live="polite">
            {loadedAt ? tr('updatedAt', { time: formatTime(loadedAt, locale) }) : ''}
            {paged ? '' : ` · ${c('autoRefresh')}`}
          </span>
        </div>
      </div>

      <div class="tabs" role="tablist" aria-label={c('queueViews')}>
        {views.map((v) => (
          <button
            key={v}
            type="button"
            role="tab"
            aria-selected={!searching && v === view}
            class={`tab${!searching && v === view ? ' is-active' : ''}`}
            data-view={v}
            onClick={() => {
              setSearch('');
              go({ view: v, q: '', by: '' });
            }}
          >
            {c(`view_${v}`)}
          </button>
        ))}
      </div>

      <form
        class="filters card"
        aria-label={c('search')}
        onSubmit={(e) => {
          e.preventDefault();
          go({ q: search.trim(), by: searchBy });
        }}
      >
        {searching ? null : (
          <>
            <label class="filter">
              <span>{c('filterStatus')}</span>
              <select
                name="status"
                value={query.status}
                onChange={(e) => go({ status: e.currentTarget.value })}
              >
                <option value="">{c('anyStatus')}</option>
                {CLAIM_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(STATUS_TEXT, s, locale)}
                  </option>
                ))}
              </select>
            </label>
            <label class="filter">
              <span>{c('filterLine')}</span>
              <select name="line" value={query.line} onChange={(e) => go({ line: e.currentTarget.value })}>
                <option value="">{c('anyLine')}</option>
                {PRODUCT_LINES.map((l) => (
                  <option key={l} value={l}>
                    {lookup(LINE_TEXT, l, locale)}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        <label class="filter filter-search">
          <span>{c('search')}</span>
          <input
            type="search"
            name="q"
            minLength={2}
            maxLength={40}
            value={search}
            placeholder="BT-2026-… · 30A-123.45 · 0912…"
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
        </label>
        <label class="filter">
          <span>{c('searchBy')}</span>
          <select name="by" value={searchBy} onChange={(e) => setSearchBy(e.currentTarget.value)}>
            <option value="">{c('searchKind_auto')}</option>
            {SEARCH_KINDS.map((k) => (
              <option key={k} value={k}>
                {c(`searchKind_${k}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="btn btn-primary btn-small">
          {c('searchButton')}
        </button>
        {query.status || query.line || query.q ? (
          <button
            type="button"
            class="btn btn-ghost btn-small"
            onClick={() => {
              setSearch('');
              setSearchBy('');
              go({ status: '', line: '', q: '', by: '' });
            }}
          >
            {searching ? c('backToQueue') : c('clearFilters')}
          </button>
        ) : null}
      </form>

      <ErrorBanner error={error} onRetry={() => void reload()} />
      {!data && loading ? <Spinner label={tr('loading')} /> : null}
      {data ? (
        <>
          {searching ? (
            <h2 class="section-title search-title">
              {c('searchResults', { q: query.q.trim(), by: data.by ? c(`searchKind_${data.by}`) : '' })}
            </h2>
          ) : null}
          <p class="hint queue-count">{countLine}</p>
          {items.length === 0 ? (
            <p class="card empty">{searching ? c('searchEmpty') : c('queueEmpty')}</p>
          ) : (
            <div class="table-wrap card">
              <table class="queue-table">
                <thead>
                  <tr>
                    <th scope="col">{c('colClaim')}</th>
                    <th scope="col">{c('colStatus')}</th>
                    <th scope="col">{c('colLoss')}</th>
                    <th scope="col" class="num">
                      {c('colEstimate')}
                    </th>
                    <th scope="col">{c('colAssignee')}</th>
                    <th scope="col">{c('colDeadline')}</th>
                    <th scope="col">{c('colFlags')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((item) => (
                    <QueueRow key={item.claimId} item={item} now={now} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <ErrorBanner error={moreError} onRetry={() => void loadMore()} />
          {more.cursor ? (
            <p class="load-more">
              <button
                type="button"
                class="btn btn-secondary"
                data-action="load-more"
                onClick={() => void loadMore()}
                disabled={moreLoading}
              >
                {moreLoading ? tr('loading') : tr('loadMore')}
              </button>
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function QueueRow({ item, now }: { item: QueueItem; now: number }) {
  const { locale, c } = useText();
  // A missed deadline outranks the next one: the row is red because of it, so name it.
  const deadline = item.breachedDeadline ?? item.nextDeadline;
  const cd = deadline ? countdown(deadline.dueAt, now) : null;
  const href = `#/claims/${encodeURIComponent(item.claimId)}`;
  return (
    <tr
      class={`queue-row flag-${item.deadlineFlag}`}
      data-claim-number={item.claimNumber}
      data-flag={item.deadlineFlag}
    >
      <td>
        <a class="claim-link" href={href}>
          {item.claimNumber}
        </a>
        <span class="cell-sub">
          {item.policyNumber} · {c(`channel_${item.channel}`)}
        </span>
      </td>
      <td>
        <StatusBadge status={item.status} />
      </td>
      <td>
        {item.line ? lookup(LINE_TEXT, item.line, locale) : item.productCode} ·{' '}
        {t(CAUSE_TEXT, item.cause, locale)}
        <span class="cell-sub">{formatDate(item.lossAt, locale)}</span>
      </td>
      <td class="num">{money(item.estimatedAmount, locale)}</td>
      <td>{item.assignee?.name ?? (item.assignedQueue ? c('supervisorsQueue') : c('unassigned'))}</td>
      <td class="deadline-cell">
        {deadline && cd ? (
          <>
            <span class="deadline-kind">{lookup(DEADLINE_KIND_TEXT, deadline.kind, locale)}</span>
            <time
              class={`countdown${cd.key.startsWith('over') ? ' is-over' : ''}`}
              dateTime={deadline.dueAt}
              title={formatDateTime(deadline.dueAt, locale)}
            >
              {c(cd.key, cd.params)}
            </time>
          </>
        ) : (
          <span class="hint">—</span>
        )}
        {item.deadlineFlag === 'breached' || item.deadlineFlag === 'at_risk' ? (
          <span class={`flag-badge flag-badge-${item.deadlineFlag}`}>{c(`flag_${item.deadlineFlag}`)}</span>
        ) : null}
      </td>
      <td class="flags-cell">
        {item.fraudIndicators > 0 ? (
          <span class="badge badge-danger">{c('fraudShort', { count: item.fraudIndicators })}</span>
        ) : null}
        {item.missingDocuments.length > 0 ? (
          <span class="badge badge-action">
            {c('missingDocsShort', { count: item.missingDocuments.length })}
          </span>
        ) : null}
      </td>
    </tr>
  );
}
