import { useState } from 'preact/hooks';
import { BankAccount, ConfirmPayoutAccountBody } from '../../../../lambdas/core/requests.ts';
import type { ApiClient } from '../../../shared/api.ts';
import { ErrorBanner, TextField } from '../../../shared/components.tsx';
import { formatDateTime } from '../../../shared/format.ts';
import { useLocale } from '../../../shared/locale.tsx';
import type { ClaimView } from '../../../shared/types.ts';

/** Once money may be on its way (or the claim is over), the account cannot change (app/payout-account.ts). */
const FROZEN = ['PAID', 'CLOSED', 'CLOSED_NO_RESPONSE', 'REJECTED'];

type Fields = { bankName: string; accountNumber: string; accountHolder: string };
const EMPTY: Fields = { bankName: '', accountNumber: '', accountHolder: '' };

/**
 * The account the claim is paid into, and changing it (issue 10, with the money controls of issue 7):
 * the new account, then the six-digit code sent to the contact on the customer's record. Until the
 * code comes back the payment is held, and the card says so in plain words. An account staff typed
 * in when filing for the customer waits for them too: they confirm it here, or change it.
 */
export function PayoutAccountCard(props: {
  api: ApiClient;
  claim: ClaimView;
  reload: () => Promise<unknown>;
}) {
  const { api, claim, reload } = props;
  const { locale, tr } = useLocale();
  const [editing, setEditing] = useState(false);
  const [fields, setFields] = useState<Fields>(EMPTY);
  const [issues, setIssues] = useState<Partial<Record<keyof Fields, string>>>({});
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  if (FROZEN.includes(claim.status)) return null;
  const path = (rest: string) => `/claims/${encodeURIComponent(claim.claimId)}/payout-account${rest}`;
  const pending = claim.pendingPayoutAccount;
  const current = claim.report.payoutAccount;

  async function call(fn: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await fn();
      await reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  function onRequest(e: Event) {
    e.preventDefault();
    const parsed = BankAccount.safeParse(fields);
    if (!parsed.success) {
      const next: Partial<Record<keyof Fields, string>> = {};
      for (const i of parsed.error.issues)
        next[i.path[0] as keyof Fields] ??= i.message === 'account_number' ? 'invalid_format' : i.code;
      setIssues(next);
      return;
    }
    void call(async () => {
      await api.post(path(''), parsed.data);
      setEditing(false);
      setFields(EMPTY);
      setDone(false);
    });
  }

  function onConfirm(e: Event) {
    e.preventDefault();
    const parsed = ConfirmPayoutAccountBody.safeParse({ code: code.trim() });
    if (!parsed.success) {
      setCodeError('invalid_format');
      return;
    }
    void call(async () => {
      await api.post(path('/confirm'), parsed.data);
      setCode('');
      setDone(true);
    });
  }

  const field = (name: keyof Fields, label: string, extra: Record<string, unknown> = {}) => (
    <TextField
      path={`payout-${name}`}
      label={label}
      required
      value={fields[name]}
      error={issues[name]}
      onValue={(v) => {
        setFields((f) => ({ ...f, [name]: v }));
        setIssues((x) => ({ ...x, [name]: undefined }));
      }}
      {...extra}
    />
  );

  return (
    <section class="card payout-account-card" aria-labelledby="payout-title">
      <h2 id="payout-title" class="section-title">
        {tr('payoutAccountTitle')}
      </h2>
      <p data-payout-current>
        {current.bankName} · <span class="nowrap">{current.accountMask}</span> · {current.accountHolder}
      </p>
      {claim.payoutAccountCheck?.status === 'unconfirmed' && !pending ? (
        <div class="banner banner-warning" role="status">
          <p>{tr('payoutCheck')}</p>
          <button
            type="button"
            class="btn btn-primary"
            disabled={busy}
            onClick={() => void call(() => api.post(path('/accept'), {}))}
          >
            {tr('payoutCheckOk')}
          </button>
        </div>
      ) : null}
      {done ? (
        <p class="ok-line" role="status">
          {tr('payoutChanged')}
        </p>
      ) : null}
      {pending ? (
        <form noValidate onSubmit={onConfirm} class="payout-confirm">
          <div class="banner banner-warning" role="status">
            <p>
              {tr('payoutHeld', {
                account: `${pending.bankName} ${pending.accountMask}`,
              })}
            </p>
          </div>
          <p class="hint">{tr('payoutCodeSent', { date: formatDateTime(pending.expiresAt, locale) })}</p>
          <TextField
            path="payout-code"
            label={tr('payoutCode')}
            required
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            value={code}
            error={codeError}
            onValue={(v) => {
              setCode(v);
              setCodeError(undefined);
            }}
          />
          <ErrorBanner error={error} />
          <button type="submit" class="btn btn-primary btn-block" disabled={busy} aria-busy={busy}>
            {tr('payoutConfirm')}
          </button>
        </form>
      ) : editing ? (
        <form noValidate onSubmit={onRequest}>
          <p class="hint">{tr('payoutChangeIntro')}</p>
          {field('bankName', tr('payoutBank'))}
          {field('accountNumber', tr('payoutNumber'), { inputMode: 'numeric', maxLength: 20 })}
          {field('accountHolder', tr('payoutHolder'))}
          <ErrorBanner error={error} />
          <button type="submit" class="btn btn-primary btn-block" disabled={busy} aria-busy={busy}>
            {tr('payoutSendCode')}
          </button>
          <button type="button" class="btn btn-ghost btn-block" onClick={() => setEditing(false)}>
            {tr('back')}
          </button>
        </form>
      ) : (
        <button type="button" class="btn btn-secondary" onClick={() => setEditing(true)}>
          {tr('payoutChange')}
        </button>
      )}
    </section>
  );
}
