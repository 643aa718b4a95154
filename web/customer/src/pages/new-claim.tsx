import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { documentsForCause } from '../../../../lambdas/core/dossier.ts';
import { DOCUMENT_TEXT, t } from '../../../../lambdas/core/messages.ts';
import { PRIVACY_NOTICE_VERSION } from '../../../../lambdas/core/privacy-notice.ts';
import type { Cause } from '../../../../lambdas/core/products.ts';
import { isApiError } from '../../../shared/api.ts';
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
import { ErrorBanner, PageHeading, Spinner } from '../../../shared/components.tsx';
import { fieldIssueText } from '../../../shared/errors.ts';
import { formatDate } from '../../../shared/format.ts';
import { useLocale } from '../../../shared/locale.tsx';
import { navigate } from '../../../shared/router.ts';
import type { ClaimSummary, PolicyItem } from '../../../shared/types.ts';
import { productOf, useApp } from '../context.ts';
import { currentDraft, deleteDraft, fileDraft, newDraftId, saveCurrent } from '../drafts.ts';

export function NewClaimPage() {
  const { api, me, products, setSubmittedClaim } = useApp();
  const { locale, tr } = useLocale();
  const [policies, setPolicies] = useState<PolicyItem[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const f = useClaimForm(() => initialFormState(me));
  const { form, setForm, err, clear, setErrors, idempotencyKey } = f;
  const [problemCount, setProblemCount] = useState(0);
  const [submitError, setSubmitError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const loadPolicies = useCallback(() => {
    setLoadError(null);
    api
      .get<{ items: PolicyItem[] }>('/policies')
      .then((r) => setPolicies(r.items))
      .catch(setLoadError);
  }, [api]);
  useEffect(loadPolicies, [loadPolicies]);

  // The draft on this device (web/customer/src/drafts.ts): restored once the user is known, then
  // saved on every change, so a reload or a lost connection never loses what was typed.
  const draftId = useRef<string>(newDraftId());
  const [restored, setRestored] = useState(false);
  const [draftSaved, setDraftSaved] = useState(false);
  useEffect(() => {
    if (!me || restored) return;
    const d = currentDraft(me.userId);
    if (d) {
      draftId.current = d.draftId;
      setForm(d.form);
    }
    setRestored(true);
  }, [me, restored]);
  useEffect(() => {
    if (!me || !restored) return;
    saveCurrent(me.userId, { draftId: draftId.current, savedAt: new Date().toISOString(), form });
  }, [me, restored, form]);

  function saveAsDraft() {
    if (!me) return;
    fileDraft(me.userId, { draftId: draftId.current, savedAt: new Date().toISOString(), form });
    setDraftSaved(true);
    navigate('/claims');
  }

  // The profile may arrive after the form opened: fill contact details that are still empty.
  useEffect(() => {
    if (!me) return;
    setForm((s) => ({
      ...s,
      phone: s.phone || (me.phone ?? ''),
      email: s.email || (me.email ?? ''),
      accountHolder: s.accountHolder || me.displayName,
      motor: { ...s.motor, driverName: s.motor.driverName || me.displayName },
    }));
  }, [me]);

  const policy = policies?.find((p) => p.policyNumber === form.policyNumber);
  const product = policy ? productOf(products, policy.productCode) : undefined;

  const showIssues = (issues: Parameters<typeof f.showIssues>[0]) =>
    setProblemCount(f.showIssues(issues, 'form-problems'));

  async function onSubmit(e: Event) {
    e.preventDefault();
    if (busy) return;
    setSubmitError(null);
    if (!product) {
      // Nothing else can be checked before the policy (and so the product) is known.
      showIssues([{ path: 'policyNumber', code: 'required', message: 'choose a policy' }]);
      return;
    }
    // Submitting confirms the privacy notice linked above the button was read (Decree 13/2023 Art. 13).
    const input = buildRequest(form, product, locale, PRIVACY_NOTICE_VERSION);
    const checked = validateRequest(input);
    if (!checked.ok) {
      showIssues(checked.issues);
      return;
    }
    setErrors({});
    setProblemCount(0);
    setBusy(true);
    try {
      const claim = await api.post<ClaimSummary>('/claims', checked.request, {
        'Idempotency-Key': idempotencyKey.current,
      });
      if (me) deleteDraft(me.userId, draftId.current);
      setSubmittedClaim(claim.claimNumber);
      navigate(`/claims/${encodeURIComponent(claim.claimId)}`);
    } catch (err) {
      f.submitFailed(err);
      if (isApiError(err) && err.fields.length > 0) showIssues(err.fields);
      setSubmitError(err);
      setBusy(false);
    }
  }

  if (loadError) return <ErrorBanner error={loadError} onRetry={loadPolicies} />;
  if (!policies) return <Spinner label={tr('loading')} />;

  const selectedPolicy = policies.find((p) => p.policyNumber === form.policyNumber);
  // What this loss will need, following the cause once it is chosen (a theft: the police report,
  // no damage photos): the same checklist rule the claim is filed with (lambdas/core/dossier.ts).
  const requiredDocs = product
    ? documentsForCause(
        product,
        (product.coveredCauses as readonly string[]).includes(form.cause) ? (form.cause as Cause) : undefined,
      )
    : [];

  return (
    <section>
      <p class="crumb">
        <a href="#/claims">← {tr('backToClaims')}</a>
      </p>
      <PageHeading>{tr('newClaimTitle')}</PageHeading>
      <p class="lead">{tr('newClaimIntro')}</p>

      <div aria-live="assertive" aria-atomic="true">
        {problemCount > 0 ? (
          <div class="banner banner-error" role="alert" id="form-problems" tabIndex={-1}>
            <p>{tr('fixErrors', { count: problemCount })}</p>
          </div>
        ) : null}
        {submitError && !(isApiError(submitError) && submitError.fields.length > 0) ? (
          <ErrorBanner error={submitError} />
        ) : null}
      </div>

      <form class="claim-form" noValidate onSubmit={onSubmit}>
        <fieldset
          class="card form-section"
          aria-describedby={err('policyNumber') ? 'f-policyNumber-error' : undefined}
        >
          <legend class="section-title">1. {tr('stepPolicy')}</legend>
          <p class="hint">{tr('choosePolicy')}</p>
          {policies.length === 0 ? <p>{tr('noPolicies')}</p> : null}
          <PolicyOptions
            policies={policies}
            products={products}
            selected={form.policyNumber}
            invalid={Boolean(err('policyNumber'))}
            hasError={Boolean(err('policyNumber'))}
            onPick={(p, prod) => {
              setForm((s) => applyPolicy(s, p, prod));
              clear('policyNumber', 'cause');
            }}
          />
          {err('policyNumber') ? (
            <p class="field-error" id="f-policyNumber-error">
              {form.policyNumber ? fieldIssueText(err('policyNumber'), locale) : tr('selectPolicyFirst')}
            </p>
          ) : null}
          {selectedPolicy && !inForceNow(selectedPolicy) ? (
            <p class="banner banner-warning policy-lapsed" role="status">
              {tr('policyNotInForceWarning', {
                number: selectedPolicy.policyNumber,
                status: selectedPolicy.status,
                to: formatDate(selectedPolicy.effectiveTo, locale),
              })}
            </p>
          ) : null}
          {requiredDocs.length > 0 ? (
            <div class="doc-preview">
              <p class="hint">{tr('docsYouWillNeed')}:</p>
              <ul>
                {requiredDocs.map((d) => (
                  <li key={d}>{t(DOCUMENT_TEXT, d, locale)}</li>
                ))}
              </ul>
            </div>
          ) : null}
        </fieldset>

        {product ? (
          <>
            <fieldset class="card form-section">
              <legend class="section-title">2. {tr('stepWhatHappened')}</legend>
              <LossDetailsFields f={f} selfService product={product} />
            </fieldset>

            <fieldset class="card form-section">
              <legend class="section-title">3. {tr('stepDetails')}</legend>
              <ProductFactsFields f={f} selfService product={product} />
            </fieldset>

            <fieldset class="card form-section">
              <legend class="section-title">4. {tr('stepAmount')}</legend>
              <EstimateField f={f} selfService />
            </fieldset>

            <fieldset class="card form-section">
              <legend class="section-title">5. {tr('stepContact')}</legend>
              <ContactFields f={f} selfService />
            </fieldset>

            <fieldset class="card form-section">
              <legend class="section-title">6. {tr('stepPayout')}</legend>
              <PayoutAccountFields f={f} selfService />
            </fieldset>
          </>
        ) : null}

        <div class="form-actions">
          <p class="hint" data-draft-status>
            {draftSaved ? tr('draftSaved') : tr('draftAutosaved')} {tr('draftNoAccount')}
          </p>
          <p class="hint" data-privacy-notice={PRIVACY_NOTICE_VERSION}>
            {tr('privacyNoticeConfirm')}{' '}
            <a href={`./privacy.${locale}.html`} target="_blank" rel="noopener">
              {tr('privacyNoticeLink')}
            </a>
            .
          </p>
          <button type="submit" class="btn btn-primary btn-block btn-large" disabled={busy} aria-busy={busy}>
            {busy ? tr('submitting') : tr('submitClaim')}
          </button>
          <button type="button" class="btn btn-secondary btn-block" onClick={saveAsDraft}>
            {tr('saveAsDraft')}
          </button>
        </div>
      </form>
    </section>
  );
}

/**
 * Whether a policy covers a loss that happens today: the customer is told before writing a whole
 * claim on a lapsed or cancelled one (the claim's checks will say the same after filing).
 */
function inForceNow(p: PolicyItem): boolean {
  const now = Date.now();
  return p.status === 'in_force' && Date.parse(p.effectiveFrom) <= now && now <= Date.parse(p.effectiveTo);
}
