import { useRef, useState } from 'preact/hooks';
import type { FieldIssue } from '../../lambdas/core/errors.ts';
import { CAUSE_TEXT, t } from '../../lambdas/core/messages.ts';
import { isApiError, newIdempotencyKey } from './api.ts';
import {
  BANKS,
  type ClaimFormState,
  displayPath,
  firstIssuePath,
  PROVINCES,
  type PropertyItemState,
} from './claim-form.ts';
import { CheckboxField, FieldFrame, fieldId, SelectField, TextAreaField, TextField } from './components.tsx';
import { type FieldErrors, fieldIssueText, issuesByPath } from './errors.ts';
import { formatAmountInput, formatDate, todayInVietnam } from './format.ts';
import { useLocale } from './locale.tsx';
import type { PolicyItem, ProductItem } from './types.ts';

/**
 * The first-notice-of-loss form, shared by the customer's "new claim" page and the console's phone
 * channel: the form state with its field errors, and the sections both file a claim with. The
 * sections take `selfService`: a customer filling in their own claim gets browser autofill, hints
 * and examples; staff typing for a caller get none (their browser's autofill would be their own).
 */
export function useClaimForm(initial: () => ClaimFormState) {
  const [form, setForm] = useState<ClaimFormState>(initial);
  /** Field issue per on-screen field path. */
  const [errors, setErrors] = useState<FieldErrors>({});
  /** One key per filled-in form: a retry after a lost response finds the claim instead of filing twice. */
  const idempotencyKey = useRef(newIdempotencyKey());
  const itemKey = useRef(2);

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

  /**
   * Shows the issues beside their fields and, after that render, moves focus to the first field to
   * fix (or to `fallbackFocusId`). Returns how many fields have a problem.
   */
  function showIssues(issues: readonly FieldIssue[], fallbackFocusId?: string): number {
    const byPath = issuesByPath(issues, displayPath);
    setErrors(byPath);
    const first = firstIssuePath(Object.keys(byPath));
    requestAnimationFrame(() => {
      const el = first ? document.getElementById(fieldId(first)) : null;
      (el ?? (fallbackFocusId ? document.getElementById(fallbackFocusId) : null))?.focus();
    });
    return Object.keys(byPath).length;
  }

  /**
   * After a failed submit: a 4xx means the API refused the request and filed nothing, so the
   * corrected form is a new request with a new key. After a network error or a 5xx the outcome is
   * unknown: keep the key so the retry finds the claim if it was created.
   */
  function submitFailed(err: unknown) {
    if (isApiError(err) && err.status >= 400 && err.status < 500 && err.code !== 'IDEMPOTENCY_IN_PROGRESS')
      idempotencyKey.current = newIdempotencyKey();
  }

  return {
    form,
    setForm,
    errors,
    setErrors,
    err: (path: string): FieldIssue | undefined => errors[path],
    clear,
    set,
    setIn,
    showIssues,
    submitFailed,
    idempotencyKey,
    itemKey,
  };
}

export type ClaimFormControls = ReturnType<typeof useClaimForm>;

interface SectionProps {
  f: ClaimFormControls;
  selfService: boolean;
}

