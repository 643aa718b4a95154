import type { FieldIssue } from '../../../../../lambdas/core/errors.ts';
import { useMemo, useRef, useState } from 'preact/hooks';
import {
  LOSS_ITEM_KINDS,
  type LossItemKind,
  REDUCTION_CODES,
  type ReductionCode,
} from '../../../../../lambdas/core/payout.ts';
import { RecordAssessmentBody } from '../../../../../lambdas/core/staff-schemas.ts';
import { ErrorBanner, SelectField, TextAreaField, TextField } from '../../../../shared/components.tsx';
import { fieldIssueText, fieldIssuesFromZod } from '../../../../shared/errors.ts';
import { PayoutSteps } from '../../../../shared/payout-steps.tsx';
import { formatAmountInput, money } from '../../../../shared/format.ts';
import { useConsole } from '../../context.ts';
import { useText } from '../../i18n.ts';
import type { StepView } from '../../types.ts';
import {
  type AssessmentState,
  buildBody,
  initialAssessment,
  type ItemState,
  previewPayout,
} from './assessment-model.ts';
import { useWrite } from './write.ts';

/** A VND amount typed with thousands separators as you go. */
export function AmountField(props: {
  path: string;
  label: string;
  value: string;
  onValue: (v: string) => void;
  error?: FieldIssue | string;
  hint?: string;
  required?: boolean;
}) {
  const { locale } = useText();
  return (
    <TextField
      {...props}
      inputMode="numeric"
      autoComplete="off"
      onValue={(v) => props.onValue(formatAmountInput(v, locale))}
    />
  );
}

const pct = (bpsText: string, locale: 'vi' | 'en') => {
  const n = Number(bpsText);
  return Number.isFinite(n)
    ? `${new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 2 }).format(n / 100)}%`
    : '—';
};

