import { useEffect, useRef, useState } from 'preact/hooks';
import type { PaymentBatch, Payout } from '../../../../../lambdas/core/finance.ts';
import { ErrorBanner, PageHeading } from '../../../../shared/components.tsx';
import {
  formatDateTime,
  money,
  nowTimeInVietnam,
  todayInVietnam,
  vietnamInstant,
} from '../../../../shared/format.ts';
import { lookup } from '../../../../shared/i18n.ts';
import { useConsole, useLoad } from '../../context.ts';
import { DataTable, ListTable } from '../../list-page.tsx';
import { FINANCE_CODE_TEXT, useFinanceText } from './text.ts';

interface ReconLine {
  line: number;
  reference: string;
  amount: string;
  outcome: 'paid' | 'failed' | 'unmatched';
  reason?: string;
  bankReason?: string;
  claimId?: string;
  claimNumber?: string;
}
interface Reconciliation {
  reconId: string;
  fileName: string;
  importedAt: string;
  importedBy: { id: string; name?: string };
  lines: number;
  paid: number;
  failed: number;
  unmatched: number;
  results?: ReconLine[];
  replay?: boolean;
  status?: 'processing' | 'done';
  lockedUntil?: string;
  /** Rejections this import reported that still wait for a second finance user. */
  rejectionsAwaitingConfirmation?: number;
  returnsConfirmed?: { by: { id: string; name?: string }; returned?: number; superseded?: number };
}

const vnd = (amount: number) => ({ amount, currency: 'VND' as const });

/** A batch as the list gives it: a build that stopped part-way says so. */
type BatchRow = PaymentBatch & { buildAbandoned?: true };

/**
 * Finance: what awaits payment, payment batches (prepare → a second person releases → download
 * the bank file), and the bank's confirmation file. The API enforces every rule; this page only
 * offers what would work (no release button for the batch's own maker).
 */
