import { useRef, useState } from 'preact/hooks';
import type { FieldIssue } from '../../../../lambdas/core/errors.ts';
import { CAUSE_TEXT, t } from '../../../../lambdas/core/messages.ts';
import { StaffClaimBody } from '../../../../lambdas/core/staff-schemas.ts';
import { isApiError, newIdempotencyKey } from '../../../shared/api.ts';
import {
  CheckboxField,
  ErrorBanner,
  FieldFrame,
  fieldId,
  PageHeading,
  SelectField,
  TextAreaField,
  TextField,
} from '../../../shared/components.tsx';
import { issuesByPath } from '../../../shared/errors.ts';
import { formatAmountInput, formatDate, todayInVietnam } from '../../../shared/format.ts';
import { navigate } from '../../../shared/router.ts';
import type { ClaimSummary, PolicyItem } from '../../../shared/types.ts';
// The FNOL form's state, request building and validation are the customer app's (pure, no UI), so
// both channels file exactly the same SubmitClaimRequest.
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
} from '../../../customer/src/claim-form.ts';
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
  const [form, setForm] = useState<ClaimFormState>(() => initialFormState(null));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [submitError, setSubmitError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const idempotencyKey = useRef(newIdempotencyKey());
  const itemKey = useRef(2);

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
    const byPath = issuesByPath(
      issues.map((i) => ({ ...i, path: displayPath(i.path.replace(/^report\./, '')) })),
    );
    setErrors(byPath);
    const first = firstIssuePath(Object.keys(byPath));
    requestAnimationFrame(() => {
      if (first) document.getElementById(fieldId(first))?.focus();
    });
  }

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
      if (isApiError(err) && err.status >= 400 && err.status < 500 && err.code !== 'IDEMPOTENCY_IN_PROGRESS')
        idempotencyKey.current = newIdempotencyKey();
      if (isApiError(err) && err.fields.length > 0) showIssues(err.fields);
      setSubmitError(err);
      setBusy(false);
    }
  }

  const err = (p: string) => errors[p];
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
            <div class={`policy-options${err('policyNumber') ? ' has-error' : ''}`}>
              {lookedUp.policies.map((p, i) => {
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
                      onChange={() => {
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
                    <span class="policy-option-body">
                      <span class="policy-option-title">{prod ? prod.name[locale] : p.productCode}</span>
                      <span class="policy-option-number">{p.policyNumber}</span>
                      <span class="policy-option-meta">
                        {p.holderName}
                        {what ? ` · ${what}` : ''}
                      </span>
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
                {tr('selectPolicyFirst')}
              </p>
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
                        onInput={(e) => set('lossDate', e.currentTarget.value, 'lossAt')}
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
                  required
                  placeholder={tr('chooseCause')}
                  value={form.cause}
                  error={err('cause')}
                  options={product.coveredCauses.map((x) => ({ value: x, label: t(CAUSE_TEXT, x, locale) }))}
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
                      <div class="row-2">
                        {(['name', 'vehiclePlate', 'phone', 'insurer'] as const).map((k) => (
                          <TextField
                            key={k}
                            path={`facts.otherParty.${k}`}
                            label={`${tr(k === 'name' ? 'otherName' : k === 'vehiclePlate' ? 'otherPlate' : k === 'phone' ? 'otherPhone' : 'otherInsurer')} ${tr('optional')}`}
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
                    {form.property.items.map((item, n) => (
                      <div key={item.key} class="row-2">
                        <TextField
                          path={`facts.items.${n}.description`}
                          label={tr('itemN', { n: n + 1 })}
                          required
                          value={item.description}
                          error={err(`facts.items.${n}.description`)}
                          onValue={(v) =>
                            setForm((s) => ({
                              ...s,
                              property: {
                                ...s.property,
                                items: s.property.items.map((x) =>
                                  x.key === item.key ? { ...x, description: v } : x,
                                ),
                              },
                            }))
                          }
                        />
                        <TextField
                          path={`facts.items.${n}.estimatedAmount`}
                          label={tr('itemAmount')}
                          required
                          inputMode="numeric"
                          value={item.amount}
                          error={err(`facts.items.${n}.estimatedAmount`)}
                          onValue={(v) =>
                            setForm((s) => ({
                              ...s,
                              property: {
                                ...s.property,
                                items: s.property.items.map((x) =>
                                  x.key === item.key ? { ...x, amount: formatAmountInput(v, locale) } : x,
                                ),
                              },
                            }))
                          }
                        />
                      </div>
                    ))}
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
                <legend class="section-title">
                  4. {tr('stepAmount')} · 5. {tr('stepContact')}
                </legend>
                <TextField
                  path="estimatedAmount"
                  label={tr('estimatedAmount')}
                  required
                  inputMode="numeric"
                  autoComplete="off"
                  value={form.amount}
                  error={err('estimatedAmount')}
                  onValue={(v) => set('amount', formatAmountInput(v, locale), 'estimatedAmount')}
                />
                <div class="row-2">
                  <TextField
                    path="contact.phone"
                    type="tel"
                    inputMode="tel"
                    label={tr('phone')}
                    required
                    value={form.phone}
                    error={err('contact.phone')}
                    onValue={(v) => set('phone', v, 'contact.phone')}
                  />
                  <TextField
                    path="contact.email"
                    type="email"
                    inputMode="email"
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
                    value={form.accountNumber}
                    error={err('payoutAccount.accountNumber')}
                    onValue={(v) => set('accountNumber', v, 'payoutAccount.accountNumber')}
                  />
                  <TextField
                    path="payoutAccount.accountHolder"
                    label={tr('accountHolder')}
                    required
                    value={form.accountHolder}
                    error={err('payoutAccount.accountHolder')}
                    onValue={(v) => set('accountHolder', v, 'payoutAccount.accountHolder')}
                  />
                </div>
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
