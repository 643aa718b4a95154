import { useState } from 'preact/hooks';
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
import { ErrorBanner, PageHeading, TextField } from '../../../shared/components.tsx';
import { navigate } from '../../../shared/router.ts';
import type { ClaimSummary, PolicyItem } from '../../../shared/types.ts';
import { productOf, useConsole } from '../context.ts';
import { useText } from '../i18n.ts';

/**
 * Phone channel: look the caller up by customer id, pick the policy, take down the loss as they tell
 * it, and file it for them (`POST /staff/claims`, one Idempotency-Key per filled-in form).
 */
export function PhoneClaimPage() {
  const { api, products } = useConsole();
  const { locale, tr, c } = useText();
  const [customerId, setCustomerId] = useState('');
  const [lookedUp, setLookedUp] = useState<{ id: string; policies: PolicyItem[] } | null>(null);
  const [lookupError, setLookupError] = useState<unknown>(null);
  const f = useClaimForm(() => initialFormState(null));
  const { form, setForm, errors, setErrors, err, clear, idempotencyKey } = f;
  const [submitError, setSubmitError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const policy = lookedUp?.policies.find((p) => p.policyNumber === form.policyNumber);
  const product = policy ? productOf(products, policy.productCode) : undefined;

  async function lookUp(e: Event) {
    e.preventDefault();
    const id = customerId.trim();
    if (!id) {
      setErrors({ customerId: 'required' });
      return;
    }
    setLookupError(null);
    setErrors({});
    try {
      const r = await api.get<{ items: PolicyItem[] }>(`/customers/${encodeURIComponent(id)}/policies`);
      setLookedUp({ id, policies: r.items });
      setForm(initialFormState(null));
      idempotencyKey.current = newIdempotencyKey();
    } catch (err) {
      setLookupError(err);
    }
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
    const checked = validateRequest(buildRequest(form, product, locale));
    if (!checked.ok) {
      showIssues(checked.issues);
      return;
    }
    const body = StaffClaimBody.parse({ customerId: lookedUp.id, report: checked.request });
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
          path="customerId"
          label={c('customerId')}
          required
          placeholder="CUS-0001"
          autoCapitalize="characters"
          maxLength={40}
          value={customerId}
          error={err('customerId')}
          onValue={(v) => {
            setCustomerId(v);
            clear('customerId');
          }}
        />
        <button type="submit" class="btn btn-primary">
          {c('lookUp')}
        </button>
      </form>
      <ErrorBanner error={lookupError} />

      {lookedUp ? (
        <form class="claim-form phone-form" noValidate onSubmit={onSubmit}>
          <fieldset class="card form-section span-2">
            <legend class="section-title">1. {c('policiesOf', { id: lookedUp.id })}</legend>
            {lookedUp.policies.length === 0 ? <p>{c('noCustomerPolicies', { id: lookedUp.id })}</p> : null}
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
