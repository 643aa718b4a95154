import type { ComponentChildren, VNode } from 'preact';
import { useState } from 'preact/hooks';
import { ErrorBanner, Spinner } from '../../shared/components.tsx';
import { useLocale } from '../../shared/locale.tsx';
import { useConsole, useLoad } from './context.ts';

/** One page of a list the API pages with a cursor it signed for this caller and this query. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A paged list: the first page loads with `useLoad` (kept on screen while it reloads), `more`
 * appends the next page. `path` null means "nothing asked yet" (a search before its first submit).
 */
export function usePagedList<T>(path: string | null) {
  const { api } = useConsole();
  const first = useLoad(() => (path ? api.get<Page<T>>(path) : Promise.resolve(null)), [api, path]);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [moreBusy, setMoreBusy] = useState(false);
  const nextCursor = first.data?.nextCursor ?? null;
  const more = async () => {
    if (!path || !nextCursor) return;
    setMoreError(null);
    setMoreBusy(true);
    try {
      const sep = !path.includes('?') ? '?' : /[?&]$/.test(path) ? '' : '&';
      const page = await api.get<Page<T>>(`${path}${sep}cursor=${encodeURIComponent(nextCursor)}`);
      first.setData((d) => (d ? { items: [...d.items, ...page.items], nextCursor: page.nextCursor } : d));
    } catch (err) {
      setMoreError(err);
    } finally {
      setMoreBusy(false);
    }
  };
  return {
    items: first.data?.items ?? null,
    nextCursor,
    loading: path ? first.loading : false,
    error: moreError ?? first.error,
    reload: () => {
      setMoreError(null);
      return first.reload();
    },
    more,
    moreBusy,
  };
}

/** A `useLoad` list (`{ items }` answers) as ListTable takes it: its items, load state and retry. */
export function loadedList<T>(list: {
  data: { items: T[] } | null;
  loading: boolean;
  error: unknown;
  reload: () => Promise<unknown>;
}) {
  return {
    items: list.data?.items,
    loading: list.loading,
    error: list.error,
    onRetry: () => void list.reload(),
  };
}

/** A data table: one header row of column titles, then one row per item, drawn (and keyed) by the page. */
export function DataTable<T>({
  columns,
  items,
  row,
  class: cls,
  card = true,
}: {
  columns: readonly ComponentChildren[];
  items: readonly T[];
  row: (item: T) => VNode;
  /** Added to `data-table`: the name the page's styles and browser tests know the table by. */
  class?: string;
  /** Drawn as a card of its own (false inside a card that is already there). */
  card?: boolean;
}) {
  return (
    <div class={card ? 'table-wrap card' : 'table-wrap'}>
      <table class={cls ? `data-table ${cls}` : 'data-table'}>
        <thead>
          <tr>
            {columns.map((title, i) => (
              // A table's columns never reorder: their place is their identity.
              <th key={i} scope="col">
                {title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{items.map(row)}</tbody>
      </table>
    </div>
  );
}

/**
 * Every console list in one shape: its error (with a retry where the page offers one), a spinner
 * until the first answer, then the empty line or the table, and "more" while the API has more.
 * `items` is null until the list has answered once.
 */
export function ListTable<T>({
  items,
  loading,
  error,
  onRetry,
  empty,
  more,
  card = true,
  ...table
}: {
  items: readonly T[] | null | undefined;
  loading: boolean;
  error?: unknown;
  onRetry?: () => void;
  empty: ComponentChildren;
  more?: { label: ComponentChildren; onMore: () => void; busy?: boolean; action?: string } | null;
  card?: boolean;
  columns: readonly ComponentChildren[];
  row: (item: T) => VNode;
  class?: string;
}) {
  const { tr } = useLocale();
  return (
    <>
      <ErrorBanner error={error} onRetry={onRetry} />
      {!items ? (
        loading ? (
          <Spinner label={tr('loading')} />
        ) : null
      ) : items.length === 0 ? (
        <p class={card ? 'card empty' : 'empty'}>{empty}</p>
      ) : (
        <DataTable items={items} card={card} {...table} />
      )}
      {more ? (
        <button
          type="button"
          class="btn btn-secondary"
          data-action={more.action}
          disabled={more.busy}
          onClick={more.onMore}
        >
          {more.label}
        </button>
      ) : null}
    </>
  );
}
