import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { FieldIssue } from '../../../../lambdas/core/errors.ts';
import { CAUSE_TEXT, DOCUMENT_TEXT, t } from '../../../../lambdas/core/messages.ts';
import { isApiError, newIdempotencyKey } from '../../../shared/api.ts';
import {
  CheckboxField,
  ErrorBanner,
  FieldFrame,
  fieldId,
  PageHeading,
  SelectField,
  Spinner,
  TextAreaField,
  TextField,
} from '../../../shared/components.tsx';
import { fieldIssueText, issuesByPath } from '../../../shared/errors.ts';
import { formatAmountInput, formatDate, todayInVietnam } from '../../../shared/format.ts';
import { useLocale } from '../../../shared/locale.tsx';
import { navigate } from '../../../shared/router.ts';
import type { ClaimSummary, PolicyItem } from '../../../shared/types.ts';
import {
  applyPolicy,
  BANKS,
  buildRequest,
  type ClaimFormState,
  displayPath,
  firstIssuePath,
  initialFormState,
  PROVINCES,
  validateRequest,
} from '../claim-form.ts';
import { productOf, useApp } from '../context.ts';

export function NewClaimPage() {
  const { api, me, products, setSubmittedClaim } = useApp();
  const { locale, tr } = useLocale();
  const [policies, setPolicies] = useState<PolicyItem[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [form, setForm] = useState<ClaimFormState>(() => initialFormState(me));
  /** Field issue code per on-screen field path. */
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problemCount, setProblemCount] = useState(0);
  const [submitError, setSubmitError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  /** One key per filled-in form: a retry after a lost response finds the claim instead of filing twice. */
  const idempotencyKey = useRef(newIdempotencyKey());
  const itemKey = useRef(2);

  const loadPolicies = useCallback(() => {
    setLoadError(null);
    api
      .get<{ items: PolicyItem[] }>('/policies')
      .then((r) => setPolicies(r.items))
      .catch(setLoadError);
  }, [api]);
  useEffect(loadPolicies, [loadPolicies]);

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

  const clear = (...paths: string[]) =>
    setErrors((e) => {
      if (!paths.some((p) => p in e)) return e;
      const next = { ...e };
      for (const p of paths) delete next[p];
      return next;
    });
  const set = <K extends keyof ClaimFormState>(key: K, value: ClaimFormState[K], path: string) => {
    setForm((s) => ({ ...s, [key]: value }));
    clear(path);
  };
  const setIn = <K extends 'motor' | 'health' | 'travel'>(
    key: K,
    patch: Partial<ClaimFormState[K]>,
    path: string,
  ) => {
    setForm((s) => ({ ...s, [key]: { ...s[key], ...patch } }));
    clear(path);
  };

  function showIssues(issues: readonly FieldIssue[]) {
    const byPath = issuesByPath(issues.map((i) => ({ ...i, path: displayPath(i.path) })));
    setErrors(byPath);
    setProblemCount(Object.keys(byPath).length);
    const first = firstIssuePath(Object.keys(byPath));
    // After the render that shows the messages, move focus to the first field to fix.
    requestAnimationFrame(() => {
      const el = first ? document.getElementById(fieldId(first)) : null;
      (el ?? document.getElementById('form-problems'))?.focus();
    });
  }

  async function onSubmit(e: Event) {
    e.preventDefault();
    if (busy) return;
    setSubmitError(null);
    if (!product) {
      // Nothing else can be checked before the policy (and so the product) is known.
      showIssues([{ path: 'policyNumber', code: 'required', message: 'choose a policy' }]);
      return;
    }
    const input = buildRequest(form, product, locale);
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
      setSubmittedClaim(claim.claimNumber);
      navigate(`/claims/${encodeURIComponent(claim.claimId)}`);
    } catch (err) {
      // A 4xx means the API refused the request and filed nothing, so the corrected form is a new
      // request with a new key. After a network error or a 5xx the outcome is unknown: keep the key
      // so the retry finds the claim if it was created.
      if (
        isApiError(err) &&
        err.status >= 400 &&
        err.status < 500 &&
        err.code !== 'IDEMPOTENCY_IN_PROGRESS'
      ) {
        idempotencyKey.current = newIdempotencyKey();
      }
      if (isApiError(err) && err.fields.length > 0) showIssues(err.fields);
      setSubmitError(err);
      setBusy(false);
    }
  }

  if (loadError) return <ErrorBanner error={loadError} onRetry={loadPolicies} />;
  if (!policies) return <Spinner label={tr('loading')} />;

  const err = (path: string) => errors[path];
  const requiredDocs = product?.documentChecklist.filter((d) => d.required && !d.requiredWhen) ?? [];

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
          <div class={`policy-options${err('policyNumber') ? ' has-error' : ''}`}>
            {policies.map((p, i) => {
              const prod = productOf(products, p.productCode);
              const io = p.insuredObject ?? {};
              const what = io.vehiclePlate ?? io.address ?? io.destination ?? io.insuredPersons?.join(', ');
              return (
                <label
                  key={p.policyNumber}
                  class={`policy-option${p.policyNumber === form.policyNumber ? ' is-selected' : ''}`}
                >
                  <input
                    type="radio"
                    name="policyNumber"
                    id={i === 0 ? fieldId('policyNumber') : undefined}
                    value={p.policyNumber}
                    checked={p.policyNumber === form.policyNumber}
                    aria-invalid={Boolean(err('policyNumber'))}
                    onChange={() => {
                      setForm((s) => applyPolicy(s, p, prod));
                      clear('policyNumber', 'cause');
                    }}
                  />
                  <span class="policy-option-body">
                    <span class="policy-option-title">{prod ? prod.name[locale] : p.productCode}</span>
                    <span class="policy-option-number">{p.policyNumber}</span>
                    {what ? <span class="policy-option-meta">{what}</span> : null}
                    <span class="policy-option-meta">
                      {tr('policyPeriod', {
                        from: formatDate(p.effectiveFrom, locale),
                        to: formatDate(p.effectiveTo, locale),
                      })}
                      {p.status !== 'in_force' ? ` · ${tr(`policyStatus_${p.status}`)}` : ''}
                    </span>
                  </span>
                </label>
              );
            })}
          </div>
          {err('policyNumber') ? (
            <p class="field-error" id="f-policyNumber-error">
              {form.policyNumber
                ? fieldIssueText(err('policyNumber') ?? '', locale)
                : tr('selectPolicyFirst')}
            </p>
          ) : null}
          {requiredDocs.length > 0 ? (
            <div class="doc-preview">
              <p class="hint">{tr('docsYouWillNeed')}:</p>
              <ul>
                {requiredDocs.map((d) => (
                  <li key={d.type}>{t(DOCUMENT_TEXT, d.type, locale)}</li>
                ))}
              </ul>
            </div>
          ) : null}
        </fieldset>

        {product ? (
          <>
            <fieldset class="card form-section">
              <legend class="section-title">2. {tr('stepWhatHappened')}</legend>
              <div class="row-2">
                <FieldFrame path="lossAt" label={tr('lossDate')} required error={err('lossAt')}>
                  {(aria) => (
                    <input
                      {...aria}
                      type="date"
                      name="lossDate"
                      max={todayInVietnam()}
                      value={form.lossDate}
                      onInput={(e) => set('lossDate', (e.currentTarget as HTMLInputElement).value, 'lossAt')}
                    />
                  )}
                </FieldFrame>
                <TextField
                  path="lossTime"
                  type="time"
                  label={tr('lossTime')}
                  required
                  value={form.lossTime}
                  onValue={(v) => set('lossTime', v, 'lossAt')}
                />
              </div>
              <TextField
                path="lossPlace.address"
                label={tr('address')}
                required
                autoComplete="street-address"
                maxLength={300}
                value={form.address}
                error={err('lossPlace.address')}
                onValue={(v) => set('address', v, 'lossPlace.address')}
              />
              <TextField
                path="lossPlace.province"
                label={tr('province')}
                required
                list="provinces"
                maxLength={80}
                value={form.province}
                error={err('lossPlace.province')}
                onValue={(v) => set('province', v, 'lossPlace.province')}
              />
              <datalist id="provinces">
                {PROVINCES.map((p) => (
                  <option key={p} value={p} />
                ))}
              </datalist>
              <SelectField
                path="cause"
                label={tr('cause')}
                hint={tr('causeHint')}
                required
                placeholder={tr('chooseCause')}
                value={form.cause}
                error={err('cause')}
                options={product.coveredCauses.map((c) => ({ value: c, label: t(CAUSE_TEXT, c, locale) }))}
                onValue={(v) => set('cause', v, 'cause')}
              />
              <TextAreaField
                path="description"
                label={tr('description')}
                hint={tr('descriptionHint')}
                required
                maxLength={4000}
                value={form.description}
                error={err('description')}
                onValue={(v) => set('description', v, 'description')}
              />
            </fieldset>

            <fieldset class="card form-section">
              <legend class="section-title">3. {tr('stepDetails')}</legend>
              {product.line === 'motor' ? (
                <>
                  <div class="row-2">
                    <TextField
                      path="facts.vehiclePlate"
                      label={tr('vehiclePlate')}
                      required
                      autoCapitalize="characters"
                      placeholder="30A-123.45"
                      value={form.motor.vehiclePlate}
                      error={err('facts.vehiclePlate')}
                      onValue={(v) => setIn('motor', { vehiclePlate: v }, 'facts.vehiclePlate')}
                    />
                    <TextField
                      path="facts.driverName"
                      label={`${tr('driverName')} ${tr('optional')}`}
                      autoComplete="name"
                      value={form.motor.driverName}
                      error={err('facts.driverName')}
                      onValue={(v) => setIn('motor', { driverName: v }, 'facts.driverName')}
                    />
                  </div>
                  <CheckboxField
                    path="facts.policeAttended"
                    label={tr('policeAttended')}
                    checked={form.motor.policeAttended}
                    onChecked={(v) => setIn('motor', { policeAttended: v }, 'facts.policeAttended')}
                  />
                  <CheckboxField
                    path="facts.hasOtherParty"
                    label={tr('otherPartyInvolved')}
                    checked={form.motor.hasOtherParty}
                    onChecked={(v) => setIn('motor', { hasOtherParty: v }, 'facts.otherParty')}
                  />
                  {form.motor.hasOtherParty ? (
                    <div class="subsection">
                      <h3 class="subsection-title">{tr('otherPartyTitle')}</h3>
                      <div class="row-2">
                        {(['name', 'vehiclePlate', 'phone', 'insurer'] as const).map((k) => (
                          <TextField
                            key={k}
                            path={`facts.otherParty.${k}`}
                            label={`${tr(k === 'name' ? 'otherName' : k === 'vehiclePlate' ? 'otherPlate' : k === 'phone' ? 'otherPhone' : 'otherInsurer')} ${tr('optional')}`}
                            type={k === 'phone' ? 'tel' : 'text'}
                            inputMode={k === 'phone' ? 'tel' : undefined}
                            value={form.motor.other[k]}
                            error={err(`facts.otherParty.${k}`)}
                            onValue={(v) =>
                              setIn(
                                'motor',
                                { other: { ...form.motor.other, [k]: v } },
                                `facts.otherParty.${k}`,
                              )
                            }
                          />
                        ))}
                      </div>
                    </div>
                  ) : null}
                </>
              ) : null}

              {product.line === 'property' ? (
                <>
                  <CheckboxField
                    path="facts.policeAttended"
                    label={tr('policeAttended')}
                    checked={form.property.policeAttended}
                    onChecked={(v) =>
                      setForm((s) => ({ ...s, property: { ...s.property, policeAttended: v } }))
                    }
                  />
                  <h3 class="subsection-title">{tr('damagedItems')}</h3>
                  {err('facts.items') ? (
                    <p class="field-error">{fieldIssueText(err('facts.items') ?? '', locale)}</p>
                  ) : null}
                  <ol class="item-list">
                    {form.property.items.map((item, i) => {
                      const update = (patch: Partial<typeof item>, path: string) => {
                        setForm((s) => ({
                          ...s,
                          property: {
                            ...s.property,
                            items: s.property.items.map((x) => (x.key === item.key ? { ...x, ...patch } : x)),
                          },
                        }));
                        clear(path);
                      };
                      return (
                        <li key={item.key} class="subsection">
                          <div class="item-head">
                            <h4 class="subsection-title">{tr('itemN', { n: i + 1 })}</h4>
                            {form.property.items.length > 1 ? (
                              <button
                                type="button"
                                class="btn btn-ghost btn-small"
                                aria-label={tr('removeItem', { n: i + 1 })}
                                onClick={() =>
                                  setForm((s) => ({
                                    ...s,
                                    property: {
                                      ...s.property,
                                      items: s.property.items.filter((x) => x.key !== item.key),
                                    },
                                  }))
                                }
                              >
                                ✕
                              </button>
                            ) : null}
                          </div>
                          <div class="row-2">
                            <TextField
                              path={`facts.items.${i}.description`}
                              label={tr('itemDescription')}
                              required
                              value={item.description}
                              error={err(`facts.items.${i}.description`)}
                              onValue={(v) => update({ description: v }, `facts.items.${i}.description`)}
                            />
                            <TextField
                              path={`facts.items.${i}.estimatedAmount`}
                              label={tr('itemAmount')}
                              required
                              inputMode="numeric"
                              value={item.amount}
                              error={err(`facts.items.${i}.estimatedAmount`)}
                              onValue={(v) =>
                                update(
                                  { amount: formatAmountInput(v, locale) },
                                  `facts.items.${i}.estimatedAmount`,
                                )
                              }
                            />
                          </div>
                        </li>
                      );
                    })}
                  </ol>
                  <button
                    type="button"
                    class="btn btn-secondary btn-small"
                    onClick={() =>
                      setForm((s) => ({
                        ...s,
                        property: {
                          ...s.property,
                          items: [
                            ...s.property.items,
                            { key: itemKey.current++, description: '', amount: '' },
                          ],
                        },
                      }))
                    }
                  >
                    + {tr('addItem')}
                  </button>
                </>
              ) : null}

              {product.line === 'health' ? (
                <>
                  <TextField
                    path="facts.patientName"
                    label={tr('patientName')}
                    required
                    value={form.health.patientName}
                    error={err('facts.patientName')}
                    onValue={(v) => setIn('health', { patientName: v }, 'facts.patientName')}
                  />
                  <TextField
                    path="facts.hospital"
                    label={tr('hospital')}
                    required
                    value={form.health.hospital}
                    error={err('facts.hospital')}
                    onValue={(v) => setIn('health', { hospital: v }, 'facts.hospital')}
                  />
                  <TextField
                    path="facts.diagnosis"
                    label={tr('diagnosis')}
                    required
                    value={form.health.diagnosis}
                    error={err('facts.diagnosis')}
                    onValue={(v) => setIn('health', { diagnosis: v }, 'facts.diagnosis')}
                  />
                  <div class="row-2">
                    <TextField
                      path="facts.admittedOn"
                      type="date"
                      label={`${tr('admittedOn')} ${tr('optional')}`}
                      value={form.health.admittedOn}
                      error={err('facts.admittedOn')}
                      onValue={(v) => setIn('health', { admittedOn: v }, 'facts.admittedOn')}
                    />
                    <TextField
                      path="facts.dischargedOn"
                      type="date"
                      label={`${tr('dischargedOn')} ${tr('optional')}`}
                      value={form.health.dischargedOn}
                      error={err('facts.dischargedOn')}
                      onValue={(v) => setIn('health', { dischargedOn: v }, 'facts.dischargedOn')}
                    />
                  </div>
                </>
              ) : null}

              {product.line === 'travel' ? (
                <>
                  <TextField
                    path="facts.country"
                    label={tr('country')}
                    required
                    autoComplete="country-name"
                    value={form.travel.country}
                    error={err('facts.country')}
                    onValue={(v) => setIn('travel', { country: v }, 'facts.country')}
                  />
                  <div class="row-2">
                    <TextField
                      path="facts.tripStart"
                      type="date"
                      label={tr('tripStart')}
                      required
                      value={form.travel.tripStart}
                      error={err('facts.tripStart')}
                      onValue={(v) => setIn('travel', { tripStart: v }, 'facts.tripStart')}
                    />
                    <TextField
                      path="facts.tripEnd"
                      type="date"
                      label={tr('tripEnd')}
                      required
                      value={form.travel.tripEnd}
                      error={err('facts.tripEnd')}
                      onValue={(v) => setIn('travel', { tripEnd: v }, 'facts.tripEnd')}
                    />
                  </div>
                  <TextField
                    path="facts.carrier"
                    label={`${tr('carrier')} ${tr('optional')}`}
                    value={form.travel.carrier}
                    error={err('facts.carrier')}
                    onValue={(v) => setIn('travel', { carrier: v }, 'facts.carrier')}
                  />
                </>
              ) : null}
            </fieldset>

            <fieldset class="card form-section">
              <legend class="section-title">4. {tr('stepAmount')}</legend>
              <TextField
                path="estimatedAmount"
                label={tr('estimatedAmount')}
                hint={tr('estimatedAmountHint')}
                required
                inputMode="numeric"
                autoComplete="off"
                placeholder={locale === 'vi' ? '5.000.000' : '5,000,000'}
                value={form.amount}
                error={err('estimatedAmount')}
                onValue={(v) => set('amount', formatAmountInput(v, locale), 'estimatedAmount')}
              />
            </fieldset>

            <fieldset class="card form-section">
              <legend class="section-title">5. {tr('stepContact')}</legend>
              <div class="row-2">
                <TextField
                  path="contact.phone"
                  type="tel"
                  inputMode="tel"
                  autoComplete="tel"
                  label={tr('phone')}
                  required
                  placeholder="0912345678"
                  value={form.phone}
                  error={err('contact.phone')}
                  onValue={(v) => set('phone', v, 'contact.phone')}
                />
                <TextField
                  path="contact.email"
                  type="email"
                  inputMode="email"
                  autoComplete="email"
                  label={tr('email')}
                  required
                  value={form.email}
                  error={err('contact.email')}
                  onValue={(v) => set('email', v, 'contact.email')}
                />
              </div>
            </fieldset>

            <fieldset class="card form-section">
              <legend class="section-title">6. {tr('stepPayout')}</legend>
              <TextField
                path="payoutAccount.bankName"
                label={tr('bankName')}
                required
                list="banks"
                value={form.bankName}
                error={err('payoutAccount.bankName')}
                onValue={(v) => set('bankName', v, 'payoutAccount.bankName')}
              />
              <datalist id="banks">
                {BANKS.map((b) => (
                  <option key={b} value={b} />
                ))}
              </datalist>
              <div class="row-2">
                <TextField
                  path="payoutAccount.accountNumber"
                  label={tr('accountNumber')}
                  required
                  inputMode="numeric"
                  autoComplete="off"
                  value={form.accountNumber}
                  error={err('payoutAccount.accountNumber')}
                  onValue={(v) => set('accountNumber', v, 'payoutAccount.accountNumber')}
                />
                <TextField
                  path="payoutAccount.accountHolder"
                  label={tr('accountHolder')}
                  required
                  autoComplete="name"
                  value={form.accountHolder}
                  error={err('payoutAccount.accountHolder')}
                  onValue={(v) => set('accountHolder', v, 'payoutAccount.accountHolder')}
                />
              </div>
            </fieldset>
          </>
        ) : null}

        <div class="form-actions">
          <button type="submit" class="btn btn-primary btn-block btn-large" disabled={busy} aria-busy={busy}>
            {busy ? tr('submitting') : tr('submitClaim')}
          </button>
        </div>
      </form>
    </section>
  );
}
