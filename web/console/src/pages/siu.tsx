import { useState } from 'preact/hooks';
import type { SiuOutcome, SiuStatus } from '../../../../lambdas/core/claim.ts';
import { ErrorBanner, PageHeading, Spinner } from '../../../shared/components.tsx';
import { formatDate, money, todayInVietnam } from '../../../shared/format.ts';
import { useLocale } from '../../../shared/locale.tsx';
import type { Locale } from '../../../../lambdas/core/messages.ts';
import { PRODUCT_CODES } from '../../../../lambdas/core/products.ts';
import { productOf, useConsole, useLoad } from '../context.ts';
import { lookup } from '../../../shared/i18n.ts';
import { INDICATOR_TEXT } from '../../../../lambdas/core/messages.ts';
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

type Tab = SiuStatus | 'paid';

/**
 * SIU staff: referred claims, investigations and outcomes (GET /siu/cases, POST …/start, …/outcome),
 * the retrospective review of paid claims (GET /siu/paid) and the training export (GET /siu/export).
 */
export function SiuPage() {
  const { locale } = useLocale();
  const s = siuText(locale);
  const [tab, setTab] = useState<Tab>('referred');
  return (
    <section class="admin-page siu-page">
      <div class="page-head">
        <PageHeading>{s('siuTitle')}</PageHeading>
        <ExportButton />
      </div>
      <div class="tabs" role="tablist" aria-label={s('siuTitle')}>
        {(['referred', 'investigating', 'closed', 'paid'] as const).map((st) => (
          <button
            key={st}
            type="button"
            role="tab"
            aria-selected={tab === st}
            class={`tab${tab === st ? ' is-active' : ''}`}
            onClick={() => setTab(st)}
          >
            {s(st)}
          </button>
        ))}
      </div>
      {tab === 'paid' ? <PaidReview /> : <SiuQueue status={tab} />}
    </section>
  );
}

