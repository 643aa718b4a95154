import { useState } from 'preact/hooks';
import { POST_AUDIT_OUTCOMES, type PostAuditOutcome } from '../../../../lambdas/core/claim.ts';
import { PostAuditReviewBody } from '../../../../lambdas/core/post-audit.ts';
import { ErrorBanner, PageHeading, SelectField, TextAreaField } from '../../../shared/components.tsx';
import { formatDateTime, money } from '../../../shared/format.ts';
import { useLocale } from '../../../shared/locale.tsx';
import { useConsole, useLoad } from '../context.ts';
import { ListTable, loadedList } from '../list-page.tsx';
import { stpText } from '../post-audit-text.ts';
import type { PostAuditItem } from '../types.ts';

/** Supervisors: sampled straight-through payments, and the review of each (POST /claims/{id}/post-audit). */
export function PostAuditPage() {
  const { api } = useConsole();
  const { locale } = useLocale();
  const s = stpText(locale);
  const [status, setStatus] = useState<'pending' | 'reviewed'>('pending');
  const list = useLoad(
    () => api.get<{ items: PostAuditItem[] }>(`/post-audit?status=${status}`),
    [api, status],
  );
  return (
    <section class="admin-page post-audit-page">
      <div class="page-head">
        <PageHeading>{s('postAuditTitle')}</PageHeading>
      </div>
      <p class="hint">{s('postAuditIntro')}</p>
      <div class="tabs" role="tablist" aria-label={s('postAuditTitle')}>
        {(['pending', 'reviewed'] as const).map((st) => (
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
      <ListTable
        {...loadedList(list)}
        empty={s('none')}
        class="post-audit-table"
        columns={[
          s('colClaim'),
          s('colProduct'),
          s('colAmount'),
          s('colBasis'),
          s('colSampled'),
          s('colOutcome'),
        ]}
        row={(i) => (
          <tr key={i.claimId} data-claim={i.claimId}>
            <td>
              <a href={`#/claims/${i.claimId}`}>{i.claimNumber}</a>
            </td>
            <td>{i.productCode}</td>
            <td>{money(i.amount, locale)}</td>
            <td>{i.basis === 'einvoice' ? s('basis_einvoice') : s('basis_declared')}</td>
            <td>{formatDateTime(i.sampledAt, locale)}</td>
            <td>
              {i.outcome ? (
                s(i.outcome === 'confirmed' ? 'outcome_confirmed' : 'outcome_irregular')
              ) : (
                <ReviewForm claimId={i.claimId} onDone={() => void list.reload()} />
              )}
            </td>
          </tr>
        )}
      />
    </section>
  );
}

function ReviewForm({ claimId, onDone }: { claimId: string; onDone: () => void }) {
  const { api } = useConsole();
  const { locale } = useLocale();
  const s = stpText(locale);
  const [outcome, setOutcome] = useState<PostAuditOutcome>('confirmed');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const parsed = PostAuditReviewBody.safeParse({ outcome, note });
  return (
    <form
      class="post-audit-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!parsed.success) return;
        setBusy(true);
        try {
          await api.post(`/claims/${encodeURIComponent(claimId)}/post-audit`, parsed.data);
          onDone();
        } catch (err) {
          setError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <SelectField
        path={`outcome-${claimId}`}
        label={s('colOutcome')}
        value={outcome}
        options={POST_AUDIT_OUTCOMES.map((o) => ({
          value: o,
          label: s(o === 'confirmed' ? 'outcome_confirmed' : 'outcome_irregular'),
        }))}
        onValue={(v) => setOutcome(v as PostAuditOutcome)}
      />
      <TextAreaField
        path={`note-${claimId}`}
        label={s('note')}
        value={note}
        onValue={setNote}
        rows={2}
        maxLength={2000}
      />
      <ErrorBanner error={error} />
      <button type="submit" class="btn btn-primary btn-small" disabled={busy || !parsed.success}>
        {s('submit')}
      </button>
    </form>
  );
}
