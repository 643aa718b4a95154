import { useState } from 'preact/hooks';
import { CheckboxField, ErrorBanner, PageHeading, TextField } from '../../../shared/components.tsx';
import { formatDateTime } from '../../../shared/format.ts';
import { useLocale } from '../../../shared/locale.tsx';
import { useConsole, useLoad } from '../context.ts';
import { intakeText, reasonText } from '../intake-text.ts';
import { ListTable, loadedList } from '../list-page.tsx';

interface IntakeSummary {
  intakeId: string;
  receivedAt: string;
  from?: string;
  subject: string;
  reasons: string[];
  customerId?: string;
  policyNumber?: string;
  claimId?: string;
  claimNumber?: string;
  version: number;
  text?: string;
}

/**
 * Claim handlers: received emails kept for a person (GET /intake-records), opened one at a time; or,
 * to look through, those ignored as automatic (`?outcome=IGNORED`: a bounce from a customer's mailbox).
 */
export function IntakePage({ intakeId }: { intakeId?: string }) {
  const { api } = useConsole();
  const { locale } = useLocale();
  const s = intakeText(locale);
  const [ignored, setIgnored] = useState(false);
  const list = useLoad(
    () => api.get<{ items: IntakeSummary[] }>(`/intake-records${ignored ? '?outcome=IGNORED' : ''}`),
    [api, ignored],
  );
  return (
    <section class="admin-page intake-page">
      <div class="page-head">
        <PageHeading>{s('title')}</PageHeading>
      </div>
      <p class="hint">{s('intro')}</p>
      <CheckboxField path="ignored" label={s('showIgnored')} checked={ignored} onChecked={setIgnored} />
      {intakeId && list.data && !ignored ? (
        <IntakeRecord
          intakeId={intakeId}
          record={list.data.items.find((i) => i.intakeId === intakeId)}
          onChanged={() => list.reload()}
        />
      ) : null}
      <ListTable
        {...loadedList(list)}
        empty={s('none')}
        class="intake-table"
        columns={[s('colReceived'), s('colFrom'), s('colSubject'), s('colReasons')]}
        row={(i) => (
          <tr key={i.intakeId} data-intake={i.intakeId}>
            <td>{formatDateTime(i.receivedAt, locale)}</td>
            <td>{i.from ?? '—'}</td>
            <td>{ignored ? i.subject || '—' : <a href={`#/intake/${i.intakeId}`}>{i.subject || '—'}</a>}</td>
            <td>{i.reasons.map((r) => reasonText(r, locale)).join('; ')}</td>
          </tr>
        )}
      />
    </section>
  );
}

function IntakeRecord({
  intakeId,
  record,
  onChanged,
}: {
  intakeId: string;
  record: IntakeSummary | undefined;
  onChanged: () => Promise<unknown>;
}) {
  const { api } = useConsole();
  const { locale } = useLocale();
  const s = intakeText(locale);
  const [f, setF] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: string) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  const field = (k: string, label: string) => (
    <TextField path={k} label={label} value={f[k] ?? ''} onValue={set(k)} />
  );
  const [made, setMade] = useState<{ claimId: string; claimNumber: string } | null>(null);
  if (made)
    return (
      <article class="card intake-record" data-intake-record={intakeId}>
        <p class="banner banner-ok" role="status">
          <a href={`#/claims/${made.claimId}`}>{s('claimMade', { claimNumber: made.claimNumber })}</a>
        </p>
      </article>
    );
  if (!record) return <p class="card empty">{s('none')}</p>;
  const r = record;
  const run = async (call: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      const result = (await call()) as { claimId?: string; claimNumber?: string };
      if (result.claimId && result.claimNumber)
        setMade({ claimId: result.claimId, claimNumber: result.claimNumber });
      await onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const link = () =>
    run(() =>
      api.post(`/intake-records/${intakeId}/link`, {
        expectedVersion: r.version,
        customerId: f.customerId ?? '',
        policyNumber: f.policyNumber ?? '',
      }),
    );
  const makeClaim = () =>
    run(() =>
      api.post(`/intake-records/${intakeId}/claim`, {
        expectedVersion: r.version,
        ...(f.lossDate ? { lossAt: `${f.lossDate}T00:00:00+07:00` } : {}),
        ...(f.address && f.province ? { lossPlace: { address: f.address, province: f.province } } : {}),
        ...(f.cause ? { cause: f.cause } : {}),
        ...(f.accountNumber && f.bankName
          ? {
              payoutAccount: {
                bankName: f.bankName,
                accountNumber: f.accountNumber,
                accountHolder: f.accountHolder ?? '',
              },
            }
          : {}),
      }),
    );
  return (
    <article class="card intake-record" data-intake-record={intakeId}>
      <h2>{r.subject || '—'}</h2>
      <p>
        {r.from} · {formatDateTime(r.receivedAt, locale)}
      </p>
      <pre class="email-text">{r.text}</pre>
      <ErrorBanner error={error} />
      {r.claimNumber ? (
        <p class="banner banner-ok" role="status">
          <a href={`#/claims/${r.claimId}`}>{s('claimMade', { claimNumber: r.claimNumber })}</a>
        </p>
      ) : r.customerId && r.policyNumber ? (
        <form
          class="intake-claim"
          onSubmit={(e) => {
            e.preventDefault();
            void makeClaim();
          }}
        >
          <p role="status">{s('linked', { customerId: r.customerId, policyNumber: r.policyNumber })}</p>
          {field('lossDate', s('lossDate'))}
          {field('address', s('address'))}
          {field('province', s('province'))}
          {field('cause', s('cause'))}
          {field('bankName', s('bankName'))}
          {field('accountNumber', s('accountNumber'))}
          {field('accountHolder', s('accountHolder'))}
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {s('makeClaim')}
          </button>
        </form>
      ) : (
        <form
          class="intake-link"
          onSubmit={(e) => {
            e.preventDefault();
            void link();
          }}
        >
          {field('customerId', s('customerId'))}
          {field('policyNumber', s('policyNumber'))}
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {s('link')}
          </button>
        </form>
      )}
    </article>
  );
}
