import type { ComponentChildren } from 'preact';
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { isApiError } from '../../../../shared/api.ts';
import { ErrorBanner, PageHeading, Spinner } from '../../../../shared/components.tsx';
import { formatDateTime } from '../../../../shared/format.ts';
import { useConsole, useLoad } from '../../context.ts';
import { useText } from '../../i18n.ts';
import { isAdmin } from '../../permissions.ts';

/** An item of configuration the API versions: saving needs the version it was read at. */
interface Versioned {
  version: number;
  updatedAt?: string | null;
}

/** After a save (or a conflict): show the message and load what is in force. */
export type OnSaved = (message: string, kind: 'success' | 'warning') => Promise<unknown>;

/** What the page hands to its editor. */
export interface EditorProps<T> {
  entry: T;
  onSaved: OnSaved;
  /** The admin changed something: the "saved" banner no longer applies. */
  onEdit: () => void;
}

/**
 * An admin page over a list of versioned items (products, templates): loads them, lets the admin pick
 * one and shows its editor, keyed by id and version so that a save (or a conflict) remounts it with
 * what is in force. The "saved" message is kept here, since that remount would drop it.
 */
export function VersionedConfigPage<T extends Versioned>(props: {
  title: string;
  readOnlyHint: string;
  /** GET path answering `{ items }`. */
  path: string;
  idOf: (item: T) => string;
  picker: (items: T[], selected: T | undefined, pick: (id: string) => void) => ComponentChildren;
  editor: (props: EditorProps<T>) => ComponentChildren;
}) {
  const { api, me } = useConsole();
  const { tr } = useText();
  const { path, idOf } = props;
  const data = useLoad(() => api.get<{ items: T[] }>(path), [api, path]);
  const [id, setId] = useState<string | null>(null);
  const [saved, setSaved] = useState<{ text: string; kind: 'success' | 'warning' } | null>(null);
  const items = data.data?.items ?? [];
  const entry = items.find((i) => idOf(i) === id) ?? items[0];

  return (
    <section class="admin-page">
      <PageHeading>{props.title}</PageHeading>
      {!isAdmin(me) ? <p class="hint">{props.readOnlyHint}</p> : null}
      <ErrorBanner error={data.error} onRetry={() => void data.reload()} />
      {!data.data ? (
        data.loading ? (
          <Spinner label={tr('loading')} />
        ) : null
      ) : (
        <>
          {props.picker(items, entry, (next) => {
            setId(next);
            setSaved(null);
          })}
          {saved ? (
            <div class={`banner banner-${saved.kind}`} role="status">
              <p>{saved.text}</p>
            </div>
          ) : null}
          {entry ? (
            <Fragment key={`${idOf(entry)}-${entry.version}`}>
              {props.editor({
                entry,
                onSaved: async (text, kind) => {
                  setSaved({ text, kind });
                  await data.reload();
                },
                onEdit: () => setSaved(null),
              })}
            </Fragment>
          ) : null}
        </>
      )}
    </section>
  );
}

/** "Version n · by/when" above an editor. */
export function VersionHint({ entry }: { entry: Versioned }) {
  const { locale, c } = useText();
  return (
    <p class="hint">
      {c('productVersion', {
        version: entry.version,
        by:
          entry.version === 0
            ? c('shippedDefault')
            : entry.updatedAt
              ? ` · ${formatDateTime(entry.updatedAt, locale)}`
              : '',
      })}
    </p>
  );
}

/** The error banner for a failed save, unless the failure is already shown as field issues. */
export function SaveErrorBanner({ error }: { error: unknown }) {
  return <ErrorBanner error={error && !(isApiError(error) && error.fields.length > 0) ? error : null} />;
}

/**
 * Save with the version the editor was opened at. Success and a 409 VERSION_CONFLICT (someone else
 * saved first: the editor reloads with theirs, the banner says why) both end in `onSaved`.
 */
export async function saveVersioned<R extends { changed: boolean; pending?: unknown }>(opts: {
  put: () => Promise<R>;
  savedText: (result: R) => string;
  onSaved: OnSaved;
  failed: (err: unknown) => void;
  setBusy: (busy: boolean) => void;
  c: ReturnType<typeof useText>['c'];
}) {
  const { c } = opts;
  opts.setBusy(true);
  try {
    const r = await opts.put();
    // A loosened money control waits for a second administrator (Pending changes).
    if (r.pending) await opts.onSaved(c('changePendingSaved'), 'warning');
    else await opts.onSaved(r.changed ? opts.savedText(r) : c('configUnchanged'), 'success');
  } catch (err) {
    opts.failed(err);
    if (isApiError(err) && err.code === 'VERSION_CONFLICT')
      await opts.onSaved(c('configConflict'), 'warning');
  } finally {
    opts.setBusy(false);
  }
}
