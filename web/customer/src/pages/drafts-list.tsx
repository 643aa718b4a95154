import { useState } from 'preact/hooks';
import { formatDateTime } from '../../../shared/format.ts';
import { useLocale } from '../../../shared/locale.tsx';
import { navigate } from '../../../shared/router.ts';
import { deleteDraft, listDrafts, resumeDraft } from '../drafts.ts';

/** The drafts saved on this device (web/customer/src/drafts.ts), to come back to. */
export function DraftsList({ userId }: { userId: string }) {
  const { locale, tr } = useLocale();
  const [drafts, setDrafts] = useState(() => listDrafts(userId));
  if (drafts.length === 0) return null;
  return (
    <section class="card drafts" aria-labelledby="drafts-title">
      <h2 id="drafts-title" class="section-title">
        {tr('draftsTitle')}
      </h2>
      <ul class="drafts-list">
        {drafts.map((d) => (
          <li key={d.draftId} class="draft-item" data-draft-id={d.draftId}>
            <div>
              <strong>{d.form.description.trim().slice(0, 60) || tr('draftUntitled')}</strong>
              <p class="hint">
                {d.form.policyNumber ? `${d.form.policyNumber} · ` : ''}
                {tr('draftSavedAt', { date: formatDateTime(d.savedAt, locale) })}
              </p>
            </div>
            <button
              type="button"
              class="btn btn-secondary btn-small"
              onClick={() => {
                if (resumeDraft(userId, d.draftId)) navigate('/claims/new');
              }}
            >
              {tr('draftContinue')}
            </button>
            <button
              type="button"
              class="btn btn-ghost btn-small"
              onClick={() => {
                deleteDraft(userId, d.draftId);
                setDrafts(listDrafts(userId));
              }}
            >
              {tr('draftDelete')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
