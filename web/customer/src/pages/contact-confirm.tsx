import { useState } from 'preact/hooks';
import type { ApiClient } from '../../../shared/api.ts';
import { ErrorBanner } from '../../../shared/components.tsx';
import { useLocale } from '../../../shared/locale.tsx';
import type { ClaimView } from '../../../shared/types.ts';

/**
 * A contact on the claim that differs from the customer's record (typed in by a call-centre agent)
 * gets no mail until the customer, signed in, confirms it here; meanwhile mail goes to the record.
 */
export function ContactConfirmCard(props: {
  api: ApiClient;
  claim: ClaimView;
  reload: () => Promise<unknown>;
}) {
  const { api, claim, reload } = props;
  const { tr } = useLocale();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const check = claim.contactCheck;
  if (check?.status !== 'unconfirmed') return null;

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/claims/${encodeURIComponent(claim.claimId)}/contact/confirm`, {});
      await reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card contact-confirm-card" aria-labelledby="contact-confirm-title">
      <h2 id="contact-confirm-title" class="section-title">
        {tr('contactConfirmTitle')}
      </h2>
      <p>
        {tr('contactConfirmText', {
          email: claim.report.contact.email,
          phone: claim.report.contact.phone,
          registered: check.registered.email,
        })}
      </p>
      <ErrorBanner error={error} />
      <button
        type="button"
        class="btn btn-primary"
        disabled={busy}
        aria-busy={busy}
        onClick={() => void confirm()}
      >
        {tr('contactConfirmButton')}
      </button>
    </section>
  );
}
