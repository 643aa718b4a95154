import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { FieldIssue } from '../../lambdas/core/errors.ts';
import { describeError, fieldIssueText } from './errors.ts';
import { useLocale } from './locale.tsx';

/** DOM id of the control for an API field path, e.g. `contact.phone` → `f-contact.phone`. */
export const fieldId = (path: string) => `f-${path}`;

interface FieldFrameProps {
  path: string;
  label: string;
  required?: boolean;
  hint?: string;
  /**
   * The field's issue, shown beside it in words that name the rule ("Mô tả cần ít nhất 20 ký tự");
   * a bare code (`required`) reads as that code's text.
   */
  error?: FieldIssue | string;
  children: (aria: {
    id: string;
    'aria-invalid': boolean;
    'aria-describedby'?: string;
    'aria-required'?: boolean;
  }) => ComponentChildren;
  class?: string;
}

/** Label, control, hint and error wired together for screen readers. */
export function FieldFrame({ path, label, required, hint, error, children, class: cls }: FieldFrameProps) {
  const { locale } = useLocale();
  const id = fieldId(path);
  const describedBy =
    [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' has-error' : ''}${cls ? ` ${cls}` : ''}`}>
      <label for={id}>
        {label}
        {required ? (
          <span class="req" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
      </label>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {children({
        id,
        'aria-invalid': Boolean(error),
        'aria-describedby': describedBy,
        'aria-required': required,
      })}
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {fieldIssueText(error, locale)}
        </p>
      ) : null}
    </div>
  );
}

/** The input attributes the forms use; kept explicit so each one is a deliberate choice. */
interface InputAttrs {
  type?: 'text' | 'tel' | 'email' | 'date' | 'time';
  inputMode?: 'text' | 'tel' | 'email' | 'numeric' | 'decimal';
  autoComplete?: string;
  autoCapitalize?: 'none' | 'characters' | 'words';
  list?: string;
  maxLength?: number;
  placeholder?: string;
  max?: string;
  min?: string;
}

export function TextField(
  props: {
    path: string;
    label: string;
    value: string;
    onValue: (v: string) => void;
    required?: boolean;
    hint?: string;
    error?: FieldIssue | string;
    class?: string;
  } & InputAttrs,
) {
  const { path, label, value, onValue, required, hint, error, class: cls, ...rest } = props;
  return (
    <FieldFrame path={path} label={label} required={required} hint={hint} error={error} class={cls}>
      {(aria) => (
        <input
          type="text"
          {...rest}
          {...aria}
          name={path}
          value={value}
          onInput={(e) => onValue((e.currentTarget as HTMLInputElement).value)}
        />
      )}
    </FieldFrame>
  );
}

export function TextAreaField(props: {
  path: string;
  label: string;
  value: string;
  onValue: (v: string) => void;
  required?: boolean;
  hint?: string;
  error?: FieldIssue | string;
  rows?: number;
  maxLength?: number;
}) {
  const { path, label, value, onValue, required, hint, error, rows = 4, maxLength } = props;
  return (
    <FieldFrame path={path} label={label} required={required} hint={hint} error={error}>
      {(aria) => (
        <textarea
          {...aria}
          name={path}
          rows={rows}
          maxLength={maxLength}
          value={value}
          onInput={(e) => onValue((e.currentTarget as HTMLTextAreaElement).value)}
        />
      )}
    </FieldFrame>
  );
}

export function SelectField(props: {
  path: string;
  label: string;
  value: string;
  onValue: (v: string) => void;
  options: { value: string; label: string }[];
  placeholder?: string;
  required?: boolean;
  hint?: string;
  error?: FieldIssue | string;
}) {
  const { path, label, value, onValue, options, placeholder, required, hint, error } = props;
  return (
    <FieldFrame path={path} label={label} required={required} hint={hint} error={error}>
      {(aria) => (
        <select
          {...aria}
          name={path}
          value={value}
          onChange={(e) => onValue((e.currentTarget as HTMLSelectElement).value)}
        >
          {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

export function CheckboxField(props: {
  path: string;
  label: string;
  checked: boolean;
  onChecked: (v: boolean) => void;
}) {
  const id = fieldId(props.path);
  return (
    <div class="field checkbox">
      <input
        id={id}
        type="checkbox"
        name={props.path}
        checked={props.checked}
        onChange={(e) => props.onChecked((e.currentTarget as HTMLInputElement).checked)}
      />
      <label for={id}>{props.label}</label>
    </div>
  );
}

/** An error message announced to screen readers; shows the correlation id for support calls. */
export function ErrorBanner({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { locale, tr } = useLocale();
  if (!error) return null;
  const d = describeError(error, locale);
  return (
    <div class="banner banner-error" role="alert">
      <p>{d.text}</p>
      {d.ref ? <p class="banner-ref">{tr('referenceId', { id: d.ref })}</p> : null}
      {onRetry ? (
        <button type="button" class="btn btn-secondary btn-small" onClick={onRetry}>
          {tr('retry')}
        </button>
      ) : null}
    </div>
  );
}

export function Spinner({ label }: { label: string }) {
  return (
    <p class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

/**
 * A page heading that takes focus when the page opens, so screen-reader and keyboard users land at
 * the top of the new content after a hash navigation.
 */
export function PageHeading({ children, focusKey }: { children: ComponentChildren; focusKey?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  // `focusKey` is deliberately the only dependency: focus again when the page's identity changes.
  useEffect(() => {
    ref.current?.focus({ preventScroll: false });
  }, [focusKey]);
  return (
    <h1 ref={ref} tabIndex={-1} class="page-title">
      {children}
    </h1>
  );
}