/** Loss items, values, depreciation and reductions, with the payout worked out live as you type. */
export function AssessmentForm() {
  const { api } = useConsole();
  const { locale, c } = useText();
  const w = useWrite();
  const { claim } = w;
  const [s, setS] = useState<AssessmentState>(() =>
    initialAssessment(claim, (t) => formatAmountInput(t, locale)),
  );
  const nextKey = useRef(100);
  const covers = claim.policy?.covers ?? [];
  const waived = claim.policy?.addOns.includes('new_for_old') ?? false;

  const body = useMemo(() => buildBody(s, claim.version), [s, claim.version]);
  const preview = useMemo(() => previewPayout(body, claim.policy), [body, claim.policy]);

  const setItem = (key: number, patch: Partial<ItemState>, path: string) => {
    setS((x) => ({ ...x, items: x.items.map((i) => (i.key === key ? { ...i, ...patch } : i)) }));
    w.clearField(path);
  };
  const set = (patch: Partial<AssessmentState>, path: string) => {
    setS((x) => ({ ...x, ...patch }));
    w.clearField(path);
  };

  function onSubmit(e: Event) {
    e.preventDefault();
    const parsed = RecordAssessmentBody.safeParse(body, { reportInput: true });
    if (!parsed.success) {
      w.showIssues(fieldIssuesFromZod(parsed.error));
      return;
    }
    if (!preview.ok) {
      w.showIssues(preview.issues);
      return;
    }
    void w.run(
      () =>
        api.post<{ assessment?: { payable: { amount: number; currency: 'VND' } } }>(
          `/claims/${encodeURIComponent(claim.claimId)}/assessment`,
          parsed.data,
        ),
      (r) => c('assessmentSaved', { amount: money(r.assessment?.payable, locale) }),
    );
  }

  const err = (p: string) => w.fields[p];

  return (
    <form class="action-form assessment-form" noValidate onSubmit={onSubmit} aria-labelledby="assess-title">
      <h3 id="assess-title" class="subsection-title">
        {c('assessTitle')}
      </h3>
      <div class="assessment-grid">
        <div class="assessment-inputs">
          <fieldset class="form-section">
            <legend class="section-title">{c('lossItems')}</legend>
            {err('items') ? <p class="field-error">{fieldIssueText(err('items'), locale)}</p> : null}
            {s.items.map((item, n) => (
              <fieldset key={item.key} class="loss-item" data-item={n}>
                <legend class="loss-item-title">
                  {c('itemN', { n: n + 1 })}
                  {s.items.length > 1 ? (
                    <button
                      type="button"
                      class="btn btn-ghost btn-small"
                      onClick={() =>
                        setS((x) => ({ ...x, items: x.items.filter((i) => i.key !== item.key) }))
                      }
                    >
                      ✕<span class="visually-hidden">{c('removeLossItem', { n: n + 1 })}</span>
                    </button>
                  ) : null}
                </legend>
                <TextField
                  path={`items.${n}.description`}
                  label={c('itemDescription')}
                  required
                  maxLength={300}
                  value={item.description}
                  error={err(`items.${n}.description`)}
                  onValue={(v) => setItem(item.key, { description: v }, `items.${n}.description`)}
                />
                <div class="row-4">
                  <SelectField
                    path={`items.${n}.coverCode`}
                    label={c('itemCover')}
                    required
                    value={item.coverCode}
                    error={err(`items.${n}.coverCode`)}
                    options={covers.map((cv) => ({
                      value: cv.code,
                      label: cv.name[locale],
                    }))}
                    onValue={(v) => setItem(item.key, { coverCode: v }, `items.${n}.coverCode`)}
                  />
                  <SelectField
                    path={`items.${n}.kind`}
                    label={c('itemKind')}
                    required
                    value={item.kind}
                    options={LOSS_ITEM_KINDS.map((k) => ({ value: k, label: c(`kind_${k}`) }))}
                    onValue={(v) => setItem(item.key, { kind: v as LossItemKind }, `items.${n}.kind`)}
                  />
                  <AmountField
                    path={`items.${n}.assessedAmount`}
                    label={c('itemAmount')}
                    required
                    value={item.amount}
                    error={err(`items.${n}.assessedAmount`)}
                    onValue={(v) => setItem(item.key, { amount: v }, `items.${n}.assessedAmount`)}
                  />
                  {item.kind === 'replacement' ? (
                    <TextField
                      path={`items.${n}.partAgeYears`}
                      label={c('itemAge')}
                      inputMode="numeric"
                      value={item.age}
                      error={err(`items.${n}.partAgeYears`)}
                      onValue={(v) => setItem(item.key, { age: v }, `items.${n}.partAgeYears`)}
                    />
                  ) : null}
                </div>
              </fieldset>
            ))}
            <button
              type="button"
              class="btn btn-secondary btn-small"
              onClick={() =>
                setS((x) => ({
                  ...x,
                  items: [
                    ...x.items,
                    {
                      key: nextKey.current++,
                      description: '',
                      coverCode: x.items.at(-1)?.coverCode ?? covers[0]?.code ?? '',
                      kind: x.items.at(-1)?.kind ?? 'repair',
                      amount: '',
                      age: '',
                    },
                  ],
                }))
              }
            >
              + {c('addLossItem')}
            </button>
          </fieldset>

          <fieldset class="form-section">
            <legend class="section-title">{c('valuesTitle')}</legend>
            <div class="row-3">
              <AmountField
                path="marketValue"
                label={c('marketValue')}
                hint={
                  claim.policy?.insuredValue !== undefined
                    ? c('marketValueHint', {
                        value: money({ amount: claim.policy.insuredValue, currency: 'VND' }, locale),
                      })
                    : undefined
                }
                value={s.marketValue}
                error={err('marketValue')}
                onValue={(v) => set({ marketValue: v }, 'marketValue')}
              />
              <AmountField
                path="salvage"
                label={c('salvage')}
                value={s.salvage}
                error={err('salvage')}
                onValue={(v) => set({ salvage: v }, 'salvage')}
              />
              <AmountField
                path="mitigationCosts"
                label={c('mitigation')}
                value={s.mitigation}
                error={err('mitigationCosts')}
                onValue={(v) => set({ mitigation: v }, 'mitigationCosts')}
              />
            </div>
          </fieldset>

          <fieldset class="form-section">
            <legend class="section-title">{c('depreciationTitle')}</legend>
            {waived ? <p class="hint">{c('depreciationWaived')}</p> : null}
            <div class="row-2">
              <TextField
                path="depreciation.bpsPerYear"
                label={c('bpsPerYear')}
                inputMode="numeric"
                hint={c('bpsHint', { pct: pct(s.bpsPerYear, locale) })}
                value={s.bpsPerYear}
                error={err('depreciation.bpsPerYear')}
                onValue={(v) => set({ bpsPerYear: v }, 'depreciation.bpsPerYear')}
              />
              <TextField
                path="depreciation.maxBps"
                label={c('maxBps')}
                inputMode="numeric"
                hint={c('bpsHint', { pct: pct(s.maxBps, locale) })}
                value={s.maxBps}
                error={err('depreciation.maxBps')}
                onValue={(v) => set({ maxBps: v }, 'depreciation.maxBps')}
              />
            </div>
          </fieldset>

          <fieldset class="form-section">
            <legend class="section-title">{c('reductionsTitle')}</legend>
            <p class="hint">{c('reductionsHint')}</p>
            {s.reductions.map((r, n) => (
              <div key={r.key} class="row-3 reduction-row">
                <SelectField
                  path={`reductions.${n}.code`}
                  label={c('reductionCode')}
                  value={r.code}
                  options={REDUCTION_CODES.map((code) => ({ value: code, label: c(`reduction_${code}`) }))}
                  onValue={(v) =>
                    set(
                      {
                        reductions: s.reductions.map((x) =>
                          x.key === r.key ? { ...x, code: v as ReductionCode } : x,
                        ),
                      },
                      `reductions.${n}.code`,
                    )
                  }
                />
                <TextField
                  path={`reductions.${n}.bps`}
                  label={c('reductionBps')}
                  inputMode="numeric"
                  hint={c('bpsHint', { pct: pct(r.bps, locale) })}
                  value={r.bps}
                  error={err(`reductions.${n}.bps`)}
                  onValue={(v) =>
                    set(
                      { reductions: s.reductions.map((x) => (x.key === r.key ? { ...x, bps: v } : x)) },
                      `reductions.${n}.bps`,
                    )
                  }
                />
                <button
                  type="button"
                  class="btn btn-ghost btn-small row-remove"
                  onClick={() =>
                    setS((x) => ({ ...x, reductions: x.reductions.filter((y) => y.key !== r.key) }))
                  }
                >
                  ✕<span class="visually-hidden">{c('removeReduction', { n: n + 1 })}</span>
                </button>
              </div>
            ))}
            <button
              type="button"
              class="btn btn-secondary btn-small"
              onClick={() =>
                setS((x) => ({
                  ...x,
                  reductions: [...x.reductions, { key: nextKey.current++, code: 'late_notice', bps: '' }],
                }))
              }
            >
              + {c('addReduction')}
            </button>
          </fieldset>

          <TextAreaField
            path="note"
            label={c('assessmentNote')}
            rows={2}
            maxLength={4000}
            value={s.note}
            onValue={(v) => set({ note: v }, 'note')}
          />
        </div>

        <aside class="assessment-preview" aria-labelledby="preview-title" aria-live="polite">
          <h4 id="preview-title" class="section-title">
            {c('previewTitle2')}
          </h4>
          <p class="hint">{c('previewHint')}</p>
          {preview.ok ? (
            <>
              <PayoutSteps steps={preview.result.steps as StepView[]} caption={c('previewTitle2')} compact />
              <p class="preview-total" data-testid="preview-total">
                {c('payable')}: <strong>{money(preview.result.payable, locale)}</strong>
                {preview.result.totalLoss ? (
                  <span class="badge badge-action">{c('totalLossYes')}</span>
                ) : null}
              </p>
            </>
          ) : (
            <p class="hint preview-incomplete">
              {c('previewIncomplete', {
                problems: [...new Set(preview.issues.map((i) => fieldIssueText(i, locale)))]
                  .slice(0, 4)
                  .join('; '),
              })}
            </p>
          )}
        </aside>
      </div>
      <ErrorBanner error={w.error} />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={w.busy} aria-busy={w.busy}>
          {w.busy ? c('saving') : c('saveAssessment')}
        </button>
      </div>
    </form>
  );
}
