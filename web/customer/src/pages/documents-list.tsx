import { useEffect, useRef, useState } from 'preact/hooks';
import { type ApiClient, newIdempotencyKey } from '../../../shared/api.ts';
import { DocumentLines } from '../../../shared/claim-ui.tsx';
import { ErrorBanner } from '../../../shared/components.tsx';
import { useLocale } from '../../../shared/locale.tsx';
import type { ClaimDocumentView, ClaimView } from '../../../shared/types.ts';

/** The download link the API signs lives 5 minutes; one older than this is signed again before use. */
const LINK_FRESH_MS = 4 * 60_000;
const THUMB_PX = 56;

interface Link {
  url: string;
  at: number;
}

const isImage = (d: ClaimDocumentView) => d.contentType.startsWith('image/');
const badgeOf = (status: ClaimDocumentView['status']) =>
  status === 'VERIFIED' ? 'badge-success' : status === 'QUARANTINED' ? 'badge-danger' : 'badge-neutral';

/**
 * The customer's documents on the claim (issue 10): a thumbnail of each verified photo, a file icon
 * for the rest, a link that opens the file (a short-lived signed link from
 * GET /claims/{claimId}/documents/{documentId}), the status in words, and — while nobody has relied
 * on it yet (the API says so per document, `withdrawable`) — a remove button that asks first.
 */
export function DocumentsList(props: {
  api: ApiClient;
  claim: ClaimView;
  /** Reloads the claim and returns the fresh view. */
  reload: () => Promise<ClaimView | null>;
}) {
  const { api, claim, reload } = props;
  const { tr } = useLocale();
  const [links, setLinks] = useState<Record<string, Link>>({});
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  // One key per document being removed: a retry after a lost answer repeats the same request.
  const keys = useRef<Record<string, string>>({});
  const asked = useRef(new Set<string>());

  const docPath = (d: ClaimDocumentView) =>
    `/claims/${encodeURIComponent(claim.claimId)}/documents/${encodeURIComponent(d.documentId)}`;

  async function sign(d: ClaimDocumentView): Promise<string> {
    const r = await api.get<{ url: string }>(docPath(d));
    setLinks((l) => ({ ...l, [d.documentId]: { url: r.url, at: Date.now() } }));
    return r.url;
  }

  // Sign a link for every verified document once (thumbnails and "open"); reloads keep them.
  useEffect(() => {
    for (const d of claim.documents) {
      if (d.status !== 'VERIFIED' || asked.current.has(d.documentId)) continue;
      asked.current.add(d.documentId);
      void sign(d).catch(() => asked.current.delete(d.documentId));
    }
  }, [claim.documents]);

  async function open(e: MouseEvent, d: ClaimDocumentView) {
    const link = links[d.documentId];
    if (link && Date.now() - link.at < LINK_FRESH_MS) return; // the link itself opens it
    e.preventDefault();
    try {
      const url = await sign(d);
      if (!window.open(url, '_blank', 'noopener')) window.location.assign(url);
    } catch (err) {
      setError(err);
    }
  }

  async function remove(d: ClaimDocumentView) {
    setBusy(true);
    setError(null);
    keys.current[d.documentId] ??= newIdempotencyKey();
    try {
      await api.post(
        `${docPath(d)}/withdraw`,
        { expectedVersion: claim.version },
        { 'idempotency-key': keys.current[d.documentId] ?? '' },
      );
      setConfirming(null);
      setDone(d.fileName);
      await reload();
    } catch (err) {
      // A refusal is final for this attempt: a new try is a new request.
      delete keys.current[d.documentId];
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card" aria-labelledby="docs-title">
      <h2 id="docs-title" class="section-title">
        {tr('documentsTitle')}
      </h2>
      {claim.documents.length === 0 ? <p class="hint">{tr('noDocuments')}</p> : null}
      <p class="visually-hidden" role="status">
        {done ? tr('docRemoved', { name: done }) : ''}
      </p>
      <ErrorBanner error={error} />
      <ul class="doc-list">
        {claim.documents.map((d) => {
          const link = d.status === 'VERIFIED' ? links[d.documentId] : undefined;
          return (
            <li
              key={d.documentId}
              class="doc-item doc-item-own"
              data-doc-status={d.status}
              data-doc={d.documentId}
            >
              <span class="doc-thumb" aria-hidden={link && isImage(d) ? undefined : 'true'}>
                {link && isImage(d) ? (
                  <img
                    src={link.url}
                    alt={tr('docPreview', { name: d.fileName })}
                    width={THUMB_PX}
                    height={THUMB_PX}
                    loading="lazy"
                    decoding="async"
                  />
                ) : (
                  <span class="doc-icon">{isImage(d) ? '🖼' : '📄'}</span>
                )}
              </span>
              <div class="doc-body">
                <DocumentLines doc={d} />
                <div class="doc-actions">
                  <span class={`badge ${badgeOf(d.status)}`}>{tr(`docStatus_${d.status}`)}</span>
                  {d.status === 'VERIFIED' ? (
                    <a
                      class="btn btn-ghost btn-small doc-open"
                      href={link?.url ?? docPath(d)}
                      target="_blank"
                      rel="noopener noreferrer"
                      onClick={(e) => void open(e, d)}
                    >
                      {tr('docOpen')}
                      <span class="visually-hidden">: {d.fileName}</span>
                    </a>
                  ) : null}
                  {d.withdrawable && confirming !== d.documentId ? (
                    <button
                      type="button"
                      class="btn btn-ghost btn-small doc-remove"
                      onClick={() => {
                        setConfirming(d.documentId);
                        setDone(null);
                        setError(null);
                      }}
                    >
                      {tr('docRemove')}
                      <span class="visually-hidden">: {d.fileName}</span>
                    </button>
                  ) : null}
                </div>
                {d.withdrawable && confirming === d.documentId ? (
                  <div class="doc-confirm">
                    <p>{tr('docRemoveConfirm', { name: d.fileName })}</p>
                    <div class="doc-actions">
                      <button
                        type="button"
                        class="btn btn-primary btn-small"
                        disabled={busy}
                        onClick={() => void remove(d)}
                      >
                        {tr('docRemoveYes')}
                      </button>
                      <button
                        type="button"
                        class="btn btn-secondary btn-small"
                        disabled={busy}
                        onClick={() => setConfirming(null)}
                      >
                        {tr('docRemoveNo')}
                      </button>
                    </div>
                  </div>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
