import { useState } from 'preact/hooks';
import { PRIVACY_NOTICE_VERSION } from '../../../../lambdas/core/privacy-notice.ts';
import { StaffClaimBody } from '../../../../lambdas/core/staff-schemas.ts';
import { isApiError, newIdempotencyKey } from '../../../shared/api.ts';
// The FNOL form's state, request building, validation and sections are shared with the customer
// app, so both channels file exactly the same SubmitClaimRequest.
import { applyPolicy, buildRequest, initialFormState, validateRequest } from '../../../shared/claim-form.ts';
import {
  ContactFields,
  EstimateField,
  LossDetailsFields,
  PayoutAccountFields,
  PolicyOptions,
  ProductFactsFields,
  useClaimForm,
} from '../../../shared/claim-form-fields.tsx';
import { ErrorBanner, fieldId, PageHeading, TextField } from '../../../shared/components.tsx';
import { screenIssue } from '../../../shared/errors.ts';
import { navigate } from '../../../shared/router.ts';
import type { ClaimSummary, PolicyItem } from '../../../shared/types.ts';

/** GET /customers: a caller the directory found (lambdas/app/customer-lookup.ts). */
interface CallerMatch {
  customerId: string;
  name: string;
  matchedBy: 'phone' | 'policy' | 'plate' | 'email' | 'name' | 'customerId';
  contact: { phone?: string; email?: string };
  policies: PolicyItem[];
}
import { productOf, useConsole } from '../context.ts';
import { useText } from '../i18n.ts';

/**
 * Phone channel: find the caller by what they can say (phone, policy number, plate, e-mail, full
 * name or customer id), confirm who they are, pick the policy, take down the loss as they tell it
 * (their contact details come from the record), and file it for them (`POST /staff/claims`, one
 * Idempotency-Key per filled-in form).
 */
