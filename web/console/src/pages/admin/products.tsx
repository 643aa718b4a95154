import { useState } from 'preact/hooks';
import { productConfigIssues, ProductConfigShape } from '../../../../../lambdas/core/config-rules.ts';
import { DEPARTMENTS } from '../../../../../lambdas/core/claim.ts';
import type { FieldIssue } from '../../../../../lambdas/core/errors.ts';
import { DOCUMENT_TEXT, t } from '../../../../../lambdas/core/messages.ts';
import {
  DeadlineRule,
  DOCUMENT_TYPES,
  type DocumentType,
  ProductConfig,
} from '../../../../../lambdas/core/products.ts';
import { isApiError } from '../../../../shared/api.ts';
import { TextField } from '../../../../shared/components.tsx';
import { fieldIssuesFromZod, fieldIssueText, issuesByPath } from '../../../../shared/errors.ts';
import { formatAmountInput, formatDateTime, parseAmount } from '../../../../shared/format.ts';
import { lookup } from '../../../../shared/i18n.ts';
import { productOf, useConsole } from '../../context.ts';
import { type ConsoleKey, DEADLINE_KIND_TEXT, DEPARTMENT_TEXT, useText } from '../../i18n.ts';
import { isAdmin } from '../../permissions.ts';
import type { ProductConfigEntry } from '../../types.ts';
import {
  type EditorProps,
  SaveErrorBanner,
  saveVersioned,
  VersionedConfigPage,
  VersionHint,
} from './versioned-config-page.tsx';

/** The editable config: whatever the admin typed, checked only when saving (so it may be invalid). */
type Draft = Record<string, unknown> & {
  code: string;
  noticeDays?: unknown;
  straightThroughMax?: unknown;
  jointDecision?: { threshold?: unknown; departments?: unknown; quorum?: unknown };
  documentChecklist?: { type?: unknown; required?: unknown; requiredWhen?: unknown }[];
  deadlines?: Record<string, unknown>[];
};

const KINDS = DeadlineRule.shape.kind.options;
const FROMS = DeadlineRule.shape.from.options;
const UNITS = DeadlineRule.shape.unit.options;
const WHEN = ['police_attended', 'third_party_involved'] as const;

/** The checks the API runs (config-rules.ts), in the same order, so a bad config never leaves the browser. */
export function configIssues(code: string, draft: unknown): FieldIssue[] {
  const shape = ProductConfigShape.safeParse(draft, { reportInput: true });
  if (!shape.success) return fieldIssuesFromZod(shape.error);
  const rules = productConfigIssues(code, shape.data);
  if (rules.length > 0) return rules;
  const full = ProductConfig.safeParse(draft);
  return full.success ? [] : fieldIssuesFromZod(full.error);
}

const intOf = (text: string): number | undefined => {
  const digits = text.replace(/\D/g, '');
  return digits === '' ? undefined : Number(digits);
};
const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));

export function ProductsPage() {
  const { locale, c } = useText();
  const { products } = useConsole();
  return (
    <VersionedConfigPage<ProductConfigEntry>
      title={c('productsTitle')}
      readOnlyHint={c('readOnlyConfig')}
      path="/admin/products"
      idOf={(i) => i.code}
      picker={(items, entry, pick) => (
        <div class="tabs" role="tablist" aria-label={c('productsTitle')}>
          {items.map((i) => (
            <button
              key={i.code}
              type="button"
              role="tab"
              aria-selected={i.code === entry?.code}
              class={`tab${i.code === entry?.code ? ' is-active' : ''}`}
              onClick={() => pick(i.code)}
            >
              {productOf(products, i.code)?.name[locale] ?? i.code}
            </button>
          ))}
        </div>
      )}
      editor={(p) => <ProductEditor {...p} />}
    />
  );
}

