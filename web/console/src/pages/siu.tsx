import { useState } from 'preact/hooks';
import type { SiuOutcome, SiuStatus } from '../../../../lambdas/core/claim.ts';
import { ErrorBanner, PageHeading, Spinner } from '../../../shared/components.tsx';
import { money } from '../../../shared/format.ts';
import { useLocale } from '../../../shared/locale.tsx';
import type { Locale } from '../../../../lambdas/core/messages.ts';
import { useConsole, useLoad } from '../context.ts';
import { type SiuKey, siuText } from '../siu-text.ts';

interface SiuItem {
  claimId: string;
  claimNumber: string;
  status: SiuStatus;
  score: number;
  amount: number;
  reasons: string[];
  outcome?: SiuOutcome;
  indicators: { code: string; detail?: { vi: string; en: string } }[];
  links: { kind: string; claims: { claimId: string; claimNumber: string }[] }[];
}

/** SIU staff: referred claims, investigations and outcomes (GET /siu/cases, POST …/start, …/outcome). */
export function SiuPage() {
  const { api } = useConsole();
  const { locale, tr } = useLocale();
  const s = siuText(locale);
  const [status, setStatus] = useState<SiuStatus>('referred');
  const [error, setError] = useState<unknown>();
  const list = useLoad(() => api.get<{ items: SiuItem[] }>(`/siu/cases?status=${status}`), [api, status]);
  const act = async (path: string, body: unknown) => {
    setError(undefined);
    try {
      await api.post(path, body);
      await list.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section class="admin-page siu-page">
      <div class="page-head">
        <PageHeading>{s('siuTitle')}</PageHeading>
      </div>
      <div class="tabs" role="tablist" aria-label={s('siuTitle')}>
        {(['referred', 'investigating', 'closed'] as const).map((st) => (
          <button
            key={st}
            type="button"
            role="tab"
            aria-selected={status === st}
            class={`tab${status === st ? ' is-active' : ''}`}
            onClick={() => setStatus(st)}
          >
            {s(st)}
          </button>
        ))}
      </div>
      <ErrorBanner error={error ?? list.error} onRetry={() => void list.reload()} />
      {!list.data ? (
        list.loading ? (
          <Spinner label={tr('loading')} />
        ) : null
      ) : list.data.items.length === 0 ? (
        <p class="card empty">{s('none')}</p>
      ) : (
        <div class="table-wrap card">
          <table class="data-table siu-table">
            <thead>
              <tr>
                <th scope="col">{s('colClaim')}</th>
                <th scope="col">{s('colScore')}</th>
                <th scope="col">{s('colReasons')}</th>
                <th scope="col">{s('colLinks')}</th>
                <th scope="col">{s('colOutcome')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((i) => (
                <SiuRow key={i.claimId} item={i} onAct={act} locale={locale} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function SiuRow({
  item,
  onAct,
  locale,
}: {
  item: SiuItem;
  onAct: (path: string, body: unknown) => Promise<void>;
  locale: Locale;
}) {
  const s = siuText(locale);
  const [note, setNote] = useState('');
  return (
    <tr data-claim={item.claimNumber}>
      <td>
        <a href={`#/claims/${item.claimId}`}>{item.claimNumber}</a>
        <div class="hint">{money({ amount: item.amount, currency: 'VND' }, locale)}</div>
      </td>
      <td>{item.score.toFixed(3)}</td>
      <td>
        <ul>
          {item.indicators.map((f) => (
            <li key={f.code}>{f.detail ? f.detail[locale] : f.code}</li>
          ))}
        </ul>
      </td>
      <td>
        {item.links.map((l) => (
          <div key={l.kind}>
            {s(l.kind as SiuKey)}:{' '}
            {l.claims.map((o) => (
              <a key={o.claimId} href={`#/claims/${o.claimId}`}>
                {o.claimNumber}{' '}
              </a>
            ))}
          </div>
        ))}
      </td>
      <td>
        {item.status === 'referred' ? (
          <button
            type="button"
            class="btn btn-secondary"
            onClick={() => void onAct(`/siu/cases/${item.claimId}/start`, {})}
          >
            {s('start')}
          </button>
        ) : null}
        {item.status === 'investigating' ? (
          <div class="siu-outcome">
            <label>
              {s('note')}
              <textarea value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
            </label>
            {(['cleared', 'confirmed'] as const).map((o) => (
              <button
                key={o}
                type="button"
                class="btn btn-secondary"
                onClick={() => void onAct(`/siu/cases/${item.claimId}/outcome`, { outcome: o, note })}
              >
                {s(o)}
              </button>
            ))}
          </div>
        ) : null}
        {item.status === 'closed' && item.outcome ? <strong>{s(item.outcome)}</strong> : null}
      </td>
    </tr>
  );
}