export function PhoneClaimPage() {
  const { api, products } = useConsole();
  const { locale, tr, c } = useText();
  const [term, setTerm] = useState('');
  const [callers, setCallers] = useState<CallerMatch[] | null>(null);
  const [lookedUp, setLookedUp] = useState<CallerMatch | null>(null);
  const [lookupError, setLookupError] = useState<unknown>(null);
  const f = useClaimForm(() => initialFormState(null));
  const { form, setForm, errors, setErrors, err, clear, idempotencyKey } = f;
  const [submitError, setSubmitError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // The privacy notice read out to this caller (Decree 13/2023 Art. 13): the claim records it.
  const [noticeRead, setNoticeRead] = useState(false);

  const policy = lookedUp?.policies.find((p) => p.policyNumber === form.policyNumber);
  const product = policy ? productOf(products, policy.productCode) : undefined;

  async function lookUp(e: Event) {
    e.preventDefault();
    const q = term.trim();
    if (q.length < 3) {
      setErrors({ callerSearch: screenIssue('callerSearch', 'too_small') });
      return;
    }
    setLookupError(null);
    setErrors({});
    setLookedUp(null);
    try {
      const r = await api.get<{ items: CallerMatch[] }>(`/customers?q=${encodeURIComponent(q)}`);
      setCallers(r.items);
      if (r.items.length === 1 && r.items[0]) choose(r.items[0]);
    } catch (err) {
      setLookupError(err);
    }
  }

  /** The caller is confirmed: their policies to choose from, their contact details on the form. */
  function choose(match: CallerMatch) {
    setLookedUp(match);
    setForm({
      ...initialFormState(null),
      phone: match.contact.phone ?? '',
      email: match.contact.email ?? '',
      accountHolder: match.name,
    });
    setNoticeRead(false);
    idempotencyKey.current = newIdempotencyKey();
  }

  // Errors on the staff endpoint are about `report.<field>`: show them on the form's own fields.
  const showIssues = (issues: Parameters<typeof f.showIssues>[0]) =>
    f.showIssues(issues.map((i) => ({ ...i, path: i.path.replace(/^report\./, '') })));

  async function onSubmit(e: Event) {
    e.preventDefault();
    if (busy || !lookedUp) return;
    setSubmitError(null);
    if (!product) {
      showIssues([{ path: 'policyNumber', code: 'required', message: 'choose a policy' }]);
      return;
    }
    const checked = validateRequest(
      buildRequest(form, product, locale, noticeRead ? PRIVACY_NOTICE_VERSION : undefined),
    );
    const unread = noticeRead ? [] : [screenIssue('privacyNotice', 'required')];
    if (!checked.ok || unread.length > 0) {
      showIssues([...(checked.ok ? [] : checked.issues), ...unread]);
      return;
    }
    const body = StaffClaimBody.parse({ customerId: lookedUp.customerId, report: checked.request });
    setErrors({});
    setBusy(true);
    try {
      const claim = await api.post<ClaimSummary>('/staff/claims', body, {
        'Idempotency-Key': idempotencyKey.current,
      });
      navigate(`/claims/${encodeURIComponent(claim.claimId)}`);
    } catch (err) {
      f.submitFailed(err);
      if (isApiError(err) && err.fields.length > 0) showIssues(err.fields);
      setSubmitError(err);
      setBusy(false);
    }
  }

  return (
    <section class="phone-page">
      <PageHeading>{c('phoneTitle')}</PageHeading>
      <p class="lead">{c('phoneIntro')}</p>

      <form class="card lookup-form" noValidate onSubmit={lookUp}>
        <TextField
          path="callerSearch"
          label={c('callerSearch')}
          hint={c('callerSearchHint')}
          required
          maxLength={80}
          value={term}
          error={err('callerSearch') ? c('callerSearchTooShort') : undefined}
          onValue={(v) => {
            setTerm(v);
            clear('callerSearch');
          }}
        />
        <button type="submit" class="btn btn-primary">
          {c('lookUp')}
        </button>
      </form>
      <ErrorBanner error={lookupError} />

      {callers && callers.length === 0 ? (
        <p class="banner banner-info" role="status">
          {c('noCallerFound', { q: term.trim() })}
        </p>
      ) : null}
      {callers && callers.length > 1 ? (
        <ul class="card caller-list" aria-label={c('callersFound', { count: callers.length })}>
          {callers.map((m) => (
            <li
              key={m.customerId}
              class={m.customerId === lookedUp?.customerId ? 'caller selected' : 'caller'}
            >
              <div>
                <strong>{m.name}</strong> · {m.customerId}
                <div class="muted">
                  {[m.contact.phone, m.contact.email].filter(Boolean).join(' · ')} ·{' '}
                  {c('callerPolicies', { count: m.policies.length })} · {c(`matchedBy_${m.matchedBy}`)}
                </div>
              </div>
              <button type="button" class="btn" onClick={() => choose(m)}>
                {c('chooseCaller', { name: m.name })}
              </button>
            </li>
          ))}
        </ul>
      ) : null}

      {lookedUp ? (
        <form class="claim-form phone-form" noValidate onSubmit={onSubmit}>
          <fieldset class="card form-section span-2">
            <legend class="section-title">
              1. {c('policiesOf', { name: lookedUp.name, id: lookedUp.customerId })}
            </legend>
            {lookedUp.policies.length === 0 ? (
              <p>{c('noCustomerPolicies', { id: lookedUp.customerId })}</p>
            ) : null}
            <PolicyOptions
              policies={lookedUp.policies}
              products={products}
              selected={form.policyNumber}
              hasError={Boolean(err('policyNumber'))}
              showHolder
              onPick={(p, prod) => {
                setForm((s) => {
                  const next = applyPolicy(s, p, prod);
                  return {
                    ...next,
                    accountHolder: next.accountHolder || p.holderName,
                    motor: { ...next.motor, driverName: next.motor.driverName || p.holderName },
                  };
                });
                clear('policyNumber', 'cause');
              }}
            />
            {err('policyNumber') ? (
              <p class="field-error" id="f-policyNumber-error">
                {tr('selectPolicyFirst')}
              </p>
            ) : null}
          </fieldset>

          {product ? (
            <>
              <fieldset class="card form-section">
                <legend class="section-title">2. {tr('stepWhatHappened')}</legend>
                <LossDetailsFields f={f} selfService={false} product={product} />
              </fieldset>

              <fieldset class="card form-section">
                <legend class="section-title">3. {tr('stepDetails')}</legend>
                <ProductFactsFields f={f} selfService={false} product={product} />
              </fieldset>

              <fieldset class="card form-section">
                <legend class="section-title">
                  4. {tr('stepAmount')} · 5. {tr('stepContact')}
                </legend>
                <EstimateField f={f} selfService={false} />
                <ContactFields f={f} selfService={false} />
              </fieldset>

              <fieldset class="card form-section">
                <legend class="section-title">6. {tr('stepPayout')}</legend>
                <PayoutAccountFields f={f} selfService={false} />
              </fieldset>
            </>
          ) : null}

          <div class="form-actions span-2">
            <div class="field checkbox">
              <input
                id={fieldId('privacyNotice')}
                type="checkbox"
                name="privacyNotice"
                required
                checked={noticeRead}
                aria-invalid={err('privacyNotice') ? true : undefined}
                aria-describedby={err('privacyNotice') ? 'f-privacyNotice-error' : undefined}
                onChange={(e) => {
                  setNoticeRead((e.currentTarget as HTMLInputElement).checked);
                  clear('privacyNotice');
                }}
              />
              <label for={fieldId('privacyNotice')}>{c('privacyNoticeRead')}</label>
            </div>
            <p class="hint">
              <a href={`../customer/privacy.${locale}.html`} target="_blank" rel="noopener">
                {c('privacyNoticeOpen')}
              </a>
            </p>
            {err('privacyNotice') ? (
              <p class="field-error" id="f-privacyNotice-error">
                {c('privacyNoticeNotRead')}
              </p>
            ) : null}
            {Object.keys(errors).length > 0 ? (
              <p class="banner banner-error" role="alert">
                {tr('fixErrors', { count: Object.keys(errors).length })}
              </p>
            ) : null}
            {submitError && !(isApiError(submitError) && submitError.fields.length > 0) ? (
              <ErrorBanner error={submitError} />
            ) : null}
            <button
              type="submit"
              class="btn btn-primary btn-large"
              disabled={busy || !product}
              aria-busy={busy}
            >
              {busy ? tr('submitting') : c('fileClaim')}
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