/** The policies to file against, as radio cards. */
export function PolicyOptions(props: {
  policies: readonly PolicyItem[];
  products: readonly ProductItem[];
  selected: string;
  /** Set to mark the radios invalid for screen readers (the customer app does). */
  invalid?: boolean;
  hasError: boolean;
  /** Staff see whose policy it is. */
  showHolder?: boolean;
  onPick: (policy: PolicyItem, product: ProductItem | undefined) => void;
}) {
  const { locale, tr } = useLocale();
  return (
    <div class={`policy-options${props.hasError ? ' has-error' : ''}`}>
      {props.policies.map((p, i) => {
        const prod = props.products.find((x) => x.code === p.productCode);
        const io = p.insuredObject ?? {};
        const what = io.vehiclePlate ?? io.address ?? io.destination ?? io.insuredPersons?.join(', ');
        return (
          <label
            key={p.policyNumber}
            class={`policy-option${p.policyNumber === props.selected ? ' is-selected' : ''}`}
          >
            <input
              type="radio"
              name="policyNumber"
              id={i === 0 ? fieldId('policyNumber') : undefined}
              value={p.policyNumber}
              checked={p.policyNumber === props.selected}
              aria-invalid={props.invalid}
              onChange={() => props.onPick(p, prod)}
            />
            <span class="policy-option-body">
              <span class="policy-option-title">{prod ? prod.name[locale] : p.productCode}</span>
              <span class="policy-option-number">{p.policyNumber}</span>
              {props.showHolder ? (
                <span class="policy-option-meta">
                  {p.holderName}
                  {what ? ` · ${what}` : ''}
                </span>
              ) : what ? (
                <span class="policy-option-meta">{what}</span>
              ) : null}
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
  );
}

/** When, where, why and what happened. */
export function LossDetailsFields({ f, selfService, product }: SectionProps & { product: ProductItem }) {
  const { locale, tr } = useLocale();
  const { form, err, set } = f;
  return (
    <>
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
        autoComplete={selfService ? 'street-address' : undefined}
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
        hint={selfService ? tr('causeHint') : undefined}
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
    </>
  );
}

/** The facts the product line asks for: vehicle, damaged items, treatment or trip. */
export function ProductFactsFields({ f, selfService, product }: SectionProps & { product: ProductItem }) {
  const { locale, tr } = useLocale();
  const { form, setForm, err, setIn } = f;
  const optional = (label: string) => `${label} ${tr('optional')}`;

  if (product.line === 'motor') {
    const otherParty = (
      <div class="row-2">
        {(['name', 'vehiclePlate', 'phone', 'insurer'] as const).map((k) => (
          <TextField
            key={k}
            path={`facts.otherParty.${k}`}
            label={optional(
              tr(
                k === 'name'
                  ? 'otherName'
                  : k === 'vehiclePlate'
                    ? 'otherPlate'
                    : k === 'phone'
                      ? 'otherPhone'
                      : 'otherInsurer',
              ),
            )}
            {...(selfService
              ? { type: k === 'phone' ? 'tel' : 'text', inputMode: k === 'phone' ? 'tel' : undefined }
              : {})}
            value={form.motor.other[k]}
            error={err(`facts.otherParty.${k}`)}
            onValue={(v) =>
              setIn('motor', { other: { ...form.motor.other, [k]: v } }, `facts.otherParty.${k}`)
            }
          />
        ))}
      </div>
    );
    return (
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
            label={optional(tr('driverName'))}
            autoComplete={selfService ? 'name' : undefined}
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
          selfService ? (
            <div class="subsection">
              <h3 class="subsection-title">{tr('otherPartyTitle')}</h3>
              {otherParty}
            </div>
          ) : (
            otherParty
          )
        ) : null}
      </>
    );
  }

  if (product.line === 'property') {
    const items = form.property.items;
    const update = (key: number, patch: Partial<PropertyItemState>, path: string) => {
      setForm((s) => ({
        ...s,
        property: {
          ...s.property,
          items: s.property.items.map((x) => (x.key === key ? { ...x, ...patch } : x)),
        },
      }));
      f.clear(path);
    };
    const itemFields = (item: PropertyItemState, i: number, descriptionLabel: string) => (
      <div key={item.key} class="row-2">
        <TextField
          path={`facts.items.${i}.description`}
          label={descriptionLabel}
          required
          value={item.description}
          error={err(`facts.items.${i}.description`)}
          onValue={(v) => update(item.key, { description: v }, `facts.items.${i}.description`)}
        />
        <TextField
          path={`facts.items.${i}.estimatedAmount`}
          label={tr('itemAmount')}
          required
          inputMode="numeric"
          value={item.amount}
          error={err(`facts.items.${i}.estimatedAmount`)}
          onValue={(v) =>
            update(item.key, { amount: formatAmountInput(v, locale) }, `facts.items.${i}.estimatedAmount`)
          }
        />
      </div>
    );
    return (
      <>
        <CheckboxField
          path="facts.policeAttended"
          label={tr('policeAttended')}
          checked={form.property.policeAttended}
          onChecked={(v) => setForm((s) => ({ ...s, property: { ...s.property, policeAttended: v } }))}
        />
        {selfService ? (
          <>
            <h3 class="subsection-title">{tr('damagedItems')}</h3>
            {err('facts.items') ? (
              <p class="field-error">{fieldIssueText(err('facts.items'), locale)}</p>
            ) : null}
            <ol class="item-list">
              {items.map((item, i) => (
                <li key={item.key} class="subsection">
                  <div class="item-head">
                    <h4 class="subsection-title">{tr('itemN', { n: i + 1 })}</h4>
                    {items.length > 1 ? (
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
                  {itemFields(item, i, tr('itemDescription'))}
                </li>
              ))}
            </ol>
          </>
        ) : (
          items.map((item, i) => itemFields(item, i, tr('itemN', { n: i + 1 })))
        )}
        <button
          type="button"
          class="btn btn-secondary btn-small"
          onClick={() =>
            setForm((s) => ({
              ...s,
              property: {
                ...s.property,
                items: [...s.property.items, { key: f.itemKey.current++, description: '', amount: '' }],
              },
            }))
          }
        >
          + {tr('addItem')}
        </button>
      </>
    );
  }

  if (product.line === 'health') {
    return (
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
            label={optional(tr('admittedOn'))}
            value={form.health.admittedOn}
            error={err('facts.admittedOn')}
            onValue={(v) => setIn('health', { admittedOn: v }, 'facts.admittedOn')}
          />
          <TextField
            path="facts.dischargedOn"
            type="date"
            label={optional(tr('dischargedOn'))}
            value={form.health.dischargedOn}
            error={err('facts.dischargedOn')}
            onValue={(v) => setIn('health', { dischargedOn: v }, 'facts.dischargedOn')}
          />
        </div>
      </>
    );
  }

  if (product.line === 'travel') {
    return (
      <>
        <TextField
          path="facts.country"
          label={tr('country')}
          required
          autoComplete={selfService ? 'country-name' : undefined}
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
          label={optional(tr('carrier'))}
          value={form.travel.carrier}
          error={err('facts.carrier')}
          onValue={(v) => setIn('travel', { carrier: v }, 'facts.carrier')}
        />
      </>
    );
  }
  return null;
}

/** The claimed amount. */
export function EstimateField({ f, selfService }: SectionProps) {
  const { locale, tr } = useLocale();
  return (
    <TextField
      path="estimatedAmount"
      label={tr('estimatedAmount')}
      hint={selfService ? tr('estimatedAmountHint') : undefined}
      required
      inputMode="numeric"
      autoComplete="off"
      placeholder={selfService ? (locale === 'vi' ? '5.000.000' : '5,000,000') : undefined}
      value={f.form.amount}
      error={f.err('estimatedAmount')}
      onValue={(v) => f.set('amount', formatAmountInput(v, locale), 'estimatedAmount')}
    />
  );
}

/** How to reach the claimant. */
export function ContactFields({ f, selfService }: SectionProps) {
  const { tr } = useLocale();
  return (
    <div class="row-2">
      <TextField
        path="contact.phone"
        type="tel"
        inputMode="tel"
        autoComplete={selfService ? 'tel' : undefined}
        label={tr('phone')}
        required
        placeholder={selfService ? '0912345678' : undefined}
        value={f.form.phone}
        error={f.err('contact.phone')}
        onValue={(v) => f.set('phone', v, 'contact.phone')}
      />
      <TextField
        path="contact.email"
        type="email"
        inputMode="email"
        autoComplete={selfService ? 'email' : undefined}
        label={tr('email')}
        required
        value={f.form.email}
        error={f.err('contact.email')}
        onValue={(v) => f.set('email', v, 'contact.email')}
      />
    </div>
  );
}

/** The bank account the payout goes to. */
export function PayoutAccountFields({ f, selfService }: SectionProps) {
  const { tr } = useLocale();
  const { form, err, set } = f;
  return (
    <>
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
          autoComplete={selfService ? 'off' : undefined}
          value={form.accountNumber}
          error={err('payoutAccount.accountNumber')}
          onValue={(v) => set('accountNumber', v, 'payoutAccount.accountNumber')}
        />
        <TextField
          path="payoutAccount.accountHolder"
          label={tr('accountHolder')}
          required
          autoComplete={selfService ? 'name' : undefined}
          value={form.accountHolder}
          error={err('payoutAccount.accountHolder')}
          onValue={(v) => set('accountHolder', v, 'payoutAccount.accountHolder')}
        />
      </div>
    </>
  );
}
