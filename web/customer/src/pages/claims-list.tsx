import { useCallback, useEffect, useState } from 'preact/hooks';
import { CAUSE_TEXT, t } from '../../../../lambdas/core/messages.ts';
import { StatusBadge } from '../../../shared/claim-ui.tsx';
import { ErrorBanner, PageHeading, Spinner } from '../../../shared/components.tsx';
import { formatDate, formatDateTime, money } from '../../../shared/format.ts';
import { useLocale } from '../../../shared/locale.tsx';
import type { ClaimSummary, Page } from '../../../shared/types.ts';
import { productOf, useApp } from '../context.ts';
import { DraftsList } from './drafts-list.tsx';

export function ClaimsListPage() {
  const { api, products, me } = useApp();
  const { locale, tr } = useLocale();
  const [items, setItems] = useState<ClaimSummary[] | null>(null);
  const [cursor, setCursor] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    (after?: string) => {
      setBusy(true);
      setError(null);
      api
        .get<Page<ClaimSummary>>(`/claims?limit=20${after ? `&cursor=${encodeURIComponent(after)}` : ''}`)
        .then((page) => {
          setItems((prev) => (after && prev ? [...prev, ...page.items] : page.items));
          setCursor(page.cursor);
        })
        .catch(setError)
        .finally(() => setBusy(false));
    },
    [api],
  );
  useEffect(() => load(), [load]);

  return (
    <section>
      <div class="page-head">
        <PageHeading>{tr('myClaims')}</PageHeading>
        <a class="btn btn-primary" href="#/claims/new">
          <span aria-hidden="true">+ </span>
          {tr('reportLoss')}
        </a>
      </div>
      {me ? <DraftsList userId={me.userId} /> : null}
      <ErrorBanner error={error} onRetry={() => load()} />
      {items === null && !error ? <Spinner label={tr('loading')} /> : null}
      {items && items.length === 0 ? (
        <div class="card empty">
          <p>
            <strong>{tr('noClaims')}</strong>
          </p>
          <p class="hint">{tr('noClaimsHint')}</p>
        </div>
      ) : null}
      {items && items.length > 0 ? (
        <ul class="claim-list">
          {items.map((c) => {
            const product = productOf(products, c.productCode);
            return (
              <li key={c.claimId}>
                <a class="card claim-card" href={`#/claims/${encodeURIComponent(c.claimId)}`}>
                  <div class="claim-card-top">
                    <span class="claim-number">{c.claimNumber}</span>
                    <StatusBadge status={c.status} />
                  </div>
                  <p class="claim-card-product">
                    {product ? product.name[locale] : c.productCode} · {t(CAUSE_TEXT, c.cause, locale)}
                  </p>
                  <dl class="facts-inline">
                    <div>
                      <dt>{tr('lossOn')}</dt>
                      <dd>{formatDate(c.lossAt, locale)}</dd>
                    </div>
                    <div>
                      <dt>{tr('estimated')}</dt>
                      <dd>{money(c.estimatedAmount, locale)}</dd>
                    </div>
                    <div>
                      <dt>{tr('submittedOn')}</dt>
                      <dd>{formatDateTime(c.submittedAt, locale)}</dd>
                    </div>
                  </dl>
                  <p class={c.missingDocuments.length > 0 ? 'claim-card-docs is-missing' : 'claim-card-docs'}>
                    {c.missingDocuments.length > 0
                      ? tr('missingCount', { count: c.missingDocuments.length })
                      : tr('dossierComplete')}
                  </p>
                </a>
              </li>
            );
          })}
        </ul>
      ) : null}
      {cursor ? (
        <button
          type="button"
          class="btn btn-secondary btn-block"
          disabled={busy}
          onClick={() => load(cursor)}
        >
          {busy ? tr('loading') : tr('loadMore')}
        </button>
      ) : null}
    </section>
  );
}