function ProductEditor(props: EditorProps<ProductConfigEntry>) {
  const { entry, onSaved, onEdit } = props;
  const { api, me, products } = useConsole();
  const { locale, c } = useText();
  const admin = isAdmin(me);
  const [draft, setDraftState] = useState<Draft>(() => structuredClone(entry.config) as unknown as Draft);
  const [raw, setRaw] = useState(() => JSON.stringify(entry.config, null, 2));
  const [rawError, setRawError] = useState<string | null>(null);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const setDraft = (next: Draft) => {
    setDraftState(next);
    setRaw(JSON.stringify(next, null, 2));
    setIssues([]);
    onEdit();
  };
  const jd = draft.jointDecision ?? {};
  const departments = Array.isArray(jd.departments) ? (jd.departments as string[]) : [];
  const checklist = Array.isArray(draft.documentChecklist) ? draft.documentChecklist : [];
  const deadlines = Array.isArray(draft.deadlines) ? draft.deadlines : [];
  const byPath = issuesByPath(issues);
  const f = (p: string) => byPath[p];

  async function save(e: Event) {
    e.preventDefault();
    setError(null);
    const found = configIssues(entry.code, draft);
    if (found.length > 0) {
      setIssues(found);
      return;
    }
    await saveVersioned({
      put: () =>
        api.put<{ version: number; changed: boolean; code: string }>(
          `/admin/products/${encodeURIComponent(entry.code)}`,
          { expectedVersion: entry.version, config: draft },
        ),
      savedText: (r) =>
        c('configSaved', { name: productOf(products, r.code)?.name[locale] ?? r.code, version: r.version }),
      onSaved,
      failed: (err) => {
        setError(err);
        if (isApiError(err)) setIssues(err.fields);
      },
      setBusy,
      c,
    });
  }

  function applyJson() {
    try {
      const parsed = JSON.parse(raw) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('{…}');
      setRawError(null);
      setDraftState(parsed as Draft);
      setIssues(configIssues(entry.code, parsed));
    } catch (err) {
      setRawError(c('jsonInvalid', { error: err instanceof Error ? err.message : String(err) }));
    }
  }

  return (
    <form class="product-editor" noValidate onSubmit={save} data-product={entry.code}>
      <VersionHint entry={entry} />
      {issues.length > 0 ? (
        <div class="banner banner-error" role="alert" data-testid="config-issues">
          <p>{c('configProblems', { count: issues.length })}</p>
          <ul>
            {issues.map((i) => (
              <li key={`${i.path}-${i.code}`} data-issue={i.code}>
                <code>{i.path}</code>: {fieldIssueText(i, locale)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <SaveErrorBanner error={error} />

      <div class="editor-grid">
        <fieldset class="card form-section">
          <legend class="section-title">{c('navProducts')}</legend>
          <TextField
            path="noticeDays"
            label={c('noticeDays')}
            inputMode="numeric"
            value={text(draft.noticeDays)}
            error={f('noticeDays')}
            onValue={(v) => setDraft({ ...draft, noticeDays: intOf(v) })}
          />
          <TextField
            path="straightThroughMax"
            label={c('straightThroughMax')}
            inputMode="numeric"
            value={formatAmountInput(text(draft.straightThroughMax), locale)}
            error={f('straightThroughMax')}
            onValue={(v) => setDraft({ ...draft, straightThroughMax: parseAmount(v) })}
          />
          <TextField
            path="jointDecision.threshold"
            label={c('jointThreshold')}
            inputMode="numeric"
            value={formatAmountInput(text(jd.threshold), locale)}
            error={f('jointDecision.threshold')}
            onValue={(v) => setDraft({ ...draft, jointDecision: { ...jd, threshold: parseAmount(v) } })}
          />
          <fieldset class="checkbox-grid">
            <legend class="field-label">{c('jointDepartments')}</legend>
            {DEPARTMENTS.map((d) => (
              <label key={d} class="check-option">
                <input
                  type="checkbox"
                  name="departments"
                  value={d}
                  checked={departments.includes(d)}
                  onChange={(e) =>
                    setDraft({
                      ...draft,
                      jointDecision: {
                        ...jd,
                        departments: e.currentTarget.checked
                          ? [...departments, d]
                          : departments.filter((x) => x !== d),
                      },
                    })
                  }
                />
                {lookup(DEPARTMENT_TEXT, d, locale)}
              </label>
            ))}
          </fieldset>
          <TextField
            path="jointDecision.quorum"
            label={c('jointQuorum')}
            inputMode="numeric"
            value={text(jd.quorum)}
            error={f('jointDecision.quorum')}
            onValue={(v) => setDraft({ ...draft, jointDecision: { ...jd, quorum: intOf(v) } })}
          />
        </fieldset>

        <fieldset class="card form-section">
          <legend class="section-title">{c('checklistTitle')}</legend>
          {f('documentChecklist') ? (
            <p class="field-error">{fieldIssueText(f('documentChecklist'), locale)}</p>
          ) : null}
          <table class="data-table compact-table">
            <thead>
              <tr>
                <th scope="col">{c('colDetail')}</th>
                <th scope="col">{c('checklistRequired')}</th>
                <th scope="col">{c('checklistWhen')}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {checklist.map((item, n) => {
                const update = (patch: Record<string, unknown>) =>
                  setDraft({
                    ...draft,
                    documentChecklist: checklist.map((x, i) => (i === n ? { ...x, ...patch } : x)),
                  });
                return (
                  <tr key={n} class={f(`documentChecklist.${n}.type`) ? 'has-error' : undefined}>
                    <td>
                      <select
                        aria-label={`${c('checklistTitle')} ${n + 1}`}
                        value={text(item.type)}
                        onChange={(e) => update({ type: e.currentTarget.value })}
                      >
                        {DOCUMENT_TYPES.map((d) => (
                          <option key={d} value={d}>
                            {t(DOCUMENT_TEXT, d as DocumentType, locale)}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={c('checklistRequired')}
                        checked={item.required === true}
                        onChange={(e) => update({ required: e.currentTarget.checked })}
                      />
                    </td>
                    <td>
                      <select
                        aria-label={c('checklistWhen')}
                        value={text(item.requiredWhen)}
                        onChange={(e) => update({ requiredWhen: e.currentTarget.value || undefined })}
                      >
                        <option value="">{c('when_always')}</option>
                        {WHEN.map((w) => (
                          <option key={w} value={w}>
                            {c(`when_${w}`)}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <button
                        type="button"
                        class="btn btn-ghost btn-small"
                        onClick={() =>
                          setDraft({ ...draft, documentChecklist: checklist.filter((_, i) => i !== n) })
                        }
                      >
                        ✕<span class="visually-hidden">{c('removeRow', { n: n + 1 })}</span>
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <button
            type="button"
            class="btn btn-secondary btn-small"
            onClick={() =>
              setDraft({ ...draft, documentChecklist: [...checklist, { type: 'other', required: false }] })
            }
          >
            + {c('addDocument')}
          </button>
        </fieldset>

        <fieldset class="card form-section span-2">
          <legend class="section-title">{c('deadlinesConfig')}</legend>
          {f('deadlines') ? <p class="field-error">{fieldIssueText(f('deadlines'), locale)}</p> : null}
          <div class="table-wrap">
            <table class="data-table compact-table">
              <thead>
                <tr>
                  <th scope="col">{c('deadlineKind')}</th>
                  <th scope="col">{c('deadlineFrom')}</th>
                  <th scope="col">{c('deadlineAmount')}</th>
                  <th scope="col">{c('deadlineUnit')}</th>
                  <th scope="col">{c('deadlineBasis')}</th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {deadlines.map((d, n) => {
                  const update = (patch: Record<string, unknown>) =>
                    setDraft({
                      ...draft,
                      deadlines: deadlines.map((x, i) => (i === n ? { ...x, ...patch } : x)),
                    });
                  const rowError = ['kind', 'from', 'amount', 'unit', 'basis']
                    .map((k) => f(`deadlines.${n}.${k}`))
                    .find(Boolean);
                  return (
                    <tr key={n} class={rowError ? 'has-error' : undefined} data-deadline={text(d.kind)}>
                      <td>
                        <select
                          aria-label={`${c('deadlineKind')} ${n + 1}`}
                          value={text(d.kind)}
                          onChange={(e) => update({ kind: e.currentTarget.value })}
                        >
                          {KINDS.map((k) => (
                            <option key={k} value={k}>
                              {lookup(DEADLINE_KIND_TEXT, k, locale)}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <select
                          aria-label={`${c('deadlineFrom')} ${n + 1}`}
                          value={text(d.from)}
                          onChange={(e) => update({ from: e.currentTarget.value })}
                        >
                          {FROMS.map((k) => (
                            <option key={k} value={k}>
                              {c(`from_${k}` as ConsoleKey)}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <input
                          type="text"
                          inputMode="numeric"
                          class="input-narrow"
                          aria-label={`${c('deadlineAmount')} ${n + 1}`}
                          aria-invalid={Boolean(f(`deadlines.${n}.amount`))}
                          value={text(d.amount)}
                          onInput={(e) => update({ amount: intOf(e.currentTarget.value) })}
                        />
                        {f(`deadlines.${n}.amount`) ? (
                          <p class="field-error">{fieldIssueText(f(`deadlines.${n}.amount`), locale)}</p>
                        ) : null}
                      </td>
                      <td>
                        <select
                          aria-label={`${c('deadlineUnit')} ${n + 1}`}
                          value={text(d.unit)}
                          onChange={(e) => update({ unit: e.currentTarget.value })}
                        >
                          {UNITS.map((k) => (
                            <option key={k} value={k}>
                              {c(`unit_${k}` as ConsoleKey)}
                            </option>
                          ))}
                        </select>
                        {f(`deadlines.${n}.unit`) ? (
                          <p class="field-error">{fieldIssueText(f(`deadlines.${n}.unit`), locale)}</p>
                        ) : null}
                      </td>
                      <td>
                        <input
                          type="text"
                          aria-label={`${c('deadlineBasis')} ${n + 1}`}
                          value={text(d.basis)}
                          onInput={(e) => update({ basis: e.currentTarget.value })}
                        />
                      </td>
                      <td>
                        <button
                          type="button"
                          class="btn btn-ghost btn-small"
                          onClick={() =>
                            setDraft({ ...draft, deadlines: deadlines.filter((_, i) => i !== n) })
                          }
                        >
                          ✕<span class="visually-hidden">{c('removeRow', { n: n + 1 })}</span>
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <button
            type="button"
            class="btn btn-secondary btn-small"
            onClick={() =>
              setDraft({
                ...draft,
                deadlines: [
                  ...deadlines,
                  {
                    kind: 'assessment',
                    from: 'submitted',
                    amount: 1,
                    unit: 'working_days',
                    basis: 'Service standard',
                  },
                ],
              })
            }
          >
            + {c('addDeadline')}
          </button>
        </fieldset>

        <details class="card span-2 raw-json">
          <summary class="section-title">{c('rawJson')}</summary>
          <textarea
            class="json-editor"
            aria-label={c('rawJson')}
            rows={20}
            spellcheck={false}
            value={raw}
            onInput={(e) => setRaw(e.currentTarget.value)}
          />
          {rawError ? <p class="field-error">{rawError}</p> : null}
          <button type="button" class="btn btn-secondary btn-small" onClick={applyJson}>
            {c('applyJson')}
          </button>
        </details>

        {entry.history.length > 0 ? (
          <section class="card span-2">
            <h2 class="section-title">{c('historyTitle')}</h2>
            <ul class="history">
              {entry.history.map((h) => (
                <li key={h.version}>
                  v{h.version} · {formatDateTime(h.updatedAt, locale)} · {h.updatedBy}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </div>
      {admin ? (
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy} aria-busy={busy}>
            {busy ? c('saving') : c('saveConfig')}
          </button>
        </div>
      ) : null}
    </form>
  );
}
