import { useState } from 'preact/hooks';
import type { SiuOutcome, SiuStatus } from '../../../../lambdas/core/claim.ts';
import { ErrorBanner, PageHeading } from '../../../shared/components.tsx';
import { formatDate, money, todayInVietnam } from '../../../shared/format.ts';
import { useLocale } from '../../../shared/locale.tsx';
import type { Locale } from '../../../../lambdas/core/messages.ts';
import { PRODUCT_CODES } from '../../../../lambdas/core/products.ts';
import { productOf, useConsole } from '../context.ts';
import { ListTable, usePagedList } from '../list-page.tsx';
import { lookup } from '../../../shared/i18n.ts';
import { INDICATOR_TEXT, SIU_REASON_TEXT } from '../../../../lambdas/core/messages.ts';
import { controlReferrals } from '../../../../lambdas/core/fraud/explain.ts';
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

const paidQuery = (f: PaidFilters) => {
  const q = new URLSearchParams();
  if (f.product) q.set('product', f.product);
  if (f.paidFrom) q.set('paidFrom', f.paidFrom);
  if (f.paidTo) q.set('paidTo', f.paidTo);
  if (f.minScore.trim()) q.set('minScore', f.minScore.trim());
  if (f.flagged) q.set('flagged', 'true');
  return `/siu/paid?${q.toString()}`;
};

/** Paid claims searched by product, day paid, score and red flags, each linking to its claim. */
function PaidReview() {
  const { products } = useConsole();
  const { locale } = useLocale();
  const s = siuText(locale);
  const [form, setForm] = useState<PaidFilters>({
    product: '',
    paidFrom: '',
    paidTo: '',
    minScore: '',
    flagged: false,
  });
  // The search last submitted: nothing is asked until the first submit.
  const [search, setSearch] = useState<string | null>(null);
  const list = usePagedList<PaidItem>(search);
  const submit = () => {
    const path = paidQuery(form);
    // The same search again asks again (new payments may have landed since).
    if (path === search) void list.reload();
    else setSearch(path);
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
          submit();
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
      <ListTable
        items={list.items}
        loading={list.loading}
        error={list.error}
        empty={s('paidNone')}
        class="siu-paid-table"
        columns={[
          s('colClaim'),
          s('paidProduct'),
          s('colPaidOn'),
          s('colPaidAmount'),
          s('colScore'),
          s('colFlags'),
          s('colSiu'),
        ]}
        row={(i) => (
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
        )}
        more={
          list.nextCursor
            ? { label: s('paidMore'), busy: list.loading || list.moreBusy, onMore: () => void list.more() }
            : null
        }
      />
    </div>
  );
}

/** One status of the SIU queue, 50 a page. */
function SiuQueue({ status }: { status: SiuStatus }) {
  const { api } = useConsole();
  const { locale } = useLocale();
  const s = siuText(locale);
  const [error, setError] = useState<unknown>();
  const list = usePagedList<SiuItem>(`/siu/cases?status=${status}&limit=50`);
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
    <ListTable
      items={list.items}
      loading={list.loading}
      error={error ?? list.error}
      onRetry={() => void list.reload()}
      empty={s('none')}
      class="siu-table"
      columns={[s('colClaim'), s('colScore'), s('colReasons'), s('colLinks'), s('colOutcome')]}
      row={(i) => <SiuRow key={i.claimId} item={i} onAct={act} locale={locale} />}
      more={
        list.nextCursor
          ? { label: s('paidMore'), action: 'siu-more', busy: list.moreBusy, onMore: () => void list.more() }
          : null
      }
    />
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
          {controlReferrals(item.reasons).map((r) => (
            <li key={r} data-control={r}>
              {lookup(SIU_REASON_TEXT, r, locale)}
            </li>
          ))}
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