export function FinancePage() {
  const { api, me } = useConsole();
  const { locale, f } = useFinanceText();
  const awaiting = useLoad(
    () => api.get<{ items: Payout[] }>('/finance/payouts?status=awaiting&limit=100'),
    [api],
  );
  const batches = useLoad(() => api.get<{ items: BatchRow[] }>('/finance/batches?limit=20'), [api]);
  const history = useLoad(
    () => api.get<{ items: Reconciliation[] }>('/finance/reconciliations?limit=20'),
    [api],
  );

  const [date, setDate] = useState(todayInVietnam());
  const [time, setTime] = useState(nowTimeInVietnam());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [progress, setProgress] = useState<PaymentBatch | null>(null);
  const [voidReasons, setVoidReasons] = useState<Record<string, string>>({});
  const [links, setLinks] = useState<Record<string, { csv: string; xlsx: string }>>({});
  const [recon, setRecon] = useState<Reconciliation | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  // One key per prepare attempt: a retry after a network error asks for the same batch again.
  const keyRef = useRef<string | null>(null);
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);
  useEffect(() => () => (timer.current ? clearInterval(timer.current) : undefined), []);

  const reloadAll = () => Promise.all([awaiting.reload(), batches.reload(), history.reload()]);

  async function prepare(e: Event) {
    e.preventDefault();
    const minute = vietnamInstant(date, time);
    if (!minute) return;
    // The whole chosen minute: a payout queued seconds ago is in a batch cut off "now".
    const cutoff = new Date(Date.parse(minute) + 59_999).toISOString();
    keyRef.current ??= crypto.randomUUID();
    setBusy(true);
    setError(null);
    // While the batch is built, show its progress from the batch list.
    timer.current = setInterval(async () => {
      const list = await api.get<{ items: PaymentBatch[] }>('/finance/batches?limit=5').catch(() => null);
      const building = list?.items.find((b) => b.status === 'building');
      if (building) setProgress(building);
    }, 700);
    try {
      await api.post<PaymentBatch>('/finance/batches', { cutoff }, { 'idempotency-key': keyRef.current });
      keyRef.current = null;
      await reloadAll();
    } catch (err) {
      setError(err);
    } finally {
      if (timer.current) clearInterval(timer.current);
      setProgress(null);
      setBusy(false);
    }
  }

  async function act(run: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await run();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const release = (b: PaymentBatch) =>
    act(async () => {
      await api.post(`/finance/batches/${b.batchId}/release`, {});
      await batches.reload();
    });

  const voidBatch = (b: PaymentBatch) =>
    act(async () => {
      // A void that stopped part-way is finished with the reason it was given.
      const reason = b.status === 'void' ? (b.voidReason ?? '') : (voidReasons[b.batchId] ?? '');
      await api.post(`/finance/batches/${b.batchId}/void`, { reason });
      await Promise.all([batches.reload(), awaiting.reload()]);
    });

  const download = (b: PaymentBatch) =>
    act(async () => {
      const [csv, xlsx] = await Promise.all(
        (['csv', 'xlsx'] as const).map((format) =>
          api.get<{ url: string }>(`/finance/batches/${b.batchId}/download?format=${format}`),
        ),
      );
      setLinks((l) => ({ ...l, [b.batchId]: { csv: csv?.url ?? '', xlsx: xlsx?.url ?? '' } }));
    });

  /** The second finance user confirms the rejections an import reported: their payouts return. */
  const confirmReturns = (r: Reconciliation) =>
    act(async () => {
      const done = await api.post<Reconciliation>(
        `/finance/reconciliations/${r.reconId}/confirm-returns`,
        {},
      );
      if (recon?.reconId === r.reconId) setRecon({ ...recon, ...done, replay: false });
      await reloadAll();
    });

  async function importFile(e: Event) {
    e.preventDefault();
    const file = fileRef.current?.files?.[0];
    if (!file) return;
    await act(async () => {
      const content = await file.text();
      const r = await api.post<Reconciliation>('/finance/reconciliations', { fileName: file.name, content });
      setRecon(r);
      await reloadAll();
    });
  }

  const items = awaiting.data?.items ?? [];
  const total = items.reduce((s, p) => s + p.amount, 0);

  return (
    <section class="admin-page finance-page">
      <div class="page-head">
        <PageHeading>{f('financeTitle')}</PageHeading>
      </div>
      <ErrorBanner error={error ?? awaiting.error ?? batches.error} />

      <section class="card" aria-labelledby="awaiting-title" data-section="awaiting">
        <h2 id="awaiting-title">{f('awaitingTitle')}</h2>
        {items.length > 0 ? (
          <p data-awaiting-count={items.length}>
            {f('awaitingSummary', { count: items.length, total: money(vnd(total), locale) })}
          </p>
        ) : null}
        <ListTable
          card={false}
          items={awaiting.data?.items}
          loading={awaiting.loading}
          empty={f('noneAwaiting')}
          columns={[
            f('colClaim'),
            f('colBeneficiary'),
            f('colAccount'),
            f('colAmount'),
            f('colQueued'),
            f('colReturned'),
          ]}
          row={(p) => (
            <tr key={p.payoutId} data-payout={p.claimNumber}>
              <td>
                <a href={`#/claims/${p.claimId}`}>{p.claimNumber}</a>
              </td>
              <td>{p.account.accountHolder}</td>
              <td>
                {p.account.bankName} {p.account.accountMask}
              </td>
              <td>{money(vnd(p.amount), locale)}</td>
              <td>
                {formatDateTime(p.queuedAt, locale)}
                {p.notBefore && p.notBefore > new Date().toISOString() ? (
                  <div class="hint" data-not-before={p.notBefore}>
                    {f('notBefore', { at: formatDateTime(p.notBefore, locale) })}
                  </div>
                ) : null}
              </td>
              <td>
                {p.failures?.length ? lookup(FINANCE_CODE_TEXT, p.failures.at(-1)?.reason ?? '', locale) : ''}
              </td>
            </tr>
          )}
        />
        <form class="inline-form" onSubmit={prepare} aria-label={f('prepareTitle')}>
          <label>
            {f('cutoff')}
            <input
              type="date"
              name="cutoffDate"
              value={date}
              onInput={(e) => setDate(e.currentTarget.value)}
            />
            <input
              type="time"
              name="cutoffTime"
              value={time}
              onInput={(e) => setTime(e.currentTarget.value)}
            />
          </label>
          <button type="submit" class="btn btn-primary" disabled={busy || items.length === 0}>
            {f('prepare')}
          </button>
        </form>
        {progress ? (
          <p class="progress" role="status" data-building={progress.batchId}>
            {f('building', {
              batchId: progress.batchId,
              count: progress.count,
              total: money(vnd(progress.total), locale),
            })}
          </p>
        ) : null}
      </section>

      <section class="card" aria-labelledby="batches-title" data-section="batches">
        <h2 id="batches-title">{f('batchesTitle')}</h2>
        <ListTable
          card={false}
          items={batches.data?.items}
          loading={batches.loading}
          empty={f('noBatches')}
          columns={[
            f('colBatch'),
            f('colStatus'),
            f('colCount'),
            f('colTotal'),
            f('colPeople'),
            f('colBank'),
            f('colActions'),
          ]}
          row={(b) => (
            <tr key={b.batchId} data-batch={b.batchId} data-status={b.status}>
              <td>
                <code>{b.batchId}</code>
                <span class="cell-sub">{formatDateTime(b.cutoff, locale)}</span>
              </td>
              <td>{lookup(FINANCE_CODE_TEXT, b.status, locale)}</td>
              <td>{b.count}</td>
              <td>{money(vnd(b.total), locale)}</td>
              <td>
                {b.preparedBy.name ?? b.preparedBy.id}
                {b.releasedBy ? <span class="cell-sub">{b.releasedBy.name ?? b.releasedBy.id}</span> : null}
                {b.voidedBy ? (
                  <span class="cell-sub">
                    {f('voidedBy', {
                      name: b.voidedBy.name ?? b.voidedBy.id,
                      reason: b.voidReason ?? '',
                    })}
                  </span>
                ) : null}
              </td>
              <td>
                {b.status === 'released'
                  ? f('bankCounts', { paid: b.paidCount ?? 0, failed: b.failedCount ?? 0 })
                  : ''}
              </td>
              <td>
                {b.status === 'prepared' && (b.heldPayouts ?? 0) > 0 ? (
                  <p class="banner banner-error" role="alert" data-held={b.heldPayouts}>
                    {f('heldInBatch', { count: b.heldPayouts ?? 0 })}
                  </p>
                ) : null}
                {b.status === 'prepared' && b.preparedBy.id !== me.userId && !b.heldPayouts ? (
                  <button
                    type="button"
                    class="btn btn-primary btn-small"
                    disabled={busy}
                    onClick={() => void release(b)}
                  >
                    {f('release')}
                  </button>
                ) : null}
                {b.status === 'prepared' && b.preparedBy.id === me.userId ? (
                  <span class="cell-sub">{f('makerCannotRelease')}</span>
                ) : null}
                {b.buildAbandoned ? (
                  <p class="banner banner-error" role="alert" data-build-abandoned>
                    {f('buildStopped')}
                  </p>
                ) : null}
                {b.status === 'void' && b.returningPayouts ? (
                  <>
                    <p class="banner banner-error" role="alert" data-void-stopped>
                      {f('voidStopped')}
                    </p>
                    <button
                      type="button"
                      class="btn btn-secondary btn-small"
                      data-action="finish-void"
                      disabled={busy}
                      onClick={() => void voidBatch(b)}
                    >
                      {f('finishVoid')}
                    </button>
                  </>
                ) : null}
                {b.status === 'prepared' || b.buildAbandoned ? (
                  <form
                    class="inline-form"
                    data-action="void"
                    onSubmit={(e) => {
                      e.preventDefault();
                      void voidBatch(b);
                    }}
                  >
                    <label>
                      {f('voidReason')}{' '}
                      <input
                        name="voidReason"
                        required
                        minLength={3}
                        maxLength={500}
                        value={voidReasons[b.batchId] ?? ''}
                        onInput={(e) =>
                          setVoidReasons((r) => ({
                            ...r,
                            [b.batchId]: (e.target as HTMLInputElement).value,
                          }))
                        }
                      />
                    </label>{' '}
                    <button type="submit" class="btn btn-secondary btn-small" disabled={busy}>
                      {f('void')}
                    </button>
                  </form>
                ) : null}
                {b.status === 'released' && !links[b.batchId] ? (
                  <button
                    type="button"
                    class="btn btn-secondary btn-small"
                    disabled={busy}
                    onClick={() => void download(b)}
                  >
                    {f('download')}
                  </button>
                ) : null}
                {links[b.batchId] ? (
                  <span class="download-links">
                    <a href={links[b.batchId]?.csv} download={`${b.batchId}.csv`} data-format="csv">
                      {f('downloadCsv')}
                    </a>{' '}
                    <a href={links[b.batchId]?.xlsx} download={`${b.batchId}.xlsx`} data-format="xlsx">
                      {f('downloadXlsx')}
                    </a>
                    <span class="cell-sub">{f('linkValid')}</span>
                  </span>
                ) : null}
              </td>
            </tr>
          )}
        />
      </section>

      <section class="card" aria-labelledby="import-title" data-section="import">
        <h2 id="import-title">{f('importTitle')}</h2>
        <p class="hint">{f('importHint')}</p>
        <form class="inline-form" onSubmit={importFile}>
          <label>
            {f('confirmationFile')}
            <input ref={fileRef} type="file" name="confirmation" accept=".csv,text/csv" />
          </label>
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {f('import')}
          </button>
        </form>
        {recon ? <ReconciliationResult recon={recon} /> : null}
      </section>

      <section class="card" aria-labelledby="history-title" data-section="history">
        <h2 id="history-title">{f('historyTitle')}</h2>
        {history.data?.items.length ? (
          <ul class="plain-list">
            {history.data.items.map((r) => (
              <li key={r.reconId} data-recon={r.reconId}>
                {formatDateTime(r.importedAt, locale)} · {r.fileName} · {r.importedBy.name} ·{' '}
                {f('reconSummary', r as unknown as Record<string, unknown>)}
                <ReturnsStatus recon={r} />
                {(r.rejectionsAwaitingConfirmation ?? 0) > 0 && r.importedBy.id !== me.userId ? (
                  <button
                    type="button"
                    class="btn btn-primary btn-small"
                    data-action="confirm-returns"
                    disabled={busy}
                    onClick={() => void confirmReturns(r)}
                  >
                    {f('confirmReturns')}
                  </button>
                ) : null}
                {(r.rejectionsAwaitingConfirmation ?? 0) > 0 && r.importedBy.id === me.userId ? (
                  <span class="cell-sub">{f('importerCannotConfirm')}</span>
                ) : null}
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    </section>
  );
}

function ReconciliationResult({ recon }: { recon: Reconciliation }) {
  const { locale, f } = useFinanceText();
  return (
    <div class="recon-result" data-recon-result={recon.reconId}>
      {recon.replay ? (
        <p class="banner" data-replay={recon.status}>
          {recon.status === 'processing'
            ? f('inProgress', { lockedUntil: formatDateTime(recon.lockedUntil ?? '', locale) })
            : f('replay')}
        </p>
      ) : null}
      <p role="status">{f('reconSummary', recon as unknown as Record<string, unknown>)}</p>
      <ReturnsStatus recon={recon} />
      <DataTable
        card={false}
        items={recon.results ?? []}
        columns={[f('colLine'), f('colReference'), f('colAmount'), f('colOutcome'), f('colReason')]}
        row={(l) => (
          <tr key={l.line} data-line={l.line} data-outcome={l.outcome}>
            <td>{l.line}</td>
            <td>{l.claimId ? <a href={`#/claims/${l.claimId}`}>{l.reference}</a> : l.reference}</td>
            <td>{l.amount}</td>
            <td>{lookup(FINANCE_CODE_TEXT, l.outcome, locale)}</td>
            <td>
              {l.reason ? lookup(FINANCE_CODE_TEXT, l.reason, locale) : ''}
              {l.bankReason ? <span class="cell-sub">{l.bankReason}</span> : null}
            </td>
          </tr>
        )}
      />
    </div>
  );
}

/** Rejections an import reported: awaiting a second finance user (and who reported them), or confirmed. */
function ReturnsStatus({ recon }: { recon: Reconciliation }) {
  const { f } = useFinanceText();
  const awaiting = recon.rejectionsAwaitingConfirmation ?? 0;
  if (awaiting > 0)
    return (
      <p class="banner" data-returns-awaiting={awaiting}>
        {f('rejectionsAwaiting', { count: awaiting, name: recon.importedBy.name ?? recon.importedBy.id })}
      </p>
    );
  const c = recon.returnsConfirmed;
  if (!c) return null;
  return (
    <span class="cell-sub" data-returns-confirmed={c.returned ?? 0}>
      {f('returnsConfirmed', {
        name: c.by.name ?? c.by.id,
        returned: c.returned ?? 0,
        superseded: c.superseded ?? 0,
      })}
    </span>
  );
}