/** The training CSV (closed cases with their label), saved under a dated file name. */
function ExportButton() {
  const { api } = useConsole();
  const { locale } = useLocale();
  const s = siuText(locale);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const download = async () => {
    setError(undefined);
    setDone(undefined);
    try {
      const blob = await api.getFile('/siu/export');
      const file = `siu-labelled-claims-${todayInVietnam()}.csv`;
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = file;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setDone(file);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div class="siu-export">
      <button
        type="button"
        class="btn btn-secondary"
        data-action="siu-export"
        onClick={() => void download()}
      >
        {s('export')}
      </button>
      {done ? (
        <p class="hint" role="status">
          {s('exportDone', { file: done })}
        </p>
      ) : null}
      <ErrorBanner error={error} />
    </div>
  );
}

interface PaidItem {
  claimId: string;
  claimNumber: string;
  productCode: string;
  paidAt: string | null;
  paidAmount: { amount: number; currency: 'VND' } | null;
  score: number | null;
  indicators: string[];
  siu: SiuStatus | null;
}

interface PaidFilters {
  product: string;
  paidFrom: string;
  paidTo: string;
  minScore: string;
  flagged: boolean;
}

const paidQuery = (f: PaidFilters, cursor?: string) => {
  const q = new URLSearchParams();
  if (f.product) q.set('product', f.product);
  if (f.paidFrom) q.set('paidFrom', f.paidFrom);
  if (f.paidTo) q.set('paidTo', f.paidTo);
  if (f.minScore.trim()) q.set('minScore', f.minScore.trim());
  if (f.flagged) q.set('flagged', 'true');
  if (cursor) q.set('cursor', cursor);
  return `/siu/paid?${q.toString()}`;
};

/** Paid claims searched by product, day paid, score and red flags, each linking to its claim. */
function PaidReview() {
  const { api, products } = useConsole();
  const { locale, tr } = useLocale();
  const s = siuText(locale);
  const [form, setForm] = useState<PaidFilters>({
    product: '',
    paidFrom: '',
    paidTo: '',
    minScore: '',
    flagged: false,
  });
  const [items, setItems] = useState<PaidItem[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>();
  const load = async (more: boolean) => {
    setError(undefined);
    setLoading(true);
    try {
      const r = await api.get<{ items: PaidItem[]; nextCursor: string | null }>(
        paidQuery(form, more ? (next ?? undefined) : undefined),
      );
      setItems(more ? [...(items ?? []), ...r.items] : r.items);
      setNext(r.nextCursor);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };
  const set = (k: keyof PaidFilters) => (e: Event) => {
    const t = e.target as HTMLInputElement;
    setForm({ ...form, [k]: t.type === 'checkbox' ? t.checked : t.value });
  };
  return (
    <div class="siu-paid">
      <h2>{s('paidTitle')}</h2>
      <form
        class="card filters siu-paid-filters"
        onSubmit={(e) => {
          e.preventDefault();
          void load(false);
        }}
      >
        <label>
          {s('paidProduct')}
          <select name="product" value={form.product} onChange={set('product')}>
            <option value="">{s('paidAnyProduct')}</option>
            {PRODUCT_CODES.map((p) => (
              <option key={p} value={p}>
                {productOf(products, p)?.name[locale] ?? p}
              </option>
            ))}
          </select>
        </label>
        <label>
          {s('paidFrom')}
          <input type="date" name="paidFrom" value={form.paidFrom} onInput={set('paidFrom')} />
        </label>
        <label>
          {s('paidTo')}
          <input type="date" name="paidTo" value={form.paidTo} onInput={set('paidTo')} />
        </label>
        <label>
          {s('paidMinScore')}
          <input
            type="number"
            name="minScore"
            min="0"
            max="1"
            step="0.01"
            value={form.minScore}
            onInput={set('minScore')}
          />
        </label>
        <label class="check">
          <input type="checkbox" name="flagged" checked={form.flagged} onChange={set('flagged')} />
          {s('paidFlagged')}
        </label>
        <button type="submit" class="btn btn-primary">
          {s('paidSearch')}
        </button>
      </form>
      <ErrorBanner error={error} />
      {loading && !items ? <Spinner label={tr('loading')} /> : null}
      {items && items.length === 0 ? <p class="card empty">{s('paidNone')}</p> : null}
      {items && items.length > 0 ? (
        <div class="table-wrap card">
          <table class="data-table siu-paid-table">
            <thead>
              <tr>
                <th scope="col">{s('colClaim')}</th>
                <th scope="col">{s('paidProduct')}</th>
                <th scope="col">{s('colPaidOn')}</th>
                <th scope="col">{s('colPaidAmount')}</th>
                <th scope="col">{s('colScore')}</th>
                <th scope="col">{s('colFlags')}</th>
                <th scope="col">{s('colSiu')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.claimId} data-paid-claim={i.claimNumber}>
                  <td>
                    <a href={`#/claims/${i.claimId}`}>{i.claimNumber}</a>
                  </td>
                  <td>{productOf(products, i.productCode)?.name[locale] ?? i.productCode}</td>
                  <td>{i.paidAt ? formatDate(i.paidAt, locale) : '—'}</td>
                  <td>{i.paidAmount ? money(i.paidAmount, locale) : '—'}</td>
                  <td>{i.score === null ? '—' : i.score.toFixed(3)}</td>
                  <td>{i.indicators.map((x) => lookup(INDICATOR_TEXT, x, locale)).join(', ') || '—'}</td>
                  <td>{i.siu ? s(i.siu) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {next ? (
        <button type="button" class="btn btn-secondary" disabled={loading} onClick={() => void load(true)}>
          {s('paidMore')}
        </button>
      ) : null}
    </div>
  );
}

/** One status of the SIU queue. */
function SiuQueue({ status }: { status: SiuStatus }) {
  const { api } = useConsole();
  const { locale, tr } = useLocale();
  const s = siuText(locale);
  const [error, setError] = useState<unknown>();
  const list = useLoad(
    () => api.get<{ items: SiuItem[]; nextCursor: string | null }>(`/siu/cases?status=${status}&limit=50`),
    [api, status],
  );
  // The next page, signed for this user and this status by the API; appended to what is shown.
  const more = async () => {
    const cursor = list.data?.nextCursor;
    if (!cursor || !list.data) return;
    setError(undefined);
    try {
      const r = await api.get<{ items: SiuItem[]; nextCursor: string | null }>(
        `/siu/cases?status=${status}&limit=50&cursor=${encodeURIComponent(cursor)}`,
      );
      list.setData({ items: [...list.data.items, ...r.items], nextCursor: r.nextCursor });
    } catch (e) {
      setError(e);
    }
  };
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
    <>
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
      {list.data?.nextCursor ? (
        <button type="button" class="btn btn-secondary" data-action="siu-more" onClick={() => void more()}>
          {s('paidMore')}
        </button>
      ) : null}
    </>
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
            <li key={f.code}>{f.detail ? f.detail[locale] : lookup(INDICATOR_TEXT, f.code, locale)}</li>
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
