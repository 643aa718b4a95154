import { useState } from 'preact/hooks';
import type { FieldIssue } from '../../../../../lambdas/core/errors.ts';
import { type Locale, TEMPLATE_TEXT } from '../../../../../lambdas/core/messages.ts';
import {
  TemplateShape,
  templateIssues,
  unknownVariables,
} from '../../../../../lambdas/core/template-rules.ts';
import type { RenderedMessage } from '../../../../../lambdas/core/render-message.ts';
import { isTemplateName, TEMPLATE_PARTS, type TemplatePart } from '../../../../../lambdas/core/templates.ts';
import { isApiError } from '../../../../shared/api.ts';
import { TextAreaField } from '../../../../shared/components.tsx';
import { fieldIssuesFromZod, fieldIssueText, issuesByPath } from '../../../../shared/errors.ts';
import { lookup } from '../../../../shared/i18n.ts';
import { useConsole } from '../../context.ts';
import { useText } from '../../i18n.ts';
import { isAdmin } from '../../permissions.ts';
import type { TemplateEntry } from '../../types.ts';
import {
  type EditorProps,
  SaveErrorBanner,
  saveVersioned,
  VersionedConfigPage,
  VersionHint,
} from './versioned-config-page.tsx';

/** The editable template: whatever the admin typed, checked only on preview and save. */
type Draft = Partial<Record<TemplatePart, { vi?: string; en?: string }>>;

const LOCALES: readonly Locale[] = ['vi', 'en'];

/** The checks the API runs (template-rules.ts), so a bad template never leaves the browser. */
export function draftIssues(name: string, draft: Draft, linkOrigins: readonly string[] = []): FieldIssue[] {
  const shape = TemplateShape.safeParse(draft, { reportInput: true });
  if (!shape.success) return fieldIssuesFromZod(shape.error);
  return isTemplateName(name) ? templateIssues(name, shape.data, linkOrigins) : [];
}

export function TemplatesPage() {
  const { locale, c } = useText();
  return (
    <VersionedConfigPage<TemplateEntry>
      title={c('templatesTitle')}
      readOnlyHint={c('readOnlyTemplates')}
      path="/admin/templates"
      idOf={(i) => i.name}
      picker={(items, entry, pick) => (
        <div class="field">
          <label for="template-pick">{c('templatePick')}</label>
          <select id="template-pick" value={entry?.name} onChange={(e) => pick(e.currentTarget.value)}>
            {items.map((i) => (
              <option key={i.name} value={i.name}>
                {lookup(TEMPLATE_TEXT, i.name, locale)} (v{i.version})
              </option>
            ))}
          </select>
        </div>
      )}
      editor={(p) => <TemplateEditor {...p} />}
    />
  );
}

