import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ThreadMessage } from '../../lambdas/core/claim-thread.ts';
import { MESSAGE_MAX_CHARS, MessageBody } from '../../lambdas/core/requests.ts';
import type { ApiClient } from './api.ts';
import { ErrorBanner, TextAreaField } from './components.tsx';
import { formatDateTime } from './format.ts';
import { useLocale } from './locale.tsx';

/**
 * The message thread of a claim (issue 10), the same on both sides: the customer's app and the
 * console's claim page. Newest first, one page at a time; `canPost` hides the form for staff who
 * may read the claim but do not handle it.
 */
export function MessageThread(props: {
  api: ApiClient;
  claimId: string;
  canPost: boolean;
  audience: 'customer' | 'staff';
}) {
  const { api, claimId, canPost, audience } = props;
  const { locale, tr } = useLocale();
  const [items, setItems] = useState<ThreadMessage[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [text, setText] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const path = `/claims/${encodeURIComponent(claimId)}/messages`;

  const load = useCallback(
    async (more?: string) => {
      try {
        const page = await api.get<{ items: ThreadMessage[]; cursor?: string }>(
          `${path}?limit=20${more ? `&cursor=${encodeURIComponent(more)}` : ''}`,
        );
        setItems((xs) => (more ? [...xs, ...page.items] : page.items));
        setCursor(page.cursor);
        setError(null);
      } catch (err) {
        setError(err);
      }
    },
    [api, path],
  );
  useEffect(() => void load(), [load]);

  async function onSubmit(e: Event) {
    e.preventDefault();
    const parsed = MessageBody.safeParse({ text });
    if (!parsed.success) {
      setFieldError('required');
      document.getElementById('f-message-text')?.focus();
      return;
    }
    setBusy(true);
    try {
      await api.post(path, parsed.data);
      setText('');
      await load();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const mine = (m: ThreadMessage) => (audience === 'customer' ? m.from === 'customer' : m.from === 'staff');
  return (
    <section class="card message-thread" aria-labelledby="thread-title">
      <h2 id="thread-title" class="section-title">
        {tr('threadTitle')}
      </h2>
      {items.length === 0 ? <p class="hint">{tr('threadEmpty')}</p> : null}
      <ol class="thread-list">
        {items.map((m) => (
          <li
            key={m.seq}
            class={`thread-message from-${m.from}${mine(m) ? ' is-mine' : ''}`}
            data-from={m.from}
          >
            <p class="thread-meta">
              {m.from === 'customer' ? tr('threadFromCustomer') : tr('threadFromStaff')}
              {m.via === 'email' ? ` (${tr('threadViaEmail')})` : ''} ·{' '}
              <time dateTime={m.at}>{formatDateTime(m.at, locale)}</time>
            </p>
            <p class="thread-text">{m.text}</p>
          </li>
        ))}
      </ol>
      {cursor ? (
        <button type="button" class="btn btn-ghost btn-small" onClick={() => void load(cursor)}>
          {tr('threadOlder')}
        </button>
      ) : null}
      <ErrorBanner error={error} />
      {canPost ? (
        <form noValidate onSubmit={onSubmit}>
          <TextAreaField
            path="message-text"
            label={tr('threadWrite')}
            required
            rows={3}
            maxLength={MESSAGE_MAX_CHARS}
            value={text}
            error={fieldError}
            onValue={(v) => {
              setText(v);
              setFieldError(undefined);
            }}
          />
          <button type="submit" class="btn btn-primary" disabled={busy} aria-busy={busy}>
            {tr('threadSend')}
          </button>
        </form>
      ) : null}
    </section>
  );
}