function TemplateEditor(props: EditorProps<TemplateEntry>) {
  const { entry, onSaved, onEdit } = props;
  const { api, me } = useConsole();
  const { locale, c } = useText();
  const admin = isAdmin(me);
  const [draft, setDraftState] = useState<Draft>(() => structuredClone(entry.template));
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [previewLocale, setPreviewLocale] = useState<Locale>(locale);
  const [preview, setPreview] = useState<RenderedMessage | null>(null);
  // The parts the shipped template has: an edited one keeps exactly these.
  const parts = TEMPLATE_PARTS.filter((p) => entry.default[p]);
  const byPath = issuesByPath(issues);

  const setDraft = (next: Draft) => {
    setDraftState(next);
    setIssues([]);
    setNotice(null);
    onEdit();
  };

  /** Client-side checks first; false (with the issues shown) when the draft cannot be sent. */
  const checked = () => {
    setError(null);
    const found = draftIssues(entry.name, draft, entry.linkOrigins);
    setIssues(found);
    return found.length === 0;
  };

  const failed = (err: unknown) => {
    setError(err);
    if (isApiError(err)) setIssues(err.fields);
  };

  async function showPreview() {
    if (!checked()) return;
    setBusy(true);
    try {
      setPreview(
        await api.post<RenderedMessage>(`/admin/templates/${encodeURIComponent(entry.name)}/preview`, {
          locale: previewLocale,
          template: draft,
        }),
      );
    } catch (err) {
      failed(err);
    } finally {
      setBusy(false);
    }
  }

  async function save(e: Event) {
    e.preventDefault();
    if (!checked()) return;
    await saveVersioned({
      put: () =>
        api.put<{ name: string; version: number; changed: boolean }>(
          `/admin/templates/${encodeURIComponent(entry.name)}`,
          { expectedVersion: entry.version, template: draft },
        ),
      savedText: (r) => c('templateSaved', { name: r.name, version: r.version }),
      onSaved,
      failed,
      setBusy,
      c,
    });
  }

  return (
    <form class="template-editor" noValidate onSubmit={save} data-template={entry.name}>
      <VersionHint entry={entry} />
      {issues.length > 0 ? (
        <div class="banner banner-error" role="alert" data-testid="template-issues">
          <p>{c('configProblems', { count: issues.length })}</p>
        </div>
      ) : null}
      <SaveErrorBanner error={error} />
      {notice ? (
        <div class="banner banner-warning" role="status">
          <p>{notice}</p>
        </div>
      ) : null}

      <div class="editor-grid">
        <section class="card span-2">
          <h2 class="section-title">{c('allowedVariables')}</h2>
          <p class="hint">{c('allowedVariablesHint')}</p>
          <p data-testid="template-variables">
            {entry.variables.map((v) => (
              <code key={v} class="variable-chip">{`{{${v}}}`}</code>
            ))}
          </p>
          {entry.sections.length > 0 ? (
            <p>
              {c('allowedSections')}:{' '}
              {entry.sections.map((s) => (
                <code key={s} class="variable-chip">{`{{#${s}}}…{{/${s}}}`}</code>
              ))}
            </p>
          ) : null}
        </section>

        {parts.map((part) => (
          <fieldset key={part} class="card form-section span-2">
            <legend class="section-title">{c(`part_${part}`)}</legend>
            {byPath[part] ? <p class="field-error">{fieldIssueText(byPath[part], locale)}</p> : null}
            <div class="editor-grid">
              {LOCALES.map((l) => {
                const path = `${part}.${l}`;
                const value = draft[part]?.[l] ?? '';
                const unknown =
                  byPath[path]?.code === 'unknown_variable' && isTemplateName(entry.name)
                    ? unknownVariables(entry.name, value).unknown
                    : [];
                return (
                  <div key={l}>
                    <TextAreaField
                      path={path}
                      label={c(`locale_${l}`)}
                      rows={part === 'subject' ? 2 : part === 'sms' ? 4 : 10}
                      value={value}
                      error={byPath[path]}
                      onValue={(v) => setDraft({ ...draft, [part]: { ...draft[part], [l]: v } })}
                    />
                    {unknown.length > 0 ? (
                      <p class="field-error">{c('unknownNames', { names: unknown.join(', ') })}</p>
                    ) : null}
                  </div>
                );
              })}
            </div>
          </fieldset>
        ))}

        {preview ? (
          <section class="card span-2" data-testid="template-preview">
            <h2 class="section-title">{c('templatePreviewTitle')}</h2>
            <p>
              <strong>{c('part_subject')}:</strong> {preview.subject}
            </p>
            <h3>{c('part_text')}</h3>
            <pre class="preview-text">{preview.text}</pre>
            {preview.html !== undefined ? (
              <>
                <h3>{c('part_html')}</h3>
                {/* An empty sandbox: the HTML cannot run scripts, submit forms or reach this page. */}
                <iframe class="preview-html" sandbox="" srcdoc={preview.html} title={c('previewHtmlTitle')} />
              </>
            ) : null}
            {preview.sms !== undefined ? (
              <>
                <h3>{c('part_sms')}</h3>
                <pre class="preview-text">{preview.sms}</pre>
              </>
            ) : null}
          </section>
        ) : null}
      </div>
      {admin ? (
        <div class="form-actions">
          <label class="inline-field">
            {c('previewLocale')}{' '}
            <select
              value={previewLocale}
              onChange={(e) => setPreviewLocale(e.currentTarget.value === 'en' ? 'en' : 'vi')}
            >
              {LOCALES.map((l) => (
                <option key={l} value={l}>
                  {c(`locale_${l}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" class="btn btn-secondary" disabled={busy} onClick={() => void showPreview()}>
            {c('previewTemplate')}
          </button>
          <button
            type="button"
            class="btn btn-ghost"
            disabled={busy}
            onClick={() => {
              setDraft(structuredClone(entry.default));
              setPreview(null);
              setNotice(c('resetTemplateHint'));
            }}
          >
            {c('resetTemplate')}
          </button>
          <button type="submit" class="btn btn-primary" disabled={busy} aria-busy={busy}>
            {busy ? c('saving') : c('saveTemplate')}
          </button>
        </div>
      ) : null}
    </form>
  );
}
